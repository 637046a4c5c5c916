using LiteDB;

namespace Archiver.Storage;

/// <summary>
/// One segment of the posts: its own LiteDB file holding the posts whose key hash falls in it, their
/// earlier versions, and its own counters and sequence, all committed in one transaction per batch.
/// Segments keep each file well below the size where LiteDB slows down, let batches be written on
/// several cores at once, and bound what each file's page cache can hold.
/// </summary>
internal sealed partial class PostSegment : IDisposable
{
    private readonly LiteDatabase _db;
    private readonly ILiteCollection<BsonDocument> _posts;
    private readonly ILiteCollection<BsonDocument> _versions;
    private readonly ILiteCollection<BsonDocument> _meta;
    private readonly ILiteCollection<BsonDocument> _channels;
    private readonly ILiteCollection<BsonDocument> _log;
    private readonly ILiteCollection<BsonDocument> _events;
    private readonly Dictionary<string, long> _channelCounts = new(StringComparer.Ordinal);

    public int Number { get; }
    public string File { get; }
    public long Sequence { get; private set; }

    /// <summary>
    /// The sequence of the segment's last commit, above every post's own; null for a file with no segment record
    /// (never written by this version), whose posts' sequences it does not bound.
    /// </summary>
    public long? LastCommit => _sequenceKnown ? Sequence : null;
    private bool _sequenceKnown;
    private StoreCounters _counters = new();

    /// <summary>The segment's counters; the per-channel map is copied only when asked for (stats), not per commit.</summary>
    public StoreCounters Counters
    {
        get
        {
            lock (_channelCounts) return _counters with { ByChannel = new Dictionary<string, long>(_channelCounts, StringComparer.Ordinal) };
        }
        private set => _counters = value with { ByChannel = StoreCounters.NoChannels };
    }

    /// <summary>Counters without the per-channel map, for the write path.</summary>
    internal StoreCounters CountersWithoutChannels => _counters;

    /// <summary>Takes ownership of <paramref name="db"/>, the segment's file opened by <see cref="LiteFiles.Open"/>.</summary>
    public PostSegment(int number, string file, LiteDatabase db, bool readOnly)
    {
        Number = number;
        File = file;
        _db = db;
        try
        {
            _posts = _db.GetCollection(ArchiveStore.PostsCollection);
            _versions = _db.GetCollection(ArchiveStore.VersionsCollection);
            _meta = _db.GetCollection(ArchiveStore.MetaCollection);
            // Per-channel counts are kept in memory, saved as a snapshot now and then (and on close), and each
            // commit logs what it added (see PostSegment.DerivedLog). Upserting one document per channel touched
            // on every commit was 8% of a crawl's CPU (bench crawl: ~20 channels per page).
            _channels = _db.GetCollection(ChannelCountsCollection);
            _log = _db.GetCollection(DerivedLogCollection);
            _events = _db.GetCollection(StoreEvents.Collection);
            _readOnly = readOnly;
            if (!readOnly)
            {
                LiteFiles.CreateCollections(_db, ArchiveStore.PostsCollection, ArchiveStore.VersionsCollection, ArchiveStore.MetaCollection, ChannelCountsCollection, DerivedLogCollection, StoreEvents.Collection);
                // No index on "seq": only the index catch-up after a crash or --no-index asks for posts
                // changed since a sequence, and a scan does that in seconds, while the index cost ~10% of every
                // insert (measured with bench store). Archives written before this drop theirs once.
                _posts.DropIndex("seq");
                _versions.EnsureIndex("key", "$.key");
                // Event readers (the notifier, `archiver events --since`) ask for events after a sequence.
                _events.EnsureIndex("seq", "$.seq");
            }
            var meta = _meta.FindById("segment");
            Sequence = meta is null ? 0 : meta["seq"].AsInt64;
            _sequenceKnown = meta is not null;
            LogFrom = ReadLogFrom();
            LoadChannelCounts();
            Counters = StoreCounters.FromBson(meta?["counters"]);
        }
        catch
        {
            _db.Dispose();
            throw;
        }
    }

    public BsonDocument? FindById(string key) => _posts.FindById(key);

    /// <summary>
    /// By URL without an index: `show URL` is rare, and a url index cost every insert of the crawl's hot path
    /// (measured: part of what kept the store stage busy).
    /// </summary>
    public BsonDocument? FindByUrl(string url) => _posts.FindOne(LiteDB.Query.EQ("url", url));

    public IEnumerable<BsonDocument> Versions(string key) => _versions.Find(LiteDB.Query.EQ("key", key));

    /// <summary>
    /// Every post (or those changed after a sequence), in key order, read in short chunks: one long LiteDB
    /// query would keep every page it read cached (GBs at millions of posts).
    /// </summary>
    public IEnumerable<BsonDocument> Scan(long afterSequence, int chunkSize = 2000)
    {
        string? last = null;
        while (true)
        {
            var chunk = Chunk(last, chunkSize);
            if (chunk.Count == 0) yield break;
            foreach (var doc in chunk)
            {
                if (afterSequence <= 0 || doc["seq"].AsInt64 > afterSequence) yield return doc;
            }
            last = chunk[^1]["_id"].AsString;
        }
    }

    /// <summary>Up to <paramref name="limit"/> posts after a key, in key order: one short read transaction.</summary>
    public List<BsonDocument> Chunk(string? afterKey, int limit) =>
        (afterKey is null ? _posts.Find(LiteDB.Query.All(), 0, limit) : _posts.Find(LiteDB.Query.GT("_id", afterKey), 0, limit)).ToList();

    /// <summary>Posts of a platform's channel in this segment, from the counters kept on every commit.</summary>
    public long ChannelCount(string platform, string channel)
    {
        var name = $"{platform}:{channel}";
        lock (_channelCounts)
        {
            if (_channelCounts.TryGetValue(name, out var n)) return n;
            return _channelCounts.Where(c => string.Equals(c.Key, name, StringComparison.OrdinalIgnoreCase)).Sum(c => c.Value);
        }
    }

    private bool _channelIndex;

    public void EnsureChannelIndex()
    {
        if (_channelIndex) return;
        _posts.EnsureIndex("channel", "$.channel");
        _channelIndex = true;
    }

    public IEnumerable<BsonDocument> FindByChannel(string channel) => _posts.Find(LiteDB.Query.EQ("channel", channel));

    private bool _authorIndex;

    /// <summary>Built on first use, as the channel index: only listing checks of account timelines need it.</summary>
    public void EnsureAuthorIndex()
    {
        if (_authorIndex) return;
        _posts.EnsureIndex("authorId", "$.authorId");
        _authorIndex = true;
    }

    public IEnumerable<BsonDocument> FindByAuthor(string authorId) => _posts.Find(LiteDB.Query.EQ("authorId", authorId));

    /// <summary>The events this segment recorded (about its posts) in commits after <paramref name="afterSequence"/>.</summary>
    public IEnumerable<BsonDocument> Events(long afterSequence) =>
        afterSequence <= 0 ? _events.FindAll() : _events.Find(LiteDB.Query.GT("seq", afterSequence));

    public void Checkpoint() => _db.Checkpoint();

    /// <summary>Folds the log if no transaction of this process is open on the file; never waits (see <see cref="LiteFiles.TryCheckpoint"/>).</summary>
    public void TryCheckpoint() => LiteFiles.TryCheckpoint(_db);

    /// <summary>Bytes in the segment's write-ahead log not yet folded into its data file.</summary>
    public long LogBytes => LiteFiles.LogBytes(File);

    private readonly bool _readOnly;

    public void Dispose() => _db.Dispose();
}
