using LiteDB;

namespace Archiver.Storage;

/// <summary>
/// The archive: the single source of truth for everything collected. Posts live in a fixed number of
/// segments (LiteDB files chosen by key hash, see <see cref="PostSegment"/>); authors, media, sightings and
/// crawl jobs in the main file. One writer (<see cref="Write"/>, fed by one consumer) commits whole
/// batches; readers may run concurrently in the same process. Nothing is overwritten without a trace:
/// edits push the previous version into <c>post_versions</c>, deletions only mark.
/// </summary>
public sealed partial class ArchiveStore : IDisposable
{
    internal const string PostsCollection = "posts";
    internal const string VersionsCollection = "post_versions";
    internal const string AuthorsCollection = "authors";
    internal const string AuthorVersionsCollection = "author_versions";
    internal const string MediaCollection = "media";
    internal const string SightingsCollection = "sightings";
    internal const string MetaCollection = "meta";
    internal const string JobsCollection = "crawl_jobs";

    /// <summary>Segments of a new archive: enough to use both cores and keep files small at millions of posts.</summary>
    public const int DefaultSegments = 4;

    private readonly LiteDatabase _db;
    private readonly PostSegment[] _segments;
    private readonly ILiteCollection<BsonDocument> _authors;
    private readonly ILiteCollection<BsonDocument> _authorVersions;
    private readonly ILiteCollection<BsonDocument> _media;
    private readonly ILiteCollection<BsonDocument> _sightings;
    private readonly ILiteCollection<BsonDocument> _meta;
    private readonly ILiteCollection<BsonDocument> _jobs;
    private readonly ILiteCollection<BsonDocument> _events;
    private readonly Lock _writeLock = new();
    private KnownPosts? _known;
    private StoreCounters _mainCounters;
    private long _sequence;
    private bool _disposed;

    public ArchivePaths Paths { get; }
    public bool ReadOnly { get; }

    private readonly ArchiveLock? _writer;
    private readonly bool _ownsWriter;
    private readonly ArchiveLock.Snapshot? _snapshot;

