using Archiver.Model;
using LiteDB;

namespace Archiver.Storage;

/// <summary>The scratch state of one store transaction; nothing here is visible until the commit.</summary>
internal sealed class BatchWork(long sequence, StoreCounters before)
{
    public long Sequence { get; } = sequence;
    public Dictionary<string, BsonDocument> Inserts { get; } = new(StringComparer.Ordinal);
    public Dictionary<ulong, KnownPosts.Entry> KnownUpdates { get; } = [];
    public List<(string Key, DateTime SeenAt, Capture? Capture)> Sightings { get; } = [];
    public List<string> Changed { get; } = [];
    private readonly Dictionary<string, long> _platformDelta = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _channelDelta = new(StringComparer.Ordinal);

    public int CountsUpdated { get; set; }
    public int Edited { get; set; }
    public int Versions { get; set; }
    public int Deleted { get; set; }
    public int NewAuthors { get; set; }
    public int AuthorsChanged { get; set; }
    public int AuthorsGone { get; set; }
    public int MediaAdded { get; set; }
    public long MediaBytes { get; set; }

    public BsonDocument? PendingInsert(string key) => Inserts.GetValueOrDefault(key);

    public void AddInsert(string key, BsonDocument doc, Post post)
    {
        Inserts[key] = doc;
        Changed.Add(key);
        Increment(_platformDelta, post.Platform);
        Increment(_channelDelta, $"{post.Platform}:{post.Channel ?? post.AuthorHandle ?? "?"}");
    }

    public StoreCounters Counters() => before with
    {
        Posts = before.Posts + Inserts.Count,
        PostsDeleted = before.PostsDeleted + Deleted,
        Versions = before.Versions + Versions,
        Authors = before.Authors + NewAuthors,
        AuthorsGone = before.AuthorsGone + AuthorsGone,
        Media = before.Media + MediaAdded,
        MediaBytes = before.MediaBytes + MediaBytes,
        ByPlatform = Merge(before.ByPlatform, _platformDelta),
        ByChannel = Merge(before.ByChannel, _channelDelta),
    };

    public StoreBatchResult Result() => new()
    {
        Sequence = Sequence,
        Inserted = Inserts.Count,
        Unchanged = Sightings.Count,
        Edited = Edited,
        CountsUpdated = CountsUpdated,
        Deleted = Deleted,
        AuthorsChanged = AuthorsChanged,
        MediaAdded = MediaAdded,
        ChangedKeys = Changed.Distinct(StringComparer.Ordinal).ToList(),
    };

    private static void Increment(Dictionary<string, long> map, string key) =>
        map[key] = map.GetValueOrDefault(key) + 1;

    private static IReadOnlyDictionary<string, long> Merge(IReadOnlyDictionary<string, long> before, Dictionary<string, long> delta)
    {
        if (delta.Count == 0) return before;
        var merged = new Dictionary<string, long>(before, StringComparer.Ordinal);
        foreach (var (k, v) in delta) merged[k] = merged.GetValueOrDefault(k) + v;
        return merged;
    }
}
