using LiteDB;
using LiteDB.Engine;

namespace Archiver.Storage;

/// <summary>Opens LiteDB files the way the archive needs them, with one clear error when another process holds them.</summary>
internal static class LiteFiles
{
    /// <summary>Log bytes past which the writer folds a file's log into its data file (LiteDB's own default: 1,000 pages).</summary>
    public const long CheckpointBytes = 1000 * 8192;

    /// <summary>Ordinal: keys are compared byte-wise; culture-aware collation is slower and not what ids need.</summary>
    public static Collation OrdinalCollation => new("en-US/Ordinal");

    /// <summary>
    /// Every LiteDB file of the archive is opened through here: one thread at a time inside its engine
    /// (<see cref="SerializedLiteEngine"/> says why). Throws <see cref="IOException"/> when another process holds the file.
    /// </summary>
    public static LiteDatabase Database(EngineSettings settings)
    {
        var engine = new LiteEngine(settings);
        return new LiteDatabase(new SerializedLiteEngine(engine));
    }

    public static LiteDatabase Open(string path, string archiveRoot, bool readOnly)
    {
        LiteDatabase db;
        try
        {
            db = Database(new EngineSettings { Filename = path, ReadOnly = readOnly, Collation = OrdinalCollation });
        }
        catch (IOException e)
        {
            throw new ArchiveBusyException(archiveRoot, e);
        }
        if (!readOnly)
        {
            try
            {
                // LiteDB folds its log into the data file by itself once it passes 1,000 pages, and on close. A reader
                // in another process reads the data file plus the log as it was when it opened: a fold under it would
                // change pages it has not read yet. The writer folds only when no reader is open (ArchiveLock).
                db.Pragma("CHECKPOINT", 0);
            }
            catch
            {
                db.Dispose();
                throw;
            }
        }
        return db;
    }

    /// <summary>
    /// Opens a file for reading as it is now: LiteDB reads the data file and the log through streams whose length
    /// is fixed here, so what a writer appends later is not seen (its pages are not in the log index built now) and a
    /// half-written last page is left out instead of cropped. LiteDB given streams never deletes or truncates a file,
    /// which it does with a file name (it deletes a log it finds empty on close, even one a writer is about to fill).
    /// </summary>
    public static LiteDatabase OpenSnapshot(string path)
    {
        var data = SnapshotStream.Open(path) ?? throw new FileNotFoundException($"Archive file not found: {path}", path);
        SnapshotStream? log = null;
        try
        {
            log = SnapshotStream.Open(LogPath(path));
            var engine = new LiteEngine(new EngineSettings
            {
                DataStream = data,
                LogStream = log ?? (Stream)new MemoryStream(),
                ReadOnly = true,
                Collation = OrdinalCollation,
            });
            return new SnapshotDatabase(new SerializedLiteEngine(engine), data, log);
        }
        catch
        {
            data.Dispose();
            log?.Dispose();
            throw;
        }
    }

    private static string LogPath(string path) =>
        Path.Combine(Path.GetDirectoryName(path) ?? "", Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path));

    private const System.Reflection.BindingFlags Private = System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance;
    private static readonly System.Reflection.FieldInfo? EngineField = typeof(LiteDatabase).GetField("_engine", Private);
    private static readonly System.Reflection.FieldInfo? WalField = typeof(LiteEngine).GetField("_walIndex", Private);
    private static readonly System.Reflection.MethodInfo? SoftCheckpoint = WalField?.FieldType.GetMethod("TryCheckpoint");

    /// <summary>
    /// LiteDB's own soft checkpoint (what it runs after a commit when auto-checkpoints are on): folds the log only if
    /// no transaction of this process is open on the file, without waiting. The public <see cref="LiteDatabase.Checkpoint"/>
    /// waits for every open transaction (up to LiteDB's one-minute timeout, then throws), and an index catch-up reading
    /// the store on another thread keeps one open for its whole scan: a resumed import's writes stalled behind it.
    /// Reached by reflection (LiteDB 5.0.21 does not expose it); if it is not there, the log is folded on close instead.
    /// </summary>
    public static void TryCheckpoint(LiteDatabase db)
    {
        if (EngineField?.GetValue(db) is not SerializedLiteEngine { Inner: LiteEngine engine } serialized) return;
        if (WalField?.GetValue(engine) is { } wal && SoftCheckpoint is { } checkpoint) serialized.Exclusive(() => checkpoint.Invoke(wal, null));
    }

    /// <summary>Pages in each block of memory a LiteDB file's page cache takes (see <see cref="UseSmallPageCaches"/>): 10 pages of 8 KiB stay under the runtime's 85,000-byte large-object threshold.</summary>
    public const int SmallCacheSegmentPages = 10;

    /// <summary>
    /// Makes the page cache of every LiteDB file opened from now on in this process small: LiteDB 5 grows a file's cache
    /// in blocks of 12, 50, 100, 500 and then 1,000 pages (8 MiB) and reuses idle pages only when more of them than the
    /// next block are idle, so each open file keeps 13+ MiB (the watcher's five: 66 MiB, bench watch) and every file
    /// opened for a while (a watch check's frontier) leaves 0.5 MiB of blocks on the large-object heap, freed only by
    /// a full collection. With blocks of <see cref="SmallCacheSegmentPages"/> pages a cache holds the pages in use
    /// (a transaction holds every page it read until it ends) plus about 10 idle ones, in blocks the runtime compacts
    /// like any small object; pages read again come from the operating system's file cache. LiteDB never frees a block:
    /// a cache stays as large as the largest transaction made it. For long-running processes that care about their memory (<c>watch run</c>),
    /// not for bulk work. Reached by reflection (LiteDB 5.0.21's <c>Constants.MEMORY_SEGMENT_SIZES</c>, read when a
    /// file is opened); false if it is not there.
    /// </summary>
    public static bool UseSmallPageCaches()
    {
        var field = typeof(LiteDatabase).Assembly.GetType("LiteDB.Constants")?.GetField("MEMORY_SEGMENT_SIZES",
            System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static);
        if (field is null || field.FieldType != typeof(int[]) || field.IsInitOnly) return false;
        field.SetValue(null, new[] { SmallCacheSegmentPages });
        return true;
    }

    /// <summary>
    /// Creates the collections a writer will use that the file does not have yet, before any other thread can
    /// read them: LiteDB 5 fails a read of a collection that another transaction is creating at that moment
    /// ("ENSURE: page type must be collection page", litedb-org/LiteDB#2792), which a fresh archive hit when the
    /// crawl's stages read the store or frontier while the writer's first commit created a collection.
    /// </summary>
    public static void CreateCollections(LiteDatabase db, params string[] names)
    {
        var existing = db.GetCollectionNames().ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            if (existing.Contains(name)) continue;
            var collection = db.GetCollection(name);
            collection.Insert(new BsonDocument { ["_id"] = "~create" });
            collection.Delete("~create");
        }
    }

    /// <summary>The size of a LiteDB file's write-ahead log (<c>name-log.ext</c>), 0 when there is none.</summary>
    public static long LogBytes(string path)
    {
        var info = new FileInfo(LogPath(path));
        return info.Exists ? info.Length : 0;
    }

    /// <summary>LiteDB does not close streams it was given: this closes them after the engine.</summary>
    private sealed class SnapshotDatabase(ILiteEngine engine, Stream data, Stream? log) : LiteDatabase(engine, disposeOnClose: true)
    {
        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (!disposing) return;
            data.Dispose();
            log?.Dispose();
        }
    }
}
