using System.Diagnostics;
using System.Threading.Channels;
using Archiver.Storage;

namespace Archiver.Crawling;

/// <summary>
/// The store stage: merges pages into one batch for the archive session's writer and, once the writer acknowledges
/// it (committed), records the pages (and the requests they produced) in the frontier. The order is what makes
/// resume exact: a page is done in the frontier only once its records are committed; a crash in between only
/// repeats that page, and the archive recognises the repeated posts as unchanged. The search index follows the
/// writer's commits (the session's follower).
/// </summary>
internal sealed class StoreStage(CrawlRun run, DispatchStage dispatch, ArchiveWriter writer, Action<StoreBatchResult>? committed)
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
                    await CommitAsync(pending).ConfigureAwait(false);
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

    private async Task CommitAsync(List<StoreWork> works)
    {
        var started = Stopwatch.GetTimestamp();
        var following = writer.FollowTime;
        var batch = new StoreBatch
        {
            Posts = works.SelectMany(w => w.Batch.Posts).ToList(),
            Authors = works.SelectMany(w => w.Batch.Authors).ToList(),
            Media = works.SelectMany(w => w.Batch.Media).ToList(),
            Disappearances = works.SelectMany(w => w.Batch.Disappearances).Concat(ListingDisappearances(works)).ToList(),
            // A watch's check records what it observes as events, in the same commit (docs/events.md).
            RecordEvents = run.Options.RecordEvents,
            WatchId = run.Options.WatchId,
        };
        if (batch.Count > 0)
        {
            var result = await writer.WriteAsync(batch).ConfigureAwait(false);
            Counters.AddStoreResult(result.Edited, result.Deleted);
            committed?.Invoke(result);
        }
        // The index follows each commit before the writer acknowledges it, waiting when it has fallen a few batches
        // behind (back-pressure instead of unbounded memory): that wait is the index's time, not the store's.
        Counters.AddStageTime(CrawlStage.Store, Stopwatch.GetElapsedTime(started) - (writer.FollowTime - following));
        using (Counters.Time(CrawlStage.Frontier))
            run.Frontier.Commit(works.Select(w => w.Outcome).OfType<FrontierOutcome>().ToList(), works.SelectMany(w => w.Next));
        foreach (var w in works)
        {
            Counters.AddPosts(w.Posts);
            Counters.AddAuthors(w.Batch.Authors.Count);
            run.Seeds.Stored(w.Item.Request, w.Posts, w.Archived);
        }
    }

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
            var to = window.Head ? long.MaxValue : window.ToId;
            foreach (var (key, nativeId) in run.Store.LivePostsInRange(check.Platform, check.Host, window.Channel, window.FromId, to, window.ByAuthor))
            {
                if (shown.Contains(nativeId) || shown.Contains(LastSegment(nativeId))) continue;
                // Above the newest page's own range only what was archived before the page was fetched: a post stored
                // since (from a thread fetched later, say) may simply be newer than the page.
                if (window.Head && AboveRange(nativeId, window.ToId) && (run.Store.GetPost(key) is not { } archived || archived.FirstSeen >= check.SeenAt)) continue;
                Counters.AddGone();
                yield return new Disappearance(key, DisappearanceKind.Post, check.SeenAt, check.Capture.Status,
                    $"missing from the listing of {(window.ByAuthor ? "account " : "")}{window.Channel} ({window.FromId}-{window.ToId})", check.Capture);
            }
        }
    }

    private static bool AboveRange(string nativeId, long toId) =>
        !long.TryParse(LastSegment(nativeId), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) || id > toId;

    private static string LastSegment(string nativeId)
    {
        var slash = nativeId.LastIndexOf('/');
        return slash < 0 ? nativeId : nativeId[(slash + 1)..];
    }
}
