using System.Threading.Channels;

namespace Archiver.Storage;

/// <summary>
/// The single writer stage: producers hand it small batches through a bounded channel; one consumer
/// merges them into large transactions (thousands of records each) and commits them in order.
/// <see cref="Committed"/> is raised after each commit, on the writer's thread, for followers such as the
/// search index and progress displays.
/// </summary>
public sealed class ArchiveWriter : IAsyncDisposable
{
    private readonly ArchiveStore _store;
    private readonly Channel<StoreBatch> _channel;
    private readonly int _maxRecords;
    private readonly Task _consumer;

    public event Action<StoreBatchResult>? Committed;

    /// <summary>Like <see cref="Committed"/>, with the (merged) batch that was committed: lets the search index take new posts from it instead of re-reading them.</summary>
    public event Action<StoreBatch, StoreBatchResult>? CommittedBatch;

    public ArchiveWriter(ArchiveStore store, int maxRecordsPerTransaction = 5000, int capacity = 64)
    {
        _store = store;
        _maxRecords = maxRecordsPerTransaction;
        _channel = Channel.CreateBounded<StoreBatch>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _consumer = Task.Run(ConsumeAsync);
    }

    public long Sequence => _store.Sequence;

    public ValueTask WriteAsync(StoreBatch batch, CancellationToken ct = default) =>
        batch.Count == 0 ? ValueTask.CompletedTask : _channel.Writer.WriteAsync(batch, ct);

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
            // Already reported to whoever awaited CompleteAsync; disposal must not throw again.
        }
    }

    private async Task ConsumeAsync()
    {
        var reader = _channel.Reader;
        var pending = new List<StoreBatch>();
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                var records = 0;
                while (records < _maxRecords && reader.TryRead(out var batch))
                {
                    pending.Add(batch);
                    records += batch.Count;
                }
                if (pending.Count == 0) continue;
                var merged = Merge(pending);
                var result = _store.Write(merged);
                pending.Clear();
                Committed?.Invoke(result);
                CommittedBatch?.Invoke(merged, result);
            }
        }
        catch
        {
            // Nothing more can be stored: fail producers fast instead of letting them block on a full channel.
            _channel.Writer.TryComplete();
            throw;
        }
    }

    private static StoreBatch Merge(List<StoreBatch> batches) =>
        batches.Count == 1
            ? batches[0]
            : new StoreBatch
            {
                Posts = batches.SelectMany(b => b.Posts).ToList(),
                Authors = batches.SelectMany(b => b.Authors).ToList(),
                Media = batches.SelectMany(b => b.Media).ToList(),
                Disappearances = batches.SelectMany(b => b.Disappearances).ToList(),
                Relabels = batches.SelectMany(b => b.Relabels).ToList(),
            };
}
