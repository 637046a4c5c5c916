using System.Threading.Channels;
using Archiver.Indexing;
using Archiver.Storage;

namespace Archiver.Crawling;

/// <summary>
/// The single writer: merges pages into one archive transaction, then records them (and the requests they
/// produced) in the frontier. The order is what makes resume exact: a page is done in the frontier only once
/// its records are committed; a crash in between only repeats that page, and the archive recognises the
/// repeated posts as unchanged.
/// </summary>
internal sealed class StoreStage(CrawlRun run, DispatchStage dispatch, IndexFollower? index, Action<StoreBatchResult>? committed)
{
    private const int MaxRecordsPerCommit = 4000;

    private CrawlCounters Counters => run.Counters;

    public async Task RunAsync(ChannelReader<StoreWork> input)
    {
        var pending = new List<StoreWork>();
        while (await input.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            var records = 0;
            while (records < MaxRecordsPerCommit && input.TryRead(out var work))
            {
                pending.Add(work);
                records += work.Batch.Count + 1;
            }
            if (pending.Count == 0) continue;
            if (run.Fatal is null)
            {
                try
                {
                    Commit(pending);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    run.Abort(new ArchiverException($"Storing crawled records failed: {e.Message}", e));
                }
            }
            dispatch.Completed(pending.Select(w => w.Item).ToList(), pending.Count(w => w.Outcome is null));
            pending.Clear();
        }
    }

    private void Commit(List<StoreWork> works)
    {
        StoreBatch batch;
        StoreBatchResult? result = null;
        using (Counters.Time(CrawlStage.Store))
        {
            batch = new StoreBatch
            {
                Posts = works.SelectMany(w => w.Batch.Posts).ToList(),
                Authors = works.SelectMany(w => w.Batch.Authors).ToList(),
                Media = works.SelectMany(w => w.Batch.Media).ToList(),
                Disappearances = works.SelectMany(w => w.Batch.Disappearances).Concat(ListingDisappearances(works)).ToList(),
            };
            if (batch.Count > 0)
            {
                result = Write(batch);
                Counters.AddStoreResult(result.Edited, result.Deleted);
                committed?.Invoke(result);
            }
        }
        // Waits only when the index has fallen a few batches behind (back-pressure instead of unbounded memory).
        if (result is not null) index?.Follow(batch, result);
        using (Counters.Time(CrawlStage.Frontier))
            run.Frontier.Commit(works.Select(w => w.Outcome).OfType<FrontierOutcome>().ToList(), works.SelectMany(w => w.Next));
        foreach (var w in works)
        {
            Counters.AddPosts(w.Posts);
            Counters.AddAuthors(w.Batch.Authors.Count);
            run.Seeds.Stored(w.Item.Request, w.Posts, w.Archived);
        }
    }

    /// <summary>The archive's commit of a merged batch: the one place the crawl writes records.</summary>
    private StoreBatchResult Write(StoreBatch batch) => run.Store.Write(batch);

    /// <summary>
    /// Posts the archive holds in a listing's id range that the listing no longer shows: deleted (or hidden)
    /// since they were archived. Posts stored in this same batch count as shown.
    /// </summary>
    private IEnumerable<Disappearance> ListingDisappearances(List<StoreWork> works)
    {
        foreach (var work in works)
        {
            if (work.Listing is not { } check) continue;
            var window = check.Window;
            var shown = new HashSet<string>(window.Ids, StringComparer.Ordinal);
            foreach (var post in work.Batch.Posts) shown.Add(post.Post.NativeId);
            foreach (var (key, nativeId) in run.Store.LivePostsInRange(check.Platform, check.Host, window.Channel, window.FromId, window.ToId, window.ByAuthor))
            {
                if (shown.Contains(nativeId) || shown.Contains(LastSegment(nativeId))) continue;
                Counters.AddGone();
                yield return new Disappearance(key, DisappearanceKind.Post, check.SeenAt, check.Capture.Status,
                    $"missing from the listing of {(window.ByAuthor ? "account " : "")}{window.Channel} ({window.FromId}-{window.ToId})", check.Capture);
            }
        }
    }

    private static string LastSegment(string nativeId)
    {
        var slash = nativeId.LastIndexOf('/');
        return slash < 0 ? nativeId : nativeId[(slash + 1)..];
    }
}
