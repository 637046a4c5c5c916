using System.Security.Cryptography;
using System.Text;
using Archiver.Model;
using LiteDB;

namespace Archiver.Storage;

/// <summary>
/// Which records of a (possibly merged) batch record events, and for which watch: the writer merges several
/// producers' batches into one transaction, and only the parts with <see cref="StoreBatch.RecordEvents"/> record
/// any. Null (no scope at all) when no part records events, so the write path does no event work then.
/// </summary>
internal sealed class EventScope
{
    private readonly List<(int PostEnd, int AuthorEnd, int GoneEnd, bool Record, string? WatchId)> _parts;

    private EventScope(List<(int, int, int, bool, string?)> parts) => _parts = parts;

    public static EventScope? For(IReadOnlyList<StoreBatch> parts)
    {
        if (!parts.Any(p => p.RecordEvents)) return null;
        var list = new List<(int, int, int, bool, string?)>(parts.Count);
        int post = 0, author = 0, gone = 0;
        foreach (var part in parts)
        {
            post += part.Posts.Count;
            author += part.Authors.Count;
            gone += part.Disappearances.Count;
            list.Add((post, author, gone, part.RecordEvents, part.WatchId));
        }
        return new EventScope(list);
    }

    public enum Kind { Post, Author, Gone }

    /// <summary>Whether the record at <paramref name="index"/> of the merged list of this kind records events, and its watch.</summary>
    public bool Records(Kind kind, int index, out string? watchId)
    {
        foreach (var part in _parts)
        {
            var end = kind switch { Kind.Post => part.PostEnd, Kind.Author => part.AuthorEnd, _ => part.GoneEnd };
            if (index >= end) continue;
            watchId = part.WatchId;
            return part.Record;
        }
        watchId = null;
        return false;
    }
}

/// <summary>How events are named and stored: deterministic ids, and one BSON shape in the segments and the main file.</summary>
internal static class StoreEvents
{
    internal const string Collection = "events";

    /// <summary>
    /// An id from what was observed (type, subject, version or evidence), never from the time it was written: the same
    /// observation stored twice (a replay after a kill) yields the same id, so it is stored once.
    /// </summary>
    public static string Id(ArchiveEventType type, string subject, string discriminator)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{type}\n{subject}\n{discriminator}"));
        return "ev-" + Convert.ToHexStringLower(bytes.AsSpan(0, 16));
    }

    public static BsonDocument ToBson(ArchiveEvent e, long sequence)
    {
        var doc = new BsonDocument
        {
            ["_id"] = e.Id,
            ["seq"] = sequence,
            ["type"] = e.Type.ToString(),
            ["at"] = e.ObservedAt,
            ["platform"] = e.Platform,
            ["channel"] = e.Channel,
        };
        BsonMapping.Set(doc, "post", e.PostKey);
        BsonMapping.Set(doc, "detail", e.Detail);
        BsonMapping.Set(doc, "watch", e.WatchId);
        if (e.Evidence is not null) doc["cap"] = BsonMapping.FromCapture(e.Evidence);
        return doc;
    }

    public static ArchiveEvent FromBson(BsonDocument doc) => new()
    {
        Id = doc["_id"].AsString,
        Type = Enum.Parse<ArchiveEventType>(doc["type"].AsString),
        ObservedAt = BsonMapping.Date(doc, "at") ?? default,
        Platform = BsonMapping.Str(doc, "platform") ?? "",
        Channel = BsonMapping.Str(doc, "channel") ?? "",
        PostKey = BsonMapping.Str(doc, "post"),
        Detail = BsonMapping.Str(doc, "detail"),
        WatchId = BsonMapping.Str(doc, "watch"),
        Evidence = doc.TryGetValue("cap", out var cap) ? BsonMapping.ToCapture(cap) : null,
        Sequence = doc["seq"].AsInt64,
    };

    /// <summary>The channel name a post is counted under (as the per-channel counters name it).</summary>
    public static string ChannelOf(BsonDocument post) => BsonMapping.Str(post, "channel") ?? BsonMapping.Str(post, "authorHandle") ?? "?";

    public static string ChannelOf(Post post) => post.Channel ?? post.AuthorHandle ?? "?";

    public static string ChannelOfAuthor(BsonDocument author) => BsonMapping.Str(author, "handle") ?? BsonMapping.Str(author, "nid") ?? author["_id"].AsString;

    public static string Status(int status, string? reason) => string.IsNullOrEmpty(reason) ? $"HTTP {status}" : $"HTTP {status}: {reason}";

    /// <summary>The order events are listed and delivered in: commit sequence, then observation time, then id.</summary>
    public static int Compare(ArchiveEvent a, ArchiveEvent b)
    {
        var c = a.Sequence.CompareTo(b.Sequence);
        if (c != 0) return c;
        c = a.ObservedAt.CompareTo(b.ObservedAt);
        return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
    }
}
