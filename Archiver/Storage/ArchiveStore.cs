using Archiver.Model;
using LiteDB;

namespace Archiver.Storage;

/// <summary>
/// The archive: the single source of truth for everything collected, over one LiteDB file.
/// One writer (this object's <see cref="Write"/>, called from one consumer at a time) commits whole
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

    private readonly LiteDatabase _db;
    private readonly ILiteCollection<BsonDocument> _posts;
    private readonly ILiteCollection<BsonDocument> _versions;
    private readonly ILiteCollection<BsonDocument> _authors;
    private readonly ILiteCollection<BsonDocument> _authorVersions;
    private readonly ILiteCollection<BsonDocument> _media;
    private readonly ILiteCollection<BsonDocument> _sightings;
    private readonly ILiteCollection<BsonDocument> _meta;
    private readonly ILiteCollection<BsonDocument> _jobs;
    private readonly Lock _writeLock = new();
    private KnownPosts? _known;
    private StoreCounters _counters;
    private long _sequence;
    private bool _disposed;

    public ArchivePaths Paths { get; }
    public bool ReadOnly { get; }

    private ArchiveStore(ArchivePaths paths, LiteDatabase db, bool readOnly)
    {
        Paths = paths;
        ReadOnly = readOnly;
        _db = db;
        _posts = db.GetCollection(PostsCollection);
        _versions = db.GetCollection(VersionsCollection);
        _authors = db.GetCollection(AuthorsCollection);
        _authorVersions = db.GetCollection(AuthorVersionsCollection);
        _media = db.GetCollection(MediaCollection);
        _sightings = db.GetCollection(SightingsCollection, BsonAutoId.Int64);
        _meta = db.GetCollection(MetaCollection);
        _jobs = db.GetCollection(JobsCollection);
        var meta = _meta.FindById("store");
        _sequence = meta is null ? 0 : meta["seq"].AsInt64;
        _counters = StoreCounters.FromBson(meta?["counters"]);
    }

    /// <summary>Opens (creating if needed) the archive in <paramref name="directory"/>.</summary>
    public static ArchiveStore Open(string directory, bool readOnly = false)
    {
        var paths = new ArchivePaths(Path.GetFullPath(directory));
        if (readOnly && !paths.Exists)
            throw new ArchiverException($"No archive at {paths.Root} (no archive.db). Crawl or import something first, or pass --data DIR.");
        if (!readOnly) paths.EnsureCreated();
        var connection = new ConnectionString
        {
            Filename = paths.Database,
            Connection = ConnectionType.Direct,
            ReadOnly = readOnly,
            // Ordinal: keys are compared byte-wise; culture-aware collation is slower and not what ids need.
            Collation = new Collation("en-US/Ordinal"),
        };
        LiteDatabase db;
        try
        {
            db = new LiteDatabase(connection);
        }
        catch (IOException e)
        {
            throw new ArchiveBusyException(paths.Root, e);
        }
        try
        {
            var store = new ArchiveStore(paths, db, readOnly);
            if (!readOnly) store.EnsureIndexes();
            return store;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    private void EnsureIndexes()
    {
        _posts.EnsureIndex("seq", "$.seq");
        _posts.EnsureIndex("url", "$.url");
        _versions.EnsureIndex("key", "$.key");
        _authorVersions.EnsureIndex("key", "$.key");
    }

    /// <summary>The sequence number of the last committed batch (0 for an empty archive).</summary>
    public long Sequence => Interlocked.Read(ref _sequence);

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
                    _db.Checkpoint();
                    _known.Save(Paths.KeyCache, _sequence);
                }
                catch (IOException)
                {
                    // The map is a cache: without it the next writer rebuilds it from the posts collection.
                }
            }
            _db.Dispose();
        }
    }
}
