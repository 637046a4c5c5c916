using Lucene.Net.Analysis;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Archiver.Search;

public sealed record PostIndexOptions
{
    /// <summary>Keep the text in the index (compressed stored fields) for snippets; otherwise (and for documents indexed without it) <see cref="TextLookup"/> supplies it.</summary>
    public bool StoreText { get; init; }
    /// <summary>Measured: 64 MB builds faster than 256 MB (smaller flushes overlap with indexing; the final flush is shorter).</summary>
    public double RamBufferMB { get; init; } = 64;
    /// <summary>Texts of the hits by key, for snippets when the text is not stored.</summary>
    public Func<IReadOnlyList<string>, IReadOnlyDictionary<string, HitText>>? TextLookup { get; init; }
    /// <summary>
    /// Read-only: search the commit that was last when opened, not the newest another process committed since (a server
    /// pairs the index with a store snapshot of the same moment, and reopens both together).
    /// </summary>
    public bool Pinned { get; init; }
}

/// <summary>A hit's text as <see cref="PostIndexOptions.TextLookup"/> found it, and the record it came from (see <see cref="SearchHit.Source"/>).</summary>
public sealed record HitText(string? Text, object? Source = null);

/// <summary>
/// The full-text index of the archive: one <see cref="IndexWriter"/> (a second one fails on write.lock),
/// near-real-time searchers through a <see cref="SearcherManager"/>, updates by post key, and commits that
/// record the store sequence they reflect so a restart knows what to catch up. Thread-safe: documents may be
/// added from several threads and searches run while writes happen.
/// </summary>
public sealed partial class PostIndex : IDisposable
{
    public const string StoreSequenceKey = "store_seq";

    private readonly LuceneDirectory _directory;
    private readonly IndexWriter? _writer;
    private readonly SearcherManager _searchers;
    private readonly Analyzer _analyzer;
    private readonly ThreadLocal<DocumentBuilder> _builders;
    private readonly PostIndexOptions _options;
    private long _storeSequence;
    private bool _disposed;

    public string Path { get; }
    public bool ReadOnly => _writer is null;
    public PostIndexOptions Options => _options;

    /// <summary>The store sequence the last commit (or the last <see cref="Commit"/> call) reflects.</summary>
    public long StoreSequence => Interlocked.Read(ref _storeSequence);

    private PostIndex(string path, LuceneDirectory directory, IndexWriter? writer, SearcherManager searchers, Analyzer analyzer, PostIndexOptions options, long storeSequence)
    {
        Path = path;
        _directory = directory;
        _writer = writer;
        _searchers = searchers;
        _analyzer = analyzer;
        _options = options;
        _storeSequence = storeSequence;
        _builders = new ThreadLocal<DocumentBuilder>(() => new DocumentBuilder(options.StoreText));
    }

    public static bool Exists(string path) =>
        System.IO.Directory.Exists(path) && DirectoryReader.IndexExists(FSDirectory.Open(path));

    /// <summary>Stored fields, the files a page of hits reads its texts from (Lucene's <c>.fdt</c>, with their index <c>.fdx</c>).</summary>
    private static readonly HashSet<string> StoredFieldFiles = ["fdt", "fdx"];

    /// <summary>
    /// The index's files memory-mapped (Lucene's choice on 64 bits), except its stored fields, read through buffered file
    /// reads: a stored document is decompressed from the start of its 16 KB block, byte by byte, and Lucene.Net reads each
    /// byte of a mapped file through a SafeBuffer (a handle reference taken and released per byte). Mapped, reading the
    /// 20 hits of a search was a fifth of a server's CPU (bench serve, dotnet-trace).
    /// </summary>
    private static LuceneDirectory OpenDirectory(string path)
    {
        var folder = new DirectoryInfo(path);
        var locks = new NativeFSLockFactory(folder);
        return new FileSwitchDirectory(StoredFieldFiles, new StoredFieldsDirectory(folder, locks), FSDirectory.Open(folder, locks), doClose: true);
    }

    /// <summary>
    /// Reads in 16 KB pieces, a compressed block at a time: with Lucene's 1 KB, each document cost several reads, each
    /// asking the file's length again (a system call) before reading.
    /// </summary>
    private sealed class StoredFieldsDirectory(DirectoryInfo folder, LockFactory locks) : NIOFSDirectory(folder, locks)
    {
        public override IndexInput OpenInput(string name, IOContext context)
        {
            var input = base.OpenInput(name, context);
            if (input is BufferedIndexInput buffered) buffered.SetBufferSize(16 * 1024);
            return input;
        }
    }

