using System.Buffers.Binary;
using LiteDB;

namespace Archiver.Storage;

/// <summary>
/// What the writer derives from the posts (the known-posts map, the per-channel counts) survives a kill -9
/// without a scan of every post: each commit logs, in its own transaction, the map entries and channel counts
/// it changed, and a snapshot (the map's file beside the archive, the counts in this file) now and then lets the
/// log be cut. Opening after a kill reads the snapshot and replays the log after it. Before this, the scans that
/// rebuilt both took seconds per 100k posts, and an import killed every few seconds never got past them.
/// </summary>
internal sealed partial class PostSegment
{
    internal const string ChannelCountsCollection = "channel_counts";
    internal const string DerivedLogCollection = "derived_log";
    private const string ChannelsStampId = "channels";
    private const string LogStampId = "derived_log";
    private const int KnownRowBytes = 20;

    /// <summary>
    /// The sequence after which the log holds every change of this segment, or null when it does not (an archive
    /// written before the log, until its first snapshot). An empty segment's log is complete from 0.
    /// </summary>
    public long? LogFrom { get; private set; }

    /// <summary>Known-posts entries logged since the last snapshot (what a replay would read).</summary>
    public long LoggedSinceSnapshot { get; private set; }

    private long? ReadLogFrom()
    {
        var stamp = _meta.FindById(LogStampId);
        _logStampStored = stamp is not null;
        if (stamp is not null) return stamp["from"].AsInt64;
        // A segment closed cleanly before the log existed: its counts snapshot is exact, and every commit from
        // now on logs.
        if (Sequence == 0 || _meta.FindById(ChannelsStampId)?["seq"].AsInt64 == Sequence) return Sequence;
        return null;
    }

    private bool _logStampStored;

    /// <summary>Logs this transaction's derived changes; called inside the segment's write transaction.</summary>
    private void LogDerived(long sequence, SegmentWork work)
    {
        if (!_logStampStored && LogFrom is { } from)
        {
            // Where the log starts is stated in the first transaction that logs, so it holds once the segment has posts.
            _meta.Upsert(new BsonDocument { ["_id"] = LogStampId, ["from"] = from });
            _logStampStored = true;
        }
        if (work.KnownUpdates.Count == 0 && work.ChannelDelta.Count == 0) return;
        var rows = new byte[work.KnownUpdates.Count * KnownRowBytes];
        var offset = 0;
        foreach (var (keyHash, entry) in work.KnownUpdates)
        {
            var row = rows.AsSpan(offset, KnownRowBytes);
            BinaryPrimitives.WriteUInt64LittleEndian(row, keyHash);
            BinaryPrimitives.WriteUInt64LittleEndian(row[8..], entry.ContentHash);
            BinaryPrimitives.WriteUInt32LittleEndian(row[16..], entry.CountsHash);
            offset += KnownRowBytes;
        }
        _log.Insert(new BsonDocument
        {
            ["_id"] = sequence,
            ["k"] = rows,
            ["c"] = new BsonArray(work.ChannelDelta.Keys.Select(k => new BsonValue(k))),
            ["n"] = new BsonArray(work.ChannelDelta.Values.Select(v => new BsonValue(v))),
        });
        LoggedSinceSnapshot += work.KnownUpdates.Count;
    }

    private IEnumerable<BsonDocument> LogAfter(long sequence) => _log.Find(LiteDB.Query.GT("_id", sequence));

    /// <summary>
    /// Brings <paramref name="map"/>, saved when this segment was at <paramref name="savedAt"/>, up to the
    /// segment's committed state from the log; false when the log does not reach back that far.
    /// </summary>
    public bool TryReplayKnown(long savedAt, KnownPosts map)
    {
        if (LogFrom is not { } from || savedAt < from || savedAt > Sequence) return false;
        foreach (var doc in LogAfter(savedAt))
        {
            var rows = doc["k"].AsBinary;
            for (var offset = 0; offset + KnownRowBytes <= rows.Length; offset += KnownRowBytes)
            {
                var row = rows.AsSpan(offset, KnownRowBytes);
                map.Set(BinaryPrimitives.ReadUInt64LittleEndian(row),
                    new KnownPosts.Entry(BinaryPrimitives.ReadUInt64LittleEndian(row[8..]), BinaryPrimitives.ReadUInt32LittleEndian(row[16..])));
            }
        }
        return true;
    }

    private void LoadChannelCounts()
    {
        var stamp = _meta.FindById(ChannelsStampId)?["seq"].AsInt64;
        if (LogFrom is { } from && (stamp ?? 0) == from)
        {
            if (stamp is not null) LoadChannelSnapshot();
            foreach (var doc in LogAfter(from))
            {
                var names = doc["c"].AsArray;
                var added = doc["n"].AsArray;
                for (var i = 0; i < names.Count; i++)
                    _channelCounts[names[i].AsString] = _channelCounts.GetValueOrDefault(names[i].AsString) + added[i].AsInt64;
            }
            return;
        }
        if (stamp == Sequence)
        {
            LoadChannelSnapshot();
            return;
        }
        foreach (var doc in Scan(afterSequence: 0))
        {
            var channel = BsonMapping.Str(doc, "channel") ?? BsonMapping.Str(doc, "authorHandle") ?? "?";
            var name = $"{doc["platform"].AsString}:{channel}";
            _channelCounts[name] = _channelCounts.GetValueOrDefault(name) + 1;
        }
    }

    private void LoadChannelSnapshot()
    {
        foreach (var doc in _channels.FindAll()) _channelCounts[doc["_id"].AsString] = doc["n"].AsInt64;
    }

    /// <summary>
    /// Saves the channel counts at the current sequence and cuts the log there, in one transaction. Only after
    /// the known-posts map was saved at this same state: the log is what brings an older map up to date.
    /// </summary>
    public void SaveDerivedState()
    {
        if (_readOnly) return;
        if (!_db.BeginTrans()) throw new InvalidOperationException("A transaction is already open on this thread.");
        try
        {
            _channels.DeleteAll();
            lock (_channelCounts)
                _channels.InsertBulk(_channelCounts.Select(c => new BsonDocument { ["_id"] = c.Key, ["n"] = c.Value }));
            _meta.Upsert(new BsonDocument { ["_id"] = ChannelsStampId, ["seq"] = Sequence });
            _log.DeleteMany(LiteDB.Query.LTE("_id", Sequence));
            _meta.Upsert(new BsonDocument { ["_id"] = LogStampId, ["from"] = Sequence });
            _db.Commit();
            LogFrom = Sequence;
            _logStampStored = true;
            LoggedSinceSnapshot = 0;
        }
        catch
        {
            _db.Rollback();
            throw;
        }
    }
}
