using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Archiver.Search;
using Archiver.Storage;

namespace Archiver.Indexing;

/// <summary>
/// Keeps the index in step with what the store commits, on its own thread, so storing and indexing run
/// side by side. Each committed batch is handed over with its <see cref="StoreBatchResult"/> through a
/// bounded queue (a writer that outruns the index waits: back-pressure, bounded memory). Posts the store
/// reports as newly inserted are indexed straight from the batch (no re-read, no delete-by-key); edits,
/// count refreshes and deletions are re-read from the store by key and replaced. Index commits (which
/// record the store sequence) happen every <see cref="IndexFollowerOptions.CommitInterval"/> and at the
/// end; a crash in between is repaired by the catch-up at the next open, since updates by key are idempotent.
/// </summary>
public sealed class IndexFollower : ICommitFollower
{
    /// <summary>Posts a thread takes at a time when several add a run of batches.</summary>
    private const int RangeSize = 256;
    /// <summary>New posts gathered from queued batches before they are indexed (bounds memory and the applied-sequence lag).</summary>
    private const int MaxPostsPerLoop = 50_000;

    private readonly ArchiveStore _store;
    private readonly PostIndex _index;
    private readonly bool _ownsIndex;
    private readonly ArchiveWriter? _writer;
    private readonly IndexFollowerOptions _options;
    private readonly Channel<(StoreBatch Batch, StoreBatchResult Result)> _pending;
    private readonly Task _consumer;
    private readonly Stopwatch _busy = new();
    private long _applied;
    private long _caughtUpTo = long.MaxValue;
    private long _added;
    private long _reread;
    private bool _disposed;
    private readonly CancellationToken _catchUpStop;
    private readonly PostsMark? _subscribedAt;

    /// <summary>Follows an <see cref="ArchiveWriter"/>'s commits (subscribes to <see cref="ArchiveWriter.CommittedBatch"/>).</summary>
    public IndexFollower(ArchiveStore store, PostIndex index, ArchiveWriter writer, IndexFollowerOptions? options = null)
        : this(store, index, ownsIndex: false, caughtUp: false, options)
    {
        _writer = writer;
        writer.CommittedBatch += Follow;
    }

