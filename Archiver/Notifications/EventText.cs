using System.Globalization;
using Archiver.Model;

namespace Archiver.Notifications;

/// <summary>How an event is written for people and programs: its type's name, one line, and its JSON shape.</summary>
public static class EventText
{
    /// <summary>The JSON of the webhook and the notifier's state: snake_case, enums as text, compact.</summary>
    public static readonly System.Text.Json.JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The name users type and read: new-post, edited, deleted, channel-gone, channel-back, check-failed.</summary>
    public static string Name(ArchiveEventType type) => type switch
    {
        ArchiveEventType.NewPost => "new-post",
        ArchiveEventType.ChannelGone => "channel-gone",
        ArchiveEventType.ChannelBack => "channel-back",
        ArchiveEventType.CheckFailed => "check-failed",
        _ => type.ToString().ToLowerInvariant(),
    };

    /// <summary>One event on one line (also the notifier's standard-output line): time, type, platform:channel, post, detail, evidence, id.</summary>
    public static string Line(ArchiveEvent e)
    {
        var parts = new List<string>
        {
            e.ObservedAt.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            Name(e.Type),
            $"{e.Platform}:{e.Channel}",
        };
        if (e.PostKey is not null) parts.Add(e.PostKey);
        if (!string.IsNullOrEmpty(e.Detail)) parts.Add(e.Detail.ReplaceLineEndings(" "));
        if (e.Evidence is { WarcFile: not null } c) parts.Add($"evidence {c.WarcFile}@{c.WarcOffset}");
        if (e.WatchId is not null) parts.Add($"watch {e.WatchId}");
        parts.Add(e.Id);
        return string.Join("  ", parts);
    }
}

/// <summary>An event as <c>events --json</c> and the webhook write it (snake_case, the type as users type it).</summary>
public sealed record EventJson(
    string Id, string Type, DateTime ObservedAt, string Platform, string Channel, string? PostKey, string? Detail, string? WatchId, long Sequence, EvidenceJson? Evidence)
{
    public static EventJson From(ArchiveEvent e) => new(
        e.Id, EventText.Name(e.Type), DateTime.SpecifyKind(e.ObservedAt, DateTimeKind.Utc), e.Platform, e.Channel, e.PostKey, e.Detail, e.WatchId, e.Sequence,
        e.Evidence is { } c ? new EvidenceJson(c.Url, c.Status, c.FetchedAt, c.WarcFile, c.WarcOffset, c.WarcRecordId, c.PayloadSha256) : null);
}

public sealed record EvidenceJson(string Url, int HttpStatus, DateTime FetchedAt, string? WarcFile, long? WarcOffset, string? WarcRecordId, string? PayloadSha256);
