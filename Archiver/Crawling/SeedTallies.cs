using System.Collections.Concurrent;
using Archiver.Model;
using Archiver.Platforms;
using Archiver.Storage;

namespace Archiver.Crawling;

/// <summary>What happened to the requests of each seed in one run, gathered from every stage, and the outcomes decided from it.</summary>
internal sealed class SeedTallies(ArchiveStore store, Frontier frontier)
{
    private sealed class SeedTally
    {
        public long Pages;
        public long Posts;
        public readonly List<(FetchFailureKind Kind, string Reason)> Failures = [];
        public (int Status, string Reason, bool KnownBefore)? Gone;
    }

    private readonly ConcurrentDictionary<string, SeedTally> _tallies = new(StringComparer.Ordinal);
    private readonly HashSet<string> _starts = new(StringComparer.Ordinal);

    private SeedTally Of(CrawlRequest request) => _tallies.GetOrAdd(request.SeedOriginal ?? "", _ => new SeedTally());

    public void Started(IEnumerable<CrawlRequest> starts)
    {
        foreach (var request in starts) _starts.Add(UrlCanonicalizer.Canonicalize(request.Url));
    }

    public void Failed(CrawlRequest request, FetchFailureKind kind, string reason)
    {
        var tally = Of(request);
        lock (tally) tally.Failures.Add((kind, reason));
    }

    /// <summary>
    /// A page said the seed's channel or account is gone (or the seed's own first page answered 404/410/451).
    /// A 404 for something the archive never held is "not found" (a misspelt name); for something it held, or a
    /// 410/451, it is "gone".
    /// </summary>
    public void Gone(CrawlRequest request, IReadOnlyList<GoneEntity> gone)
    {
        var isStart = _starts.Contains(UrlCanonicalizer.Canonicalize(request.Url));
        foreach (var g in gone)
        {
            if (g.Kind == "post" && !isStart) continue;
            var knownBefore = store.GetAuthor(g.Key) is not null || store.GetPost(g.Key) is not null
                || (request.SeedOriginal is { } seed && frontier.WasArchived(seed));
            var tally = Of(request);
            lock (tally) tally.Gone ??= (g.Status, g.Reason, knownBefore);
        }
    }

    /// <summary>A page's records were committed: its posts (and the page, when readable) count for its seed.</summary>
    public void Stored(CrawlRequest request, int posts, bool archived)
    {
        if (!archived && posts == 0) return;
        var tally = Of(request);
        lock (tally)
        {
            tally.Posts += posts;
            if (archived) tally.Pages++;
        }
    }

    /// <summary>Each seed's outcome; <paramref name="waiting"/> are the seeds with work still queued.</summary>
    public List<SeedOutcome> Outcomes(IReadOnlyList<string> seeds, HashSet<string> waiting)
    {
        var outcomes = new List<SeedOutcome>(seeds.Count);
        foreach (var seed in seeds.Distinct(StringComparer.Ordinal))
        {
            var tally = _tallies.GetValueOrDefault(seed) ?? new SeedTally();
            lock (tally) outcomes.Add(Decide(seed, tally, waiting.Contains(seed)));
        }
        return outcomes;
    }

    private static SeedOutcome Decide(string seed, SeedTally t, bool unfinished)
    {
        if (t.Gone is { } gone)
        {
            var notFound = gone.Status == 404 && !gone.KnownBefore && t.Posts == 0;
            return new SeedOutcome(seed, notFound ? SeedOutcomeKind.NotFound : SeedOutcomeKind.Gone, t.Posts, t.Pages, gone.Reason);
        }
        if (t.Pages > 0)
        {
            var note = t.Failures.Count == 0 ? null : $"{t.Failures.Count:N0} requests failed, first: {t.Failures[0].Reason}";
            return new SeedOutcome(seed, SeedOutcomeKind.Archived, t.Posts, t.Pages, note);
        }
        // Nothing archived: the most telling failure decides (a refusal before a network failure before the rest).
        foreach (var (kind, outcome) in new[]
                 {
                     (FetchFailureKind.RefusedPrivate, SeedOutcomeKind.RefusedPrivate),
                     (FetchFailureKind.RefusedRobots, SeedOutcomeKind.RefusedRobots),
                     (FetchFailureKind.Unreachable, SeedOutcomeKind.Unreachable),
                     (FetchFailureKind.NeedsBrowser, SeedOutcomeKind.SkippedBrowser),
                     (FetchFailureKind.Other, SeedOutcomeKind.Failed),
                 })
        {
            var failure = t.Failures.FirstOrDefault(f => f.Kind == kind);
            if (failure.Reason is not null) return new SeedOutcome(seed, outcome, 0, 0, failure.Reason);
        }
        return new SeedOutcome(seed, unfinished ? SeedOutcomeKind.Pending : SeedOutcomeKind.UpToDate, 0, 0, null);
    }
}
