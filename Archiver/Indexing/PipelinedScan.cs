using System.Collections.Concurrent;
using Archiver.Storage;

namespace Archiver.Indexing;

/// <summary>
/// Every post of the store, read on its own thread through the constant-memory page scan while the caller
/// indexes on another: a full (re)index uses both cores and does not grow LiteDB's page cache.
/// </summary>
internal static class PipelinedScan
{
    public static IEnumerable<StoredPost> AllPosts(ArchiveStore store, CancellationToken ct)
    {
        using var queue = new BlockingCollection<StoredPost>(boundedCapacity: 4096);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Run(() =>
        {
            try
            {
                store.ScanPostsForExport(null, post => queue.Add(post, stop.Token), new PostScanProgress(), stop.Token);
            }
            finally
            {
                queue.CompleteAdding();
            }
        }, stop.Token);
        try
        {
            foreach (var post in queue.GetConsumingEnumerable(stop.Token)) yield return post;
            producer.GetAwaiter().GetResult();
        }
        finally
        {
            // The consumer stopped early (an exception, a cancel): release the producer blocked on a full queue.
            stop.Cancel();
            try
            {
                producer.Wait(TimeSpan.FromSeconds(10));
            }
            catch (AggregateException)
            {
                // Its failure (or cancellation) was already surfaced above, or no one is waiting for it.
            }
        }
    }
}
