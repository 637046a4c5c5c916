namespace Archiver.Storage;

/// <summary>
/// Something that follows what the session's writer commits (the search index). It is opened on the store after
/// the store, and disposed before it. Storage knows it only by this interface: the composition root says which.
/// </summary>
public interface ICommitFollower : IAsyncDisposable
{
    /// <summary>Gets every committed (merged) batch, in commit order, from the writer; pushes back by completing later.</summary>
    ValueTask FollowAsync(StoreBatch batch, StoreBatchResult result, CancellationToken ct = default);

    /// <summary>Finishes what it was handed (the index commits) and surfaces a failure if any.</summary>
    Task CompleteAsync();
}

/// <summary>How an <see cref="ArchiveSession"/> writes.</summary>
public sealed record ArchiveSessionOptions
{
    /// <summary>Records the writer merges into one transaction at most (producers' batches are never split).</summary>
    public int MaxRecordsPerTransaction { get; init; } = 5000;

    /// <summary>Batches waiting for the writer before producers have to wait.</summary>
    public int QueuedBatches { get; init; } = 64;

    /// <summary>
    /// Opens the follower of the writer's commits once the store is open (the search index), or gives null for none
    /// (no index wanted, or another process holds it: the index catches up when it is next opened).
    /// </summary>
    public Func<ArchiveStore, CancellationToken, ICommitFollower?>? Follower { get; init; }
}

/// <summary>
/// The one owner of an archive in a process that writes it: the writer lock (taken before anything is opened for
/// writing; another writer is an <see cref="ArchiveBusyException"/> naming its holder), the store, the follower of
/// its commits (the search index) and the single <see cref="ArchiveWriter"/> every producer of records goes
/// through. Disposed in the reverse order of opening: the writer commits what is queued, the follower finishes,
/// the store closes, the lock is released. The composition root opens one per process; readers open a snapshot
/// with <see cref="OpenReader"/>.
/// </summary>
public sealed class ArchiveSession : IAsyncDisposable
{
    private readonly bool _ownsLock;
    private bool _completed;
    private bool _disposed;

    private ArchiveSession(ArchiveLock writerLock, bool ownsLock, ArchiveStore store, ICommitFollower? follower, ArchiveWriter writer)
    {
        Lock = writerLock;
        _ownsLock = ownsLock;
        Store = store;
        Follower = follower;
        Writer = writer;
    }

    public ArchiveLock Lock { get; }
    public ArchiveStore Store { get; }
    public ICommitFollower? Follower { get; }
    public ArchiveWriter Writer { get; }
    public ArchivePaths Paths => Store.Paths;

    /// <summary>Opens (creating if needed) the archive in <paramref name="directory"/> for writing.</summary>
    public static ArchiveSession Open(string directory, ArchiveSessionOptions? options = null, CancellationToken ct = default) =>
        Open(ArchiveLock.AcquireWriter(Path.GetFullPath(directory)), ownsLock: true, options, ct);

    /// <summary>Opens the archive under a writer lock the caller holds and keeps (disposing the session does not release it).</summary>
    public static ArchiveSession Open(ArchiveLock writerLock, ArchiveSessionOptions? options = null, CancellationToken ct = default) =>
        Open(writerLock, ownsLock: false, options, ct);

    private static ArchiveSession Open(ArchiveLock writerLock, bool ownsLock, ArchiveSessionOptions? options, CancellationToken ct)
    {
        options ??= new ArchiveSessionOptions();
        ArchiveStore? store = null;
        ICommitFollower? follower = null;
        try
        {
            store = ArchiveStore.Open(writerLock);
            follower = options.Follower?.Invoke(store, ct);
            var writer = new ArchiveWriter(store, options.MaxRecordsPerTransaction, options.QueuedBatches);
            if (follower is not null) writer.AddFollower(follower);
            return new ArchiveSession(writerLock, ownsLock, store, follower, writer);
        }
        catch
        {
            if (follower is not null) follower.DisposeAsync().AsTask().GetAwaiter().GetResult();
            store?.Dispose();
            if (ownsLock) writerLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens a read-only snapshot of the archive in <paramref name="directory"/> (search, stats, show, export): what it
    /// held between two batches when opened, whatever a writer in another process commits meanwhile.
    /// </summary>
    public static ArchiveStore OpenReader(string directory) => ArchiveStore.Open(directory, readOnly: true);

    /// <summary>
    /// Commits everything queued, lets the follower finish (the index commits), and surfaces a failure of either.
    /// The archive stays open until disposed.
    /// </summary>
    public async Task CompleteAsync()
    {
        if (_completed) return;
        _completed = true;
        try
        {
            await Writer.CompleteAsync().ConfigureAwait(false);
        }
        finally
        {
            if (Follower is not null)
            {
                Writer.RemoveFollower(Follower);
                await Follower.CompleteAsync().ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            await Writer.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            try
            {
                if (Follower is not null)
                {
                    Writer.RemoveFollower(Follower);
                    await Follower.DisposeAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                try
                {
                    Store.Dispose();
                }
                finally
                {
                    if (_ownsLock) Lock.Dispose();
                }
            }
        }
    }
}
