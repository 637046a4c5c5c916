using System.Threading.Channels;
using Archiver.Storage;

namespace Archiver.Crawling;

public sealed partial class Crawler
{
    private const int MaxRecordsPerCommit = 4000;

    /// <summary>Fires after each commit (archive, then frontier), on the store stage's thread.</summary>
    public event Action<StoreBatchResult>? Committed;

    /// <summary>
    /// The single writer: merges pages into one archive transaction, then records them (and the requests
    /// they produced) in the frontier. The order is what makes resume exact: a page is done in the
    /// frontier only once its records are committed; a crash in between only repeats that page, and the
    /// archive recognises the repeated posts as unchanged.
    /// </summary>
    private async Task StoreLoopAsync(ChannelReader<StoreWork> input)
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
            if (_fatal is null)
            {
                try
                {
                    Commit(pending);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    Abort(new ArchiverException($"Storing crawled records failed: {e.Message}", e));
                }
            }
            foreach (var work in pending) ReleaseHost(work.Outcome.Item);
            Interlocked.Add(ref _inFlight, -pending.Count);
            pending.Clear();
            _signal.Release();
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
                result = _store.Write(batch);
                Counters.AddStoreResult(result.Edited, result.Deleted);
                Committed?.Invoke(result);
            }
        }
        // Waits only when the index has fallen a few batches behind (back-pressure instead of unbounded memory).
        if (result is not null) _index?.Follow(batch, result);
        using (Counters.Time(CrawlStage.Frontier)) _frontier.Commit(works.Select(w => w.Outcome).ToList(), works.SelectMany(w => w.Next));
        foreach (var w in works)
        {
            Counters.AddPosts(w.Posts);
            Counters.AddAuthors(w.Batch.Authors.Count);
            if (!w.Archived && w.Posts == 0) continue;
            var tally = TallyOf(w.Outcome.Item.Request);
            lock (tally)
            {
                tally.Posts += w.Posts;
                if (w.Archived) tally.Pages++;
            }
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
            foreach (var (key, nativeId) in _store.LivePostsInRange(check.Platform, check.Host, window.Channel, window.FromId, window.ToId, window.ByAuthor))
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
