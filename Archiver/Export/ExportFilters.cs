using System.Globalization;
using Archiver.Storage;

namespace Archiver.Export;

/// <summary>
/// Decides which posts an export contains, from the fields the store can read before decoding a whole
/// post (<see cref="PostHeader"/>), so non-matching posts cost almost nothing.
/// </summary>
public interface IExportFilter
{
    bool Accepts(in PostHeader post);
    /// <summary>How the manifest records this filter, e.g. <c>("platform", "telegram,mastodon")</c>.</summary>
    IEnumerable<KeyValuePair<string, string>> Describe();
}

/// <summary>
/// The posts matching a search query. Archiver.Search provides the implementation; the export asks for the
/// matching keys once, then either fetches them one by one (few matches) or tests them while scanning.
/// </summary>
public interface IPostKeySource
{
    /// <summary>Keys (platform:host:native_id) of the posts matching <paramref name="query"/>; a bad query throws <see cref="UsageException"/>.</summary>
    ISet<string> MatchingKeys(string query, CancellationToken ct);
}

/// <summary>--since/--until/--platform/--channel: all given conditions must hold.</summary>
public sealed class StoreFieldFilter : IExportFilter
{
    public DateTime? Since { get; init; }
    public DateTime? Until { get; init; }
    /// <summary>Platform names, compared case-insensitively.</summary>
    public IReadOnlySet<string> Platforms { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
    /// <summary>Channel names without @, compared case-insensitively.</summary>
    public IReadOnlySet<string> Channels { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    public bool IsEmpty => Since is null && Until is null && Platforms.Count == 0 && Channels.Count == 0;

    public bool Accepts(in PostHeader post)
    {
        if (Platforms.Count > 0 && !Platforms.Contains(post.Platform)) return false;
        if (Channels.Count > 0 && (post.Channel is null || !Channels.Contains(post.Channel.StartsWith('@') ? post.Channel[1..] : post.Channel))) return false;
        if (Since is null && Until is null) return true;
        // Posts without a publication time are placed at the time the archive first saw them.
        var time = post.CreatedAt ?? post.FirstSeen;
        if (Since is { } since && time < since) return false;
        if (Until is { } until && time >= until) return false;
        return true;
    }

    public IEnumerable<KeyValuePair<string, string>> Describe()
    {
        if (Since is { } s) yield return new("since", Formats.Cells.Timestamp(s));
        if (Until is { } u) yield return new("until", Formats.Cells.Timestamp(u));
        if (Platforms.Count > 0) yield return new("platform", string.Join(",", Platforms.Order(StringComparer.OrdinalIgnoreCase)));
        if (Channels.Count > 0) yield return new("channel", string.Join(",", Channels.Order(StringComparer.OrdinalIgnoreCase)));
    }

    /// <summary>
    /// Builds the filter from the command-line values (lists may be comma-separated or repeated). Dates mean
    /// what they mean in <c>archiver search</c> (<see cref="Search.DateSyntax"/>): <c>--since D</c> from the start of
    /// D, <c>--until D</c> up to the end of D inclusive (a whole day, month, year, or second).
    /// </summary>
    public static StoreFieldFilter Parse(string? since, string? until, IEnumerable<string>? platforms, IEnumerable<string>? channels)
    {
        var filter = new StoreFieldFilter
        {
            Since = since is null ? null : ParseSpan(since, "--since").Start,
            Until = until is null ? null : ParseSpan(until, "--until").End,
            Platforms = Split(platforms).ToHashSet(StringComparer.OrdinalIgnoreCase),
            Channels = Split(channels).Select(c => c.TrimStart('@')).ToHashSet(StringComparer.OrdinalIgnoreCase),
        };
        if (filter.Since is { } a && filter.Until is { } b && a >= b)
            throw new UsageException($"--since ({since}) must not be after --until ({until}).");
        return filter;
    }

    private static IEnumerable<string> Split(IEnumerable<string>? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The span a typed date covers, <c>[Start, End)</c> in UTC; a usage error when it is not a date.</summary>
    public static (DateTime Start, DateTime End) ParseSpan(string value, string option)
    {
        if (Search.DateSyntax.TryParse(value, out var start, out var end))
            return (DateTime.SpecifyKind(start, DateTimeKind.Utc), DateTime.SpecifyKind(end, DateTimeKind.Utc));
        // Instants with an offset or fractions DateSyntax does not spell (2024-05-01T12:00:00.5+02:00): that second.
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            return (time.UtcDateTime, time.UtcDateTime.AddSeconds(1));
        throw new UsageException($"{option} '{value}' is not a date: expected {Search.DateSyntax.Expected}.");
    }
}

/// <summary>Posts whose key a search query matched.</summary>
public sealed class KeySetFilter(string query, ISet<string> keys) : IExportFilter
{
    public ISet<string> Keys { get; } = keys;
    public bool Accepts(in PostHeader post) => Keys.Contains(post.Key);
    public IEnumerable<KeyValuePair<string, string>> Describe() => [new("query", query)];
}
