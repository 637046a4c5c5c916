using System.Diagnostics;
using System.Threading.Channels;
using Archiver.Search;
using Archiver.Storage;

namespace Archiver.Indexing;

/// <summary>
/// Keeps the index in step with what an <see cref="ArchiveWriter"/> commits: each committed batch's changed
/// keys are queued (the writer's thread only enqueues), and one consumer re-reads those posts from the
/// store, replaces them in the index by key and refreshes the searchers, so searches see committed data
/// within a second. Index commits (which record the store sequence) happen at most every
/// <see cref="CommitInterval"/> and on disposal; a crash in between is repaired by the catch-up at the next
/// open, since updates by key are idempotent.
/// </summary>
public sealed class IndexFollower : IAsyncDisposable
{
    public static readonly TimeSpan CommitInterval = TimeSpan.FromSeconds(5);

    private readonly ArchiveStore _store;
    private readonly PostIndex _index;
    private readonly ArchiveWriter _writer;
    private readonly Channel<StoreBatchResult> _pending = Channel.CreateUnbounded<StoreBatchResult>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _consumer;
    private long _applied;

    public IndexFollower(ArchiveStore store, PostIndex index, ArchiveWriter writer)
    {
        _store = store;
        _index = index;
        _writer = writer;
        _applied = index.StoreSequence;
        writer.Committed += OnCommitted;
        _consumer = Task.Run(ConsumeAsync);
    }

    /// <summary>The highest store sequence whose changes searches can see.</summary>
    public long AppliedSequence => Interlocked.Read(ref _applied);

    /// <summary>Waits until searches reflect everything committed up to <paramref name="sequence"/>.</summary>
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

    private void OnCommitted(StoreBatchResult result) => _pending.Writer.TryWrite(result);

    private async Task ConsumeAsync()
    {
        // Batches committed before this follower subscribed are not in the queue: catch up with the store
        // first (subscribing came before, so nothing falls between the two).
        ArchiveIndex.CatchUp(_store, _index);
        Interlocked.Exchange(ref _applied, Math.Max(AppliedSequence, _index.StoreSequence));
        var sinceCommit = Stopwatch.StartNew();
        var uncommitted = false;
        var reader = _pending.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var sequence = AppliedSequence;
            while (reader.TryRead(out var result))
            {
                foreach (var key in result.ChangedKeys)
                {
                    if (_store.GetPost(key) is { } post) _index.Upsert(SearchDocuments.From(post));
                    else _index.Remove(key);
                }
                sequence = Math.Max(sequence, result.Sequence);
            }
            _index.Refresh();
            Interlocked.Exchange(ref _applied, sequence);
            uncommitted = true;
            if (sinceCommit.Elapsed >= CommitInterval)
            {
                _index.Commit(sequence);
                sinceCommit.Restart();
                uncommitted = false;
            }
        }
        if (uncommitted) _index.Commit(AppliedSequence);
    }

    /// <summary>Stops following, applies what is queued and commits the index.</summary>
    public async ValueTask DisposeAsync()
    {
        _writer.Committed -= OnCommitted;
        _pending.Writer.TryComplete();
        await _consumer.ConfigureAwait(false);
    }
}
