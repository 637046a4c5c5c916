using LiteDB;

namespace Archiver.Storage;

public sealed partial class ArchiveStore
{
    /// <summary>
    /// Commits one batch and returns what it did. Each segment's share and the main file's share are
    /// committed in their own transactions (segments in parallel, the main file last); the batch counts as
    /// committed only when this returns. After a crash in between, re-storing the batch is harmless: what
    /// a segment already holds is recognised as unchanged. Not for concurrent use: one writer feeds it.
    /// </summary>
    public StoreBatchResult Write(StoreBatch batch) => Write(batch, outcomes: null, EventScope.For([batch]));

    /// <summary>
    /// Commits several producers' batches as one (<see cref="Write(StoreBatch)"/>) and returns each part's result
    /// as if it had been written alone right after the parts before it, besides the whole batch's.
    /// </summary>
    public (StoreBatch Merged, StoreBatchResult Result, IReadOnlyList<StoreBatchResult> Parts) Write(IReadOnlyList<StoreBatch> parts)
    {
        var merged = parts.Count == 1 ? parts[0] : Merge(parts);
        var outcomes = parts.Count == 1 ? null : new WriteOutcomes(merged);
        var result = Write(merged, outcomes, EventScope.For(parts));
        return (merged, result, outcomes is null ? [result] : outcomes.Split(merged, parts, result.Sequence));
    }

    private static StoreBatch Merge(IReadOnlyList<StoreBatch> batches) => new()
    {
        Posts = batches.SelectMany(b => b.Posts).ToList(),
        Authors = batches.SelectMany(b => b.Authors).ToList(),
        Media = batches.SelectMany(b => b.Media).ToList(),
        Disappearances = batches.SelectMany(b => b.Disappearances).ToList(),
        Relabels = batches.SelectMany(b => b.Relabels).ToList(),
        Watch = batches.SelectMany(b => b.Watch).ToList(),
        WatchRemovals = batches.SelectMany(b => b.WatchRemovals).ToList(),
        // Which of these records record events, and for which watch, is kept by the write's EventScope of the parts.
        Events = batches.SelectMany(b => b.Events.Select(e => e.WatchId is null && b.WatchId is not null ? e with { WatchId = b.WatchId } : e)).ToList(),
    };