    /// <summary>Opens (creating if needed) the index for writing and searching.</summary>
    public static PostIndex Open(string path, PostIndexOptions? options = null)
    {
        options ??= new PostIndexOptions();
        System.IO.Directory.CreateDirectory(path);
        var directory = OpenDirectory(path);
        var analyzer = Analyzers.PerField();
        IndexWriter? writer = null;
        try
        {
            var config = new IndexWriterConfig(Analyzers.Version, analyzer)
            {
                OpenMode = OpenMode.CREATE_OR_APPEND,
                RAMBufferSizeMB = options.RamBufferMB,
                WriteLockTimeout = 250,
                // Compound files copy every small segment once more after it is written; the file count saved is not worth it.
                UseCompoundFile = false,
                MergePolicy = new SmallSegmentMergePolicy { NoCFSRatio = 0 },
            };
            try
            {
                writer = new IndexWriter(directory, config);
            }
            catch (LockObtainFailedException e)
            {
                throw new IndexBusyException(path, e);
            }
            if (!DirectoryReader.IndexExists(directory)) writer.Commit();
            // Small segments left by an earlier run (or by a version before SmallSegmentMergePolicy) merge in the background now.
            else writer.MaybeMerge();
            var sequence = ReadSequence(writer.CommitData);
            var searchers = new SearcherManager(writer, applyAllDeletes: true, new SearcherFactory());
            return new PostIndex(path, directory, writer, searchers, analyzer, options, sequence);
        }
        catch
        {
            writer?.Dispose();
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Opens an existing index for searching only (another process may be writing it): sees its commits.</summary>
    public static PostIndex OpenReadOnly(string path, PostIndexOptions? options = null)
    {
        var directory = OpenDirectory(path);
        try
        {
            var searchers = new SearcherManager(directory, new SearcherFactory());
            long sequence;
            var searcher = searchers.Acquire();
            try
            {
                sequence = ReadSequence(((DirectoryReader)searcher.IndexReader).IndexCommit.UserData);
            }
            finally
            {
                searchers.Release(searcher);
            }
            return new PostIndex(path, directory, null, searchers, Analyzers.PerField(), options ?? new PostIndexOptions(), sequence);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Adds a post known not to be in the index (a rebuild or a fresh index): no delete-by-key.</summary>
    public void Add(SearchDocument post) => Writer.AddDocument(_builders.Value!.Build(post));

    /// <summary>Adds or replaces the post with this key.</summary>
    public void Upsert(SearchDocument post) =>
        Writer.UpdateDocument(new Term(IndexFields.Key, post.Key), _builders.Value!.Build(post));

    public void Remove(string key) => Writer.DeleteDocuments(new Term(IndexFields.Key, key));

    public void DeleteAll() => Writer.DeleteAll();

    /// <summary>Makes everything added so far durable, recording the store sequence it reflects.</summary>
    public void Commit(long storeSequence)
    {
        Writer.SetCommitData(new Dictionary<string, string>
        {
            [StoreSequenceKey] = storeSequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        Writer.Commit();
        Interlocked.Exchange(ref _storeSequence, storeSequence);
    }

    /// <summary>Makes changes visible to searches now (NRT; no commit needed).</summary>
    public void Refresh() => _searchers.MaybeRefreshBlocking();

    /// <summary>Waits for background merges (before measuring the size of a fresh index, e.g.).</summary>
    public void ForceMergeDeletes() => Writer.ForceMergeDeletes(doWait: true);

    public int DocumentCount
    {
        get
        {
            var searcher = _searchers.Acquire();
            try
            {
                return searcher.IndexReader.NumDocs;
            }
            finally
            {
                _searchers.Release(searcher);
            }
        }
    }

    public long SizeOnDisk() =>
        new DirectoryInfo(Path).EnumerateFiles().Sum(f => f.Length);

    private IndexWriter Writer => _writer ?? throw new InvalidOperationException("The index was opened read-only.");

    private static long ReadSequence(IDictionary<string, string>? data) =>
        data is not null && data.TryGetValue(StoreSequenceKey, out var value) && long.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _searchers.Dispose();
        // Disposing the writer commits what is pending with the last recorded store sequence: safe, since a
        // catch-up re-applies everything after it and updates by key are idempotent.
        _writer?.Dispose();
        _builders.Dispose();
        _analyzer.Dispose();
        _directory.Dispose();
    }
}
