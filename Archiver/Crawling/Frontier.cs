using Archiver.Platforms;
using Archiver.Storage;

namespace Archiver.Crawling;

/// <summary>A request the frontier handed out, with its canonical identity and how often it was tried.</summary>
public sealed record FrontierItem(string Id, CrawlRequest Request, int Attempts)
{
    public RequestKind Kind { get; init; } = RequestKind.Page;
}

/// <summary>
/// The crawl frontier: every URL the crawl has seen, by canonical URL, with its state, kept durable by
/// <see cref="FrontierStore"/> (<c>frontier.db</c>). Pending work is also held in memory, highest priority first.
/// A page is marked done only together with the requests it produced (one transaction), and only after its
/// records were committed to the archive, so a kill -9 at any moment loses nothing: what was in flight is
/// still pending on disk and is fetched again.
/// </summary>
public sealed class Frontier : IDisposable
{
    private readonly FrontierStore _store;
    private readonly PriorityQueue<FrontierItem, (int, long)> _pending = new();
    private readonly Queue<FrontierItem> _media = new();
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _order;

    public int Generation => _store.Generation;
    public long DoneCount { get; private set; }
    public long FailedCount { get; private set; }

    private Frontier(FrontierStore store)
    {
        _store = store;
        foreach (var row in store.CurrentGeneration())
        {
            _known.Add(row.Id);
            switch (row.State)
            {
                case FrontierState.Pending:
                    Enqueue(new FrontierItem(row.Id, FromRow(row.Request), row.Attempts));
                    break;
                case FrontierState.Done or FrontierState.Skipped:
                    DoneCount++;
                    break;
                case FrontierState.Failed:
                    FailedCount++;
                    break;
            }
        }
    }

