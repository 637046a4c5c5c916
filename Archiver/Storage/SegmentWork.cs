using Archiver.Model;
using LiteDB;

namespace Archiver.Storage;

/// <summary>The scratch state of one segment transaction; nothing here is visible until the commit.</summary>
internal sealed class SegmentWork(long sequence, StoreCounters before, WriteOutcomes? outcomes = null, EventScope? events = null)
{
    public long Sequence { get; } = sequence;
    /// <summary>Which of the batch's records record events (null: none do, and no event work is done).</summary>
    public EventScope? Events { get; } = events;
    /// <summary>Events this transaction records, committed with the changes they describe.</summary>
    public List<BsonDocument> NewEvents { get; } = [];
    /// <summary>Where to record what happened to each record, when the batch merges several producers' parts.</summary>
    public WriteOutcomes? Outcomes { get; } = outcomes;
    /// <summary>Posts this transaction inserts, by key; their documents are built as LiteDB takes them.</summary>
    public Dictionary<string, PendingInsert> Inserts { get; } = new(StringComparer.Ordinal);
    public Dictionary<ulong, KnownPosts.Entry> KnownUpdates { get; } = [];
    public List<(string Key, DateTime SeenAt, Capture? Capture)> Sightings { get; } = [];
    public List<string> Changed { get; } = [];
    private readonly Dictionary<string, long> _platformDelta = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _channelDelta = new(StringComparer.Ordinal);

    public int CountsUpdated { get; set; }
    public int Edited { get; set; }
    public int Deleted { get; set; }
    public int Relabeled { get; set; }

    public void AddInsert(string key, PendingInsert insert, Post post)
    {
        Inserts[key] = insert;
        Changed.Add(key);
        Increment(_platformDelta, post.Platform);
        Increment(_channelDelta, $"{post.Platform}:{post.Channel ?? post.AuthorHandle ?? "?"}");
    }

    /// <summary>Records what this transaction did with the batch's post at <paramref name="index"/> (each index belongs to one segment).</summary>
    public void Mark(int index, WriteOutcomes.Post outcome)
    {
        if (Outcomes is { } outcomes) outcomes.Posts[index] |= outcome;
    }

    /// <summary>Records <paramref name="e"/> in this transaction if the batch's post or disappearance at <paramref name="index"/> records events.</summary>
    public void Event(EventScope.Kind kind, int index, Func<string?, ArchiveEvent> e)
    {
        if (Events is null || !Events.Records(kind, index, out var watch)) return;
        NewEvents.Add(StoreEvents.ToBson(e(watch), Sequence));
    }

    public StoreCounters Counters() => before with
    {
        Posts = before.Posts + Inserts.Count,
        PostsDeleted = before.PostsDeleted + Deleted,
        Versions = before.Versions + Edited,
        ByPlatform = Merge(before.ByPlatform, _platformDelta),
    };

    /// <summary>Posts added per channel in this batch (stored per channel, not in the segment's counters document).</summary>
    public IReadOnlyDictionary<string, long> ChannelDelta => _channelDelta;

    public SegmentResult Result() => new(Inserts.Count, Sightings, Edited, CountsUpdated, Deleted, KnownUpdates, Changed) { Relabeled = Relabeled };

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

/// <summary>
/// A new post waiting for its transaction's insert. Its document is built only when LiteDB takes it (or when a
/// later observation in the same batch changes it): documents built up front for a whole batch lived long
/// enough to be promoted by the collector and then died in gen 1, collections that stop every thread.
/// </summary>
internal sealed class PendingInsert(PostObservation observation, string key, KnownPosts.Entry entry, long sequence)
{
    private BsonDocument? _document;

    /// <summary>The document, built now if need be, for changes before the insert.</summary>
    public BsonDocument Document => _document ??= PostSegment.NewDocument(observation.Post, key, entry, observation, sequence);

    /// <summary>The document for LiteDB to insert; this no longer holds it afterwards.</summary>
    public BsonDocument Take()
    {
        var document = Document;
        _document = null;
        return document;
    }
}

internal sealed record SegmentResult(
    int Inserted,
    IReadOnlyList<(string Key, DateTime SeenAt, Capture? Capture)> Sightings,
    int Edited,
    int CountsUpdated,
    int Deleted,
    IReadOnlyDictionary<ulong, KnownPosts.Entry> KnownUpdates,
    IReadOnlyList<string> Changed)
{
    public int Relabeled { get; init; }

    public static SegmentResult Empty { get; } = new(0, [], 0, 0, 0, new Dictionary<ulong, KnownPosts.Entry>(), []);
}
