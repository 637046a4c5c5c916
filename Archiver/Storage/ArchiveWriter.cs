using System.Threading.Channels;

namespace Archiver.Storage;

/// <summary>
/// The single writer stage: producers hand it batches through a bounded channel; one consumer merges them into
/// large transactions (thousands of records each) and commits them in order. Each producer's batch is
/// acknowledged: <see cref="SubmitAsync(StoreBatch, Action{StoreBatchResult}?, CancellationToken)"/> returns a
/// task that completes with that batch's own result once the transaction holding it has committed, and an
/// after-commit callback runs on the writer's thread right after that commit, before the next transaction, so
/// what a producer records about its progress (an import checkpoint, the frontier) never claims uncommitted
/// records. <see cref="Committed"/> is raised after each commit, on the writer's thread, for followers such as the
/// search index and progress displays.
/// </summary>
public sealed class ArchiveWriter : IAsyncDisposable
{
    private sealed record Part(StoreBatch Batch, Action<StoreBatchResult>? AfterCommit, TaskCompletionSource<StoreBatchResult> Done);

    private readonly ArchiveStore _store;
    private readonly Channel<Part> _channel;
    private readonly int _maxRecords;
    private readonly Task _consumer;
    private Exception? _failure;
    private long _followTicks;

    public event Action<StoreBatchResult>? Committed;

    /// <summary>Like <see cref="Committed"/>, with the (merged) batch that was committed: lets the search index take new posts from it instead of re-reading them.</summary>
    public event Action<StoreBatch, StoreBatchResult>? CommittedBatch;

    private volatile ICommitFollower[] _followers = [];

    /// <summary>
    /// Hands every later commit to <paramref name="follower"/> after the <see cref="CommittedBatch"/> handlers, awaiting it
    /// (it pushes back by not completing) without holding a thread: a writer that blocked a pool thread on a full index
    /// queue starved the index's own parallel work of threads.
    /// </summary>
    public void AddFollower(ICommitFollower follower)
    {
        lock (_channel) _followers = [.. _followers, follower];
    }

    public void RemoveFollower(ICommitFollower follower)
    {
        lock (_channel) _followers = [.. _followers.Where(f => !ReferenceEquals(f, follower))];
    }

    public ArchiveWriter(ArchiveStore store, int maxRecordsPerTransaction = 5000, int capacity = 64)
    {
        _store = store;
        _maxRecords = maxRecordsPerTransaction;
        _channel = Channel.CreateBounded<Part>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _consumer = Task.Run(ConsumeAsync);
    }

    public ArchiveStore Store => _store;

    public long Sequence => _store.Sequence;

    /// <summary>Time the writer spent handing commits to <see cref="CommittedBatch"/> followers (waiting when the search index fell behind).</summary>
    public TimeSpan FollowTime => System.Diagnostics.Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _followTicks));

    /// <summary>
    /// Queues <paramref name="batch"/> (waiting while the queue is full) and returns its acknowledgement: a task
    /// that completes with this batch's result once the transaction holding it committed (or fails with the
    /// writer's failure). <paramref name="afterCommit"/> runs on the writer's thread after that commit and before
    /// the next one; an empty batch is acknowledged in order too, after the batches queued before it.
    /// </summary>
    public async ValueTask<Task<StoreBatchResult>> SubmitAsync(StoreBatch batch, Action<StoreBatchResult>? afterCommit = null, CancellationToken ct = default)
    {
        var part = new Part(batch, afterCommit, new TaskCompletionSource<StoreBatchResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await _channel.Writer.WriteAsync(part, ct).ConfigureAwait(false);
        }
        catch (ChannelClosedException) when (_failure is not null)
        {
            throw new ArchiverException($"Storing failed: {_failure.Message}", _failure);
        }
        return part.Done.Task;
    }

    public ValueTask<Task<StoreBatchResult>> SubmitAsync(StoreBatch batch, CancellationToken ct) => SubmitAsync(batch, null, ct);

    /// <summary>Queues <paramref name="batch"/> and waits until it is committed; returns this batch's result.</summary>
    public async Task<StoreBatchResult> WriteAsync(StoreBatch batch, CancellationToken ct = default) =>
        await (await SubmitAsync(batch, null, ct).ConfigureAwait(false)).ConfigureAwait(false);

    /// <summary>Queues <paramref name="batch"/>, runs <paramref name="afterCommit"/> on the writer's thread once it is committed, and waits for that.</summary>
    public async Task<StoreBatchResult> WriteAsync(StoreBatch batch, Action<StoreBatchResult> afterCommit, CancellationToken ct = default) =>
        await (await SubmitAsync(batch, afterCommit, ct).ConfigureAwait(false)).ConfigureAwait(false);

    /// <summary>Queues <paramref name="batch"/> and blocks until it is committed (for producers that run on a thread of their own).</summary>
    public StoreBatchResult Write(StoreBatch batch, Action<StoreBatchResult>? afterCommit = null, CancellationToken ct = default) =>
        SubmitAsync(batch, afterCommit, ct).AsTask().GetAwaiter().GetResult().GetAwaiter().GetResult();

    /// <summary>Stops accepting batches, commits everything queued, and surfaces a writer failure if any.</summary>
    public async Task CompleteAsync()
    {
        _channel.Writer.TryComplete();
        await _consumer.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        try
        {
            await _consumer.ConfigureAwait(false);
        }
        catch (Exception) when (_consumer.IsFaulted)
        {
            // Already reported to whoever awaited CompleteAsync or an acknowledgement; disposal must not throw again.
        }
    }

    private async Task ConsumeAsync()
    {
        var reader = _channel.Reader;
        var pending = new List<Part>();
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                var records = 0;
                while (records < _maxRecords && reader.TryRead(out var part))
                {
                    pending.Add(part);
                    records += part.Batch.Count;
                }
                if (pending.Count == 0) continue;
                await CommitAsync(pending).ConfigureAwait(false);
                pending.Clear();
            }
        }
        catch (Exception e)
        {
            // Nothing more can be stored: fail every waiting producer fast instead of letting them block on a full channel.
            _failure = e;
            _channel.Writer.TryComplete();
            foreach (var part in pending) part.Done.TrySetException(e);
            while (reader.TryRead(out var part)) part.Done.TrySetException(e);
            throw;
        }
    }

    private async ValueTask CommitAsync(List<Part> parts)
    {
        IReadOnlyList<StoreBatchResult> results;
        if (parts.All(p => p.Batch.Count == 0))
        {
            var nothing = new StoreBatchResult { Sequence = _store.Sequence };
            results = parts.Select(_ => nothing).ToList();
        }
        else
        {
            var (merged, result, split) = _store.Write(parts.Select(p => p.Batch).ToList());
            results = split;
            Committed?.Invoke(result);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            CommittedBatch?.Invoke(merged, result);
            foreach (var follower in _followers) await follower.FollowAsync(merged, result).ConfigureAwait(false);
            Interlocked.Add(ref _followTicks, System.Diagnostics.Stopwatch.GetTimestamp() - started);
        }
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            try
            {
                part.AfterCommit?.Invoke(results[i]);
                part.Done.TrySetResult(results[i]);
            }
            catch (Exception e)
            {
                // The records are committed; what the producer wanted to record after them failed: it hears of it.
                part.Done.TrySetException(e);
            }
        }
    }
}