    private IndexFollower(ArchiveStore store, PostIndex index, bool ownsIndex, bool caughtUp, IndexFollowerOptions? options, CancellationToken catchUpStop = default)
    {
        _catchUpStop = catchUpStop;
        _store = store;
        _index = index;
        _ownsIndex = ownsIndex;
        _options = options ?? new IndexFollowerOptions();
        _applied = index.StoreSequence;
        if (caughtUp) _caughtUpTo = store.Sequence;
        // Taken before the writer's next commit (the caller opens the follower before writing): every later batch is
        // handed to it, so the catch-up need not read a segment that had nothing newer than the index at this point.
        else _subscribedAt = store.MarkPosts();
        _pending = Channel.CreateBounded<(StoreBatch, StoreBatchResult)>(new BoundedChannelOptions(Math.Max(1, _options.QueuedBatches))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _consumer = Task.Run(() => ConsumeAsync(caughtUp));
    }

    /// <summary>
    /// Opens the archive's index (a busy index is an <see cref="ArchiverException"/>) and follows the store from
    /// there: call it before writing, then hand every committed batch to <see cref="Follow"/> or
    /// <see cref="FollowAsync"/>. Disposing the follower commits and closes the index.
    /// The catch-up with what the store committed before (after a kill, or a --no-index run) happens on the
    /// follower's thread while the caller already stores: a resumed import used to spend 7-13 s catching up
    /// before its first commit, so kills a few seconds apart made no progress at all. Batches committed meanwhile
    /// wait in the queue (up to <see cref="IndexFollowerOptions.QueuedBatches"/>) and are applied by key after it.
    /// </summary>
    public static IndexFollower Open(ArchiveStore store, IndexFollowerOptions? options = null, CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        ct.ThrowIfCancellationRequested();
        var index = ArchiveIndex.OpenWriter(store, options?.RamBufferMB);
        try
        {
            // Nothing to catch up (the usual case): new posts are added straight from the batches from the first one.
            var follower = new IndexFollower(store, index, ownsIndex: true, caughtUp: index.StoreSequence == store.Sequence, options, ct);
            follower.CatchUpTime = watch.Elapsed;
            return follower;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Like <see cref="Open"/>, but null when another archiver process holds the index: the caller stores
    /// without following, and the index catches up when it is next opened.
    /// </summary>
    public static IndexFollower? TryOpen(ArchiveStore store, IndexFollowerOptions? options = null, CancellationToken ct = default)
    {
        try
        {
            return Open(store, options, ct);
        }
        catch (ArchiverException e) when (e.InnerException is IndexBusyException)
        {
            return null;
        }
    }

    /// <summary>For <see cref="ArchiveSessionOptions.Follower"/>: the session's index follower, or none while another process holds the index (<see cref="TryOpen"/>).</summary>
    public static Func<ArchiveStore, CancellationToken, ICommitFollower?> Opener(IndexFollowerOptions options) =>
        (store, ct) => TryOpen(store, options, ct);

    /// <summary>The highest store sequence whose changes are in the index (and visible to searches when refreshing).</summary>
    public long AppliedSequence => Interlocked.Read(ref _applied);

    /// <summary>The index it writes, for searches in the same process (<c>archiver serve</c>): near-real-time after each commit.</summary>
    public PostIndex Index => _index;

    /// <summary>Time the indexing thread spent working (catch-up included), not waiting for batches.</summary>
    public TimeSpan Busy
    {
        get
        {
            lock (_busy) return _busy.Elapsed;
        }
    }

    /// <summary>Time <see cref="Open"/> spent before following (opening the index; the catch-up itself counts in <see cref="Busy"/>).</summary>
    public TimeSpan CatchUpTime { get; private set; }

    /// <summary>Posts indexed straight from the committed batches (new posts).</summary>
    public long Added => Interlocked.Read(ref _added);

    /// <summary>Posts re-read from the store to be indexed (edits, count refreshes, deletions, catch-up overlap).</summary>
    public long Reread => Interlocked.Read(ref _reread);

    /// <summary>
    /// Hands over a committed batch; blocks while the queue is full. Call in commit order. After an indexing
    /// failure batches are dropped (the store keeps them; the next open catches the index up) and the failure
    /// surfaces from <see cref="CompleteAsync"/>.
    /// </summary>
    public void Follow(StoreBatch batch, StoreBatchResult result)
    {
        if (result.ChangedKeys.Count == 0) return;
        var write = _pending.Writer.WriteAsync((batch, result));
        if (write.IsCompletedSuccessfully) return;
        try
        {
            write.AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException) when (_consumer.IsCompleted)
        {
            // Indexing failed: the store keeps this batch and CompleteAsync reports the failure.
        }
    }

    /// <summary>Hands over a committed batch; waits while the queue is full. Call in commit order (see <see cref="Follow"/>).</summary>
    public async ValueTask FollowAsync(StoreBatch batch, StoreBatchResult result, CancellationToken ct = default)
    {
        if (result.ChangedKeys.Count == 0) return;
        try
        {
            await _pending.Writer.WriteAsync((batch, result), ct).ConfigureAwait(false);
        }
        catch (ChannelClosedException) when (_consumer.IsCompleted)
        {
            // Indexing failed: the store keeps this batch and CompleteAsync reports the failure.
        }
    }

    /// <summary>Waits until the index reflects everything committed up to <paramref name="sequence"/>.</summary>
    public async Task WaitForAsync(long sequence, CancellationToken ct = default)
    {
        while (AppliedSequence < sequence)
        {
            if (_consumer.IsCompleted)
            {
                await _consumer.ConfigureAwait(false);
                return;
            }
            await Task.Delay(10, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Stops following, indexes what is queued, commits, and surfaces an indexing failure if any.</summary>
    public async Task CompleteAsync()
    {
        if (_writer is not null) _writer.CommittedBatch -= Follow;
        _pending.Writer.TryComplete();
        await _consumer.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            await CompleteAsync().ConfigureAwait(false);
        }
        finally
        {
            if (_ownsIndex) _index.Dispose();
        }
    }

    private async Task ConsumeAsync(bool caughtUp)
    {
        try
        {
            await ConsumeCoreAsync(caughtUp).ConfigureAwait(false);
        }
        catch
        {
            // Nothing more can be indexed: release a writer blocked on the full queue. The store stays the
            // source of truth; the next open catches the index up.
            _pending.Writer.TryComplete();
            while (_pending.Reader.TryRead(out _)) { }
            throw;
        }
    }

    private async Task ConsumeCoreAsync(bool caughtUp)
    {
        var reader = _pending.Reader;
        if (!caughtUp)
        {
            // Store progress first: the catch-up (a full scan of the store and Lucene on every core) starts once the
            // writer has committed its first batch, or finished without one. A resumed import killed every few
            // seconds otherwise spent each run catching up and never committed anything (issue 15).
            await reader.WaitToReadAsync().ConfigureAwait(false);
            Work(() =>
            {
                // Batches committed before this follower subscribed are not in the queue: catch up with the store
                // first. Its scan may also see posts of batches committed meanwhile (queued too, up to one of them
                // still in flight when the scan ends, as the store writes one batch at a time): those batches are
                // applied by key, never added a second time.
                ArchiveIndex.CatchUp(_store, _index, ct: _catchUpStop, asOf: _subscribedAt);
                Interlocked.Exchange(ref _caughtUpTo, _store.Sequence + 1);
                Interlocked.Exchange(ref _applied, Math.Max(AppliedSequence, _index.StoreSequence));
            });
        }
        var sinceCommit = Stopwatch.StartNew();
        var sinceRefresh = Stopwatch.StartNew();
        var uncommitted = false;
        var unrefreshed = false;
        Task<bool>? waiting = null;
        while (true)
        {
            waiting ??= reader.WaitToReadAsync().AsTask();
            // Nothing new: the applied batches are committed (and shown to searches) once the interval is up, not when
            // the next batch comes. Other processes (search, show) read the committed index, and a watcher may wait
            // hours for its next batch.
            if ((uncommitted || unrefreshed) && !waiting.IsCompleted)
            {
                var commitDue = uncommitted ? _options.CommitInterval - sinceCommit.Elapsed : TimeSpan.MaxValue;
                var refreshDue = unrefreshed ? _options.RefreshInterval - sinceRefresh.Elapsed : TimeSpan.MaxValue;
                if (!await CompletesWithin(waiting, commitDue < refreshDue ? commitDue : refreshDue).ConfigureAwait(false))
                {
                    Work(() =>
                    {
                        if (unrefreshed && sinceRefresh.Elapsed >= _options.RefreshInterval)
                        {
                            _index.Refresh();
                            sinceRefresh.Restart();
                            unrefreshed = false;
                        }
                        if (uncommitted && sinceCommit.Elapsed >= _options.CommitInterval)
                        {
                            _index.Commit(AppliedSequence);
                            sinceCommit.Restart();
                            uncommitted = false;
                        }
                    });
                    continue;
                }
            }
            var more = await waiting.ConfigureAwait(false);
            waiting = null;
            if (!more) break;
            var sequence = AppliedSequence;
            Work(() =>
            {
                // New posts of consecutive insert-only batches are indexed together: one parallel loop over
                // many batches keeps every indexing thread busy, where a loop per batch waited at each join.
                var fresh = new List<PostObservation>();
                while (reader.TryRead(out var item))
                {
                    if (!TryCollectInserted(item.Batch, item.Result, fresh))
                    {
                        AddAll(fresh);
                        fresh.Clear();
                        foreach (var key in item.Result.ChangedKeys) Reindex(key);
                    }
                    sequence = Math.Max(sequence, item.Result.Sequence);
                    if (fresh.Count >= MaxPostsPerLoop)
                    {
                        AddAll(fresh);
                        fresh.Clear();
                    }
                }
                AddAll(fresh);
                if (_options.Refresh && sinceRefresh.Elapsed >= _options.RefreshInterval)
                {
                    _index.Refresh();
                    sinceRefresh.Restart();
                    unrefreshed = false;
                }
                else if (_options.Refresh)
                {
                    unrefreshed = true;
                }
                Interlocked.Exchange(ref _applied, sequence);
                uncommitted = true;
                if (sinceCommit.Elapsed >= _options.CommitInterval)
                {
                    _index.Commit(sequence);
                    sinceCommit.Restart();
                    uncommitted = false;
                }
            });
        }
        if (uncommitted)
        {
            Work(() =>
            {
                _index.Commit(AppliedSequence);
                _index.Refresh();
            });
        }
    }

    private static async Task<bool> CompletesWithin(Task<bool> task, TimeSpan time)
    {
        if (time <= TimeSpan.Zero) return false;
        using var timeout = new CancellationTokenSource();
        var first = await Task.WhenAny(task, Task.Delay(time, timeout.Token)).ConfigureAwait(false);
        await timeout.CancelAsync().ConfigureAwait(false);
        return first == task;
    }

    /// <summary>
    /// Collects the posts a batch inserted, when it only inserted (its changed keys are posts the batch stored
    /// as their first observation); false when it edited, refreshed or deleted, which are re-read by key.
    /// </summary>
    private bool TryCollectInserted(StoreBatch batch, StoreBatchResult result, List<PostObservation> fresh)
    {
        if (result.Edited != 0 || result.CountsUpdated != 0 || result.Deleted != 0 || result.Sequence <= Interlocked.Read(ref _caughtUpTo)) return false;
        var inserted = new HashSet<string>(result.ChangedKeys, StringComparer.Ordinal);
        foreach (var observation in batch.Posts)
        {
            if (inserted.Remove(observation.Post.Key)) fresh.Add(observation);
        }
        // Keys the batch's posts did not cover (none expected): read what the store holds.
        foreach (var key in inserted) Reindex(key);
        return true;
    }

    /// <summary>
    /// Adds new posts, on several threads when configured (Lucene's writer takes documents from many threads).
    /// Threads take small ranges as they go, so one busy flushing a full RAM buffer does not hold the others up.
    /// </summary>
    private void AddAll(List<PostObservation> posts)
    {
        if (posts.Count == 0) return;
        var threads = Math.Min(_options.Threads, posts.Count / RangeSize);
        if (threads <= 1)
        {
            foreach (var post in posts) _index.Add(SearchDocuments.FromNew(post.Post, post.Capture));
        }
        else
        {
            Parallel.ForEach(Partitioner.Create(0, posts.Count, RangeSize), new ParallelOptions { MaxDegreeOfParallelism = threads }, range =>
            {
                for (var i = range.Item1; i < range.Item2; i++) _index.Add(SearchDocuments.FromNew(posts[i].Post, posts[i].Capture));
            });
        }
        Interlocked.Add(ref _added, posts.Count);
    }

    private void Reindex(string key)
    {
        if (_store.GetPost(key) is { } post) _index.Upsert(SearchDocuments.From(post));
        else _index.Remove(key);
        _reread++;
    }

    private void Work(Action action)
    {
        lock (_busy) _busy.Start();
        try
        {
            action();
        }
        finally
        {
            lock (_busy) _busy.Stop();
        }
    }
}

/// <summary>How an <see cref="IndexFollower"/> trades freshness for throughput.</summary>
public sealed record IndexFollowerOptions
{
    /// <summary>How often the index commits (records the store sequence); a crash loses at most this much indexing, which the next open redoes.</summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Refresh near-real-time searchers after each applied run of batches (searches in this process see them at once).
    /// Off for bulk work nobody searches meanwhile: each refresh flushes a small segment that must be merged later.</summary>
    public bool Refresh { get; init; } = true;

    /// <summary>
    /// With <see cref="Refresh"/>, the least time between two refreshes; batches applied meanwhile become searchable
    /// when it is up. A server's searches rebuild their per-reader caches (each field's global ordinals) after every
    /// refresh: refreshed after each of a watcher's batches, several a second, it spent most of its time doing that.
    /// </summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.Zero;

    /// <summary>Threads adding a large batch's new posts (Lucene indexes them side by side); 1 keeps the indexing on the follower's thread.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Committed batches waiting for the index before the store's writer has to wait.</summary>
    public int QueuedBatches { get; init; } = 8;

    /// <summary>
    /// Lucene's in-memory buffer before it writes a segment. Fewer, larger segments make a million-post import
    /// cheaper (bench import, 1M posts: 32 MB cost 10% more CPU than 64 MB); a crawl indexes far fewer posts
    /// per second and keeps its memory for pages in flight (bench crawl: 32 MB, same pages/s, peak RSS 320
    /// instead of 370 MiB).
    /// </summary>
    public double RamBufferMB { get; init; } = 64;

    /// <summary>For imports: commit every 30 s, no NRT refreshes, large batches indexed on every core.</summary>
    public static IndexFollowerOptions Bulk { get; } = new() { CommitInterval = TimeSpan.FromSeconds(30), Refresh = false, Threads = Environment.ProcessorCount };

    /// <summary>For crawls: as <see cref="Bulk"/>, with half the RAM buffer.</summary>
    public static IndexFollowerOptions Crawl { get; } = Bulk with { RamBufferMB = 32 };
}