    private StoreBatchResult Write(StoreBatch batch, WriteOutcomes? outcomes, EventScope? events)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (ReadOnly) throw new InvalidOperationException("The archive was opened read-only.");
        lock (_writeLock)
        {
            // Loaded outside the gate: rebuilding the map after a crash reads every segment, and readers in other
            // processes should not wait for that.
            var known = LoadKnownPosts();
            // Past every segment's sequence too: after a write that failed half-way, some segments committed a
            // sequence the main file never recorded, and their derived logs are keyed by it.
            var sequence = Math.Max(_sequence, _segments.Max(s => s.Sequence)) + 1;
            using var gate = WriteGate();
            try
            {
                var results = WriteSegments(batch, known, sequence, outcomes, events);
                var main = WriteMain(batch, sequence, results.SelectMany(r => r.Sightings).ToList(), outcomes, events);
                _sequence = sequence;
                _mainCounters = main.Counters;
                foreach (var result in results)
                    foreach (var (keyHash, entry) in result.KnownUpdates) known.Set(keyHash, entry);
                _live.Apply(batch);
                if (SnapshotDue()) TrySaveDerivedState(known);
                MaybeCheckpoint(closing: false);
                return new StoreBatchResult
                {
                    Sequence = sequence,
                    Inserted = results.Sum(r => r.Inserted),
                    Unchanged = results.Sum(r => r.Sightings.Count),
                    Edited = results.Sum(r => r.Edited),
                    CountsUpdated = results.Sum(r => r.CountsUpdated),
                    Deleted = results.Sum(r => r.Deleted),
                    Relabeled = results.Sum(r => r.Relabeled),
                    AuthorsChanged = main.AuthorsChanged,
                    MediaAdded = main.MediaAdded,
                    ChangedKeys = results.SelectMany(r => r.Changed).Distinct(StringComparer.Ordinal).ToList(),
                };
            }
            catch
            {
                // Some segments may have committed: the in-memory map no longer matches. The saved map and the
                // segments' logs (committed with their segments) give the committed state next time.
                _known = null;
                _live.Clear();
                throw;
            }
        }
    }

    private SegmentResult[] WriteSegments(StoreBatch batch, KnownPosts known, long sequence, WriteOutcomes? outcomes, EventScope? events)
    {
        var items = new List<PostSegment.Item>[_segments.Length];
        var gone = new List<(Disappearance, int)>[_segments.Length];
        var relabels = new List<(LanguageLabel, int)>[_segments.Length];
        for (var i = 0; i < _segments.Length; i++)
        {
            items[i] = [];
            gone[i] = [];
            relabels[i] = [];
        }
        for (var i = 0; i < batch.Relabels.Count; i++)
        {
            var label = batch.Relabels[i];
            relabels[(int)(ContentHash.OfKey(label.Key) % (ulong)_segments.Length)].Add((label, i));
        }
        for (var i = 0; i < batch.Posts.Count; i++)
        {
            var observation = batch.Posts[i];
            var key = observation.Post.Key;
            var keyHash = ContentHash.OfKey(key);
            items[(int)(keyHash % (ulong)_segments.Length)].Add(new PostSegment.Item(observation, key, keyHash, i));
        }
        for (var i = 0; i < batch.Disappearances.Count; i++)
        {
            var d = batch.Disappearances[i];
            if (d.Kind == DisappearanceKind.Post) gone[(int)(ContentHash.OfKey(d.Key) % (ulong)_segments.Length)].Add((d, i));
        }

        var results = new SegmentResult[_segments.Length];
        var active = Enumerable.Range(0, _segments.Length).Where(i => items[i].Count > 0 || gone[i].Count > 0 || relabels[i].Count > 0).ToList();
        if (active.Count <= 1 || batch.Posts.Count < 64)
        {
            foreach (var i in active) results[i] = _segments[i].Write(sequence, items[i], gone[i], known, relabels[i], outcomes, events);
        }
        else
        {
            Parallel.ForEach(active, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                i => results[i] = _segments[i].Write(sequence, items[i], gone[i], known, relabels[i], outcomes, events));
        }
        for (var i = 0; i < results.Length; i++) results[i] ??= SegmentResult.Empty;
        return results;
    }

    /// <summary>
    /// The saved map brought up to date from each segment's log (<see cref="PostSegment.TryReplayKnown"/>); a full
    /// scan only when the log does not reach back to the saved map (an archive from before the log).
    /// </summary>
    private KnownPosts LoadKnownPosts()
    {
        if (_known is not null) return _known;
        var saved = KnownPosts.TryLoad(Paths.KeyCache, _segments.Length)
            ?? (new KnownPosts(), new long[_segments.Length]);
        var (map, savedAt) = saved;
        var replayed = true;
        for (var i = 0; i < _segments.Length && replayed; i++) replayed = _segments[i].TryReplayKnown(savedAt[i], map);
        KnownPostsReplayed = replayed;
        if (replayed)
        {
            _known = map;
        }
        else
        {
            _known = RebuildKnownPosts();
            _snapshotNeeded = true;
        }
        return _known;
    }

    private bool _snapshotNeeded;

    /// <summary>Whether the map was loaded by a replay of the segments' logs rather than rebuilt by a scan (for tests).</summary>
    internal bool KnownPostsReplayed { get; private set; }

    /// <summary>The writer's map as it would use it for the next batch, and the map a full scan gives (for tests).</summary>
    internal (KnownPosts Loaded, KnownPosts Scanned) KnownPostsForCheck()
    {
        lock (_writeLock) return (LoadKnownPosts(), RebuildKnownPosts());
    }

    /// <summary>
    /// A snapshot writes the whole map (20 bytes a post): taken once the log holds as many entries as the map, so
    /// its cost per write stays constant and a replay never reads more than the map's size.
    /// </summary>
    private bool SnapshotDue() =>
        _snapshotNeeded || _segments.Sum(s => s.LoggedSinceSnapshot) >= (SnapshotEvery ?? Math.Max(100_000, _known?.Count ?? 0));

    /// <summary>Log entries between two snapshots instead of the rule above (set by the crash tests to take many).</summary>
    internal long? SnapshotEvery { get; set; }

    /// <summary>Saves the map, then cuts each segment's log at the state the map was saved at (never the other way round).</summary>
    private void SaveDerivedState(KnownPosts known)
    {
        known.Save(Paths.KeyCache, _segments.Select(s => s.Sequence).ToArray());
        foreach (var segment in _segments) segment.SaveDerivedState();
        _snapshotNeeded = false;
    }

    /// <summary>After a commit: a snapshot that fails (disk full) leaves the log uncut, and the commit stands.</summary>
    private void TrySaveDerivedState(KnownPosts known)
    {
        try
        {
            SaveDerivedState(known);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or LiteException)
        {
            _snapshotNeeded = true;
        }
    }

    private KnownPosts RebuildKnownPosts()
    {
        var map = new KnownPosts(checked((int)Math.Min(int.MaxValue, Counters.Posts)));
        foreach (var segment in _segments)
        {
            foreach (var doc in segment.Scan(afterSequence: 0))
            {
                map.Set(ContentHash.OfKey(doc["_id"].AsString),
                    new KnownPosts.Entry(ParseHash(doc["hash"].AsString), doc.TryGetValue("ch", out var ch) ? (uint)ch.AsInt64 : 0));
            }
        }
        return map;
    }

    private static ulong ParseHash(string hex) =>
        ulong.Parse(hex, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
}