    public static Frontier Open(string path, bool newGeneration)
    {
        var store = FrontierStore.Open(path, newGeneration);
        try
        {
            return new Frontier(store);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public int PendingCount
    {
        get
        {
            lock (_lock) return _pending.Count;
        }
    }

    /// <summary>True when the current generation has nothing pending on disk (the crawl ran to its end).</summary>
    public bool IsFinished => _store.IsFinished;

    public bool TryTake(out FrontierItem item)
    {
        lock (_lock) return _pending.TryDequeue(out item!, out _);
    }

    /// <summary>
    /// Queues a media file a parsed page needs. Not written to disk: the page that needs it is itself pending
    /// until its records (with the media's hashes) are stored, and a page fetched again asks for its media again.
    /// </summary>
    public void AddMedia(CrawlRequest request)
    {
        lock (_lock) _media.Enqueue(new FrontierItem("media:" + request.Url.AbsoluteUri, request, 0) { Kind = RequestKind.Media });
    }

    /// <summary>Media are handed out before pages (a parsed page waits for them) and whatever the page limit.</summary>
    public bool TryTakeMedia(out FrontierItem item)
    {
        lock (_lock) return _media.TryDequeue(out item!);
    }

    /// <summary>Adds requests not yet seen in this generation, durably, in one transaction. Returns how many were new.</summary>
    public int Add(IEnumerable<CrawlRequest> requests) => Commit([], requests);

    /// <summary>
    /// Adds the seeds' start requests. A start request that failed or was skipped in this generation (refused
    /// without --allow-private, host down, robots), or whose seed's last outcome was a failure (not found), is
    /// queued again: a refusal is not "done", and the user who re-runs the crawl (having fixed the cause) means
    /// to crawl it.
    /// </summary>
    public int AddSeeds(IReadOnlyList<CrawlRequest> requests)
    {
        var revived = new List<FrontierItem>();
        var rows = new List<FrontierRow>();
        foreach (var request in requests)
        {
            var id = UrlCanonicalizer.Canonicalize(request.Url);
            if (_store.Find(id) is not { } row) continue;
            var seedFailed = request.SeedOriginal is { } seed && _store.LastFailed(seed);
            if (row.State is not (FrontierState.Failed or FrontierState.Skipped) && !(row.State == FrontierState.Done && seedFailed)) continue;
            rows.Add(new FrontierRow(id, ToRow(request), FrontierState.Pending, 0, null));
            revived.Add(new FrontierItem(id, request, 0));
            if (row.State == FrontierState.Failed) FailedCount--;
            else if (row.State is FrontierState.Done or FrontierState.Skipped) DoneCount--;
        }
        _store.Write(rows, unfinished: revived.Count > 0);
        lock (_lock)
        {
            foreach (var item in revived) Enqueue(item);
        }
        return revived.Count + Add(requests);
    }

    /// <summary>Whether a run archived pages of this seed (in any generation).</summary>
    public bool WasArchived(string seed) => _store.WasArchived(seed);

    /// <summary>Remembers, per seed, whether it was ever archived and whether its last outcome was a failure.</summary>
    public void RememberOutcomes(IEnumerable<SeedOutcome> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            var archived = WasArchived(outcome.Seed) || (outcome.Outcome == SeedOutcomeKind.Archived && outcome.Pages > 0);
            _store.RememberSeed(outcome.Seed, archived, outcome.Failed);
        }
    }

    /// <summary>The seeds that still have requests queued.</summary>
    public HashSet<string> PendingSeeds()
    {
        lock (_lock) return _pending.UnorderedItems.Select(i => i.Element.Request.SeedOriginal).OfType<string>().ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Records finished pages and the requests they produced, atomically. Items marked for retry go back
    /// to the queue with one attempt more.
    /// </summary>
    public int Commit(IReadOnlyList<FrontierOutcome> outcomes, IEnumerable<CrawlRequest> discovered)
    {
        var fresh = new List<FrontierItem>();
        var rows = new List<FrontierRow>();
        foreach (var request in discovered)
        {
            var id = UrlCanonicalizer.Canonicalize(request.Url);
            lock (_lock)
            {
                if (!_known.Add(id)) continue;
            }
            rows.Add(new FrontierRow(id, ToRow(request), FrontierState.Pending, 0, null));
            fresh.Add(new FrontierItem(id, request, 0));
        }
        var retries = new List<FrontierItem>();
        foreach (var outcome in outcomes)
        {
            var attempts = outcome.Item.Attempts + (outcome.State == FrontierState.Pending ? 1 : 0);
            rows.Add(new FrontierRow(outcome.Item.Id, ToRow(outcome.Item.Request), outcome.State, attempts, outcome.Error));
            if (outcome.State == FrontierState.Pending) retries.Add(outcome.Item with { Attempts = attempts });
        }
        _store.Write(rows, unfinished: fresh.Count > 0);
        lock (_lock)
        {
            foreach (var item in fresh) Enqueue(item);
            // A retry goes behind other work of its priority, so a failing host does not monopolise the crawl.
            foreach (var item in retries) Enqueue(item with { Request = item.Request with { Priority = item.Request.Priority - 1 } });
        }
        foreach (var outcome in outcomes)
        {
            if (outcome.State is FrontierState.Done or FrontierState.Skipped) DoneCount++;
            else if (outcome.State == FrontierState.Failed) FailedCount++;
        }
        return fresh.Count;
    }

    public void MarkFinished(bool finished) => _store.MarkFinished(finished);

    /// <summary>The SHA-256 a media URL was stored under in an earlier fetch, if any.</summary>
    public string? MediaSha(string url) => _store.MediaSha(url);

    public void RememberMedia(string url, string sha) => _store.RememberMedia(url, sha);

    /// <summary>Every URL of the current generation with its state (for tests and reports).</summary>
    public IReadOnlyList<(string Id, FrontierState State, string? Error)> Snapshot() =>
        _store.CurrentGeneration().Select(r => (r.Id, r.State, r.Error)).ToList();

    private void Enqueue(FrontierItem item) => _pending.Enqueue(item, (-item.Request.Priority, _order++));

    private static FrontierRequestRow ToRow(CrawlRequest r) =>
        new(r.Url.AbsoluteUri, r.Platform, r.Purpose, r.Priority, r.Depth, r.NeedsBrowser, r.SeedOriginal, r.Context);

    private static CrawlRequest FromRow(FrontierRequestRow r) => new()
    {
        Url = new Uri(r.Url),
        Platform = r.Platform,
        Purpose = r.Purpose,
        Priority = r.Priority,
        Depth = r.Depth,
        NeedsBrowser = r.NeedsBrowser,
        SeedOriginal = r.SeedOriginal,
        Context = r.Context,
    };

    public void Dispose() => _store.Dispose();
}

/// <summary>What became of a page: done, failed for good, skipped (robots, scope), or pending again (retry).</summary>
public sealed record FrontierOutcome(FrontierItem Item, FrontierState State, string? Error = null);