    private ArchiveStore(ArchivePaths paths, LiteDatabase db, LiteDatabase[] segmentFiles, int newSegments, ArchiveLock? writer, bool ownsWriter, ArchiveLock.Snapshot? snapshot)
    {
        Paths = paths;
        ReadOnly = writer is null;
        _writer = writer;
        _ownsWriter = ownsWriter;
        _snapshot = snapshot;
        _db = db;
        if (!ReadOnly) LiteFiles.CreateCollections(db, AuthorsCollection, AuthorVersionsCollection, MediaCollection, SightingsCollection, MetaCollection, JobsCollection, "imports", WatchCollection, StoreEvents.Collection);
        _authors = db.GetCollection(AuthorsCollection);
        _authorVersions = db.GetCollection(AuthorVersionsCollection);
        _media = db.GetCollection(MediaCollection);
        _sightings = db.GetCollection(SightingsCollection, BsonAutoId.Int64);
        _meta = db.GetCollection(MetaCollection);
        _jobs = db.GetCollection(JobsCollection);
        _events = db.GetCollection(StoreEvents.Collection);
        var meta = _meta.FindById("store");
        if (meta is null && !ReadOnly)
        {
            meta = new BsonDocument { ["_id"] = "store", ["seq"] = 0L, ["segments"] = newSegments, ["counters"] = new StoreCounters().ToBson() };
            _meta.Insert(meta);
        }
        _sequence = meta is null ? 0 : meta["seq"].AsInt64;
        _mainCounters = StoreCounters.FromBson(meta?["counters"]);
        _segments = new PostSegment[segmentFiles.Length];
        try
        {
            for (var i = 0; i < segmentFiles.Length; i++)
                _segments[i] = new PostSegment(i, paths.Segment(i), segmentFiles[i], ReadOnly);
        }
        catch
        {
            foreach (var file in segmentFiles) file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens (creating if needed) the archive in <paramref name="directory"/>. For writing, takes the archive's
    /// writer lock first (<see cref="ArchiveLock"/>; another writer is an <see cref="ArchiveBusyException"/> naming
    /// it) and holds it until disposed. Read-only, it is a snapshot: what the archive held between two batches when
    /// it was opened, whatever a writer in another process commits meanwhile.
    /// </summary>
    public static ArchiveStore Open(string directory, bool readOnly = false, int segments = DefaultSegments) =>
        readOnly ? OpenSnapshot(new ArchivePaths(Path.GetFullPath(directory))) : OpenWriter(new ArchivePaths(Path.GetFullPath(directory)), null, segments);

    /// <summary>Opens the archive for writing under a writer lock the caller holds (and keeps: disposing the store does not release it).</summary>
    public static ArchiveStore Open(ArchiveLock writerLock, int segments = DefaultSegments) =>
        OpenWriter(new ArchivePaths(writerLock.Root), writerLock, segments);

    private static ArchiveStore OpenWriter(ArchivePaths paths, ArchiveLock? given, int segments)
    {
        // The lock comes before any file of the archive is created or opened for writing.
        var writer = given ?? ArchiveLock.AcquireWriter(paths.Root);
        var files = new List<LiteDatabase>();
        try
        {
            paths.EnsureCreated();
            using var gate = writer.EnterWrite();
            var db = LiteFiles.Open(paths.Database, paths.Root, readOnly: false);
            files.Add(db);
            var count = SegmentCountOf(db) ?? segments;
            for (var i = 0; i < count; i++) files.Add(LiteFiles.Open(paths.Segment(i), paths.Root, readOnly: false));
            var store = new ArchiveStore(paths, db, files.Skip(1).ToArray(), segments, writer, ownsWriter: given is null, snapshot: null);
            store.EnsureIndexes();
            store.CompleteInterruptedCommit();
            return store;
        }
        catch
        {
            foreach (var file in files) file.Dispose();
            if (given is null) writer.Dispose();
            throw;
        }
    }

    private static ArchiveStore OpenSnapshot(ArchivePaths paths)
    {
        // A writer creating the archive holds the gate until its files exist: wait for it rather than say "no archive".
        // Readers create a lock file only in a folder that holds an archive.
        if (!paths.Exists && !File.Exists(ArchiveLock.PathIn(paths.Root))) throw NoArchive(paths);
        var snapshot = ArchiveLock.BeginSnapshot(paths.Root);
        var files = new List<LiteDatabase>();
        try
        {
            if (!paths.Exists) throw NoArchive(paths);
            var db = LiteFiles.OpenSnapshot(paths.Database);
            files.Add(db);
            var count = SegmentCountOf(db) ?? 0;
            for (var i = 0; i < count; i++) files.Add(LiteFiles.OpenSnapshot(paths.Segment(i)));
            // Every file is open at the same batch: the writer may go on (counting channels below takes a while).
            snapshot.Taken();
            return new ArchiveStore(paths, db, files.Skip(1).ToArray(), 0, writer: null, ownsWriter: false, snapshot);
        }
        catch
        {
            foreach (var file in files) file.Dispose();
            snapshot.Dispose();
            throw;
        }
    }

    private static ArchiverException NoArchive(ArchivePaths paths) =>
        new($"No archive at {paths.Root} (no archive.db). Crawl or import something first, or pass --data DIR.");

    private static int? SegmentCountOf(LiteDatabase db) =>
        db.GetCollection(MetaCollection).FindById("store") is { } meta ? meta["segments"].AsInt32 : null;

    /// <summary>The cross-process write gate around any write to the LiteDB files (nothing for a snapshot).</summary>
    private ArchiveLock.GateScope WriteGate() => _writer?.EnterWrite() ?? default;

    /// <summary>
    /// Folds the write-ahead logs into the data files once they grew past LiteDB's usual threshold (or on close),
    /// but only while no snapshot is open in any process: a reader reads the data file as it was. Call inside the gate.
    /// </summary>
    private void MaybeCheckpoint(bool closing)
    {
        if (_writer is null || (!closing && _pageScans > 0)) return;
        var logs = _segments.Select(s => s.LogBytes).Append(LiteFiles.LogBytes(Paths.Database)).ToList();
        if (logs.All(l => l == 0) || (!closing && logs.All(l => l < LiteFiles.CheckpointBytes))) return;
        if (!_writer.TryBeginCheckpoint()) return;
        try
        {
            // While writing, never wait for this process's own readers (an index catch-up scanning the store): on
            // close they are done, and every log is folded.
            if (closing)
            {
                _db.Checkpoint();
                foreach (var segment in _segments) segment.Checkpoint();
            }
            else
            {
                LiteFiles.TryCheckpoint(_db);
                foreach (var segment in _segments) segment.TryCheckpoint();
            }
        }
        finally
        {
            _writer.EndCheckpoint();
        }
    }

    /// <summary>
    /// A kill between a batch's segment commits and its main-file commit leaves segments a sequence ahead of the
    /// main file: their posts (and the events recorded with them) are stored, yet the batch's number is not. The
    /// main file takes that number now, so those events are listed (<see cref="ReadEvents"/> lists only events of
    /// committed sequences) before anything newer, and no later commit can reuse the number under them.
    /// </summary>
    private void CompleteInterruptedCommit()
    {
        var ahead = _segments.Length == 0 ? 0 : _segments.Max(s => s.Sequence);
        if (ahead <= _sequence) return;
        using var gate = WriteGate();
        var meta = _meta.FindById("store");
        meta["seq"] = ahead;
        _meta.Update(meta);
        _sequence = ahead;
    }

    private void EnsureIndexes()
    {
        _authorVersions.EnsureIndex("key", "$.key");
        _events.EnsureIndex("seq", "$.seq");
    }

    /// <summary>The sequence number of the last committed batch (0 for an empty archive).</summary>
    public long Sequence => Interlocked.Read(ref _sequence);

    public int SegmentCount => _segments.Length;

    private PostSegment SegmentOf(string key) => _segments[(int)(ContentHash.OfKey(key) % (ulong)_segments.Length)];

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        lock (_writeLock)
        {
            try
            {
                using (WriteGate())
                {
                    if (!ReadOnly && _known is not null)
                    {
                        try
                        {
                            SaveDerivedState(_known);
                        }
                        catch (Exception e) when (e is IOException or LiteException)
                        {
                            // Derived state: the saved map and the logs it did not cut still give it on the next open.
                        }
                    }
                    try
                    {
                        MaybeCheckpoint(closing: true);
                    }
                    catch (Exception e) when (e is IOException or LiteException)
                    {
                        // The logs stay: LiteDB reads them on the next open, and the next writer folds them.
                    }
                    foreach (var segment in _segments.Reverse()) segment.Dispose();
                    _db.Dispose();
                }
            }
            finally
            {
                _snapshot?.Dispose();
                if (_ownsWriter) _writer?.Dispose();
            }
        }
    }
}
