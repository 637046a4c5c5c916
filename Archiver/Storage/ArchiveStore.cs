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
    private readonly Lock _writeLock = new();
    private KnownPosts? _known;
    private StoreCounters _mainCounters;
    private long _sequence;
    private bool _disposed;

    public ArchivePaths Paths { get; }
    public bool ReadOnly { get; }

    private ArchiveStore(ArchivePaths paths, LiteDatabase db, bool readOnly, int newSegments)
    {
        Paths = paths;
        ReadOnly = readOnly;
        _db = db;
        _authors = db.GetCollection(AuthorsCollection);
        _authorVersions = db.GetCollection(AuthorVersionsCollection);
        _media = db.GetCollection(MediaCollection);
        _sightings = db.GetCollection(SightingsCollection, BsonAutoId.Int64);
        _meta = db.GetCollection(MetaCollection);
        _jobs = db.GetCollection(JobsCollection);
        var meta = _meta.FindById("store");
        if (meta is null && !readOnly)
        {
            meta = new BsonDocument { ["_id"] = "store", ["seq"] = 0L, ["segments"] = newSegments, ["counters"] = new StoreCounters().ToBson() };
            _meta.Insert(meta);
        }
        _sequence = meta is null ? 0 : meta["seq"].AsInt64;
        _mainCounters = StoreCounters.FromBson(meta?["counters"]);
        var segmentCount = meta is null ? 0 : meta["segments"].AsInt32;
        _segments = new PostSegment[segmentCount];
        try
        {
            for (var i = 0; i < segmentCount; i++)
                _segments[i] = new PostSegment(i, paths.Segment(i), paths.Root, readOnly);
        }
        catch
        {
            foreach (var s in _segments) s?.Dispose();
            throw;
        }
    }

    /// <summary>Opens (creating if needed) the archive in <paramref name="directory"/>.</summary>
    public static ArchiveStore Open(string directory, bool readOnly = false, int segments = DefaultSegments)
    {
        var paths = new ArchivePaths(Path.GetFullPath(directory));
        if (readOnly && !paths.Exists)
            throw new ArchiverException($"No archive at {paths.Root} (no archive.db). Crawl or import something first, or pass --data DIR.");
        if (!readOnly) paths.EnsureCreated();
        var db = LiteFiles.Open(paths.Database, paths.Root, readOnly);
        try
        {
            var store = new ArchiveStore(paths, db, readOnly, segments);
            if (!readOnly) store.EnsureIndexes();
            return store;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    private void EnsureIndexes() => _authorVersions.EnsureIndex("key", "$.key");

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
            if (!ReadOnly && _known is not null)
            {
                try
                {
                    _known.Save(Paths.KeyCache, StateStamp());
                }
                catch (IOException)
                {
                    // The map is a cache: without it the next writer rebuilds it from the segments.
                }
            }
            foreach (var segment in _segments.Reverse()) segment.Dispose();
            _db.Dispose();
        }
    }
}
