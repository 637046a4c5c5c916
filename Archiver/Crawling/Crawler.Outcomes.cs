using System.Collections.Concurrent;
using Archiver.Model;
using Archiver.Platforms;

namespace Archiver.Crawling;

public sealed partial class Crawler
{
    /// <summary>What happened to the requests of one seed in this run, gathered from every stage.</summary>
    private sealed class SeedTally
    {
        public long Pages;
        public long Posts;
        public readonly List<(FetchFailureKind Kind, string Reason)> Failures = [];
        public (int Status, string Reason, bool KnownBefore)? Gone;
    }

    private readonly ConcurrentDictionary<string, SeedTally> _tallies = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seedStarts = new(StringComparer.Ordinal);

    private SeedTally TallyOf(CrawlRequest request) => _tallies.GetOrAdd(request.SeedOriginal ?? "", _ => new SeedTally());

    private void SeedFailed(CrawlRequest request, FetchFailureKind kind, string reason)
    {
        var tally = TallyOf(request);
        lock (tally) tally.Failures.Add((kind, reason));
    }

    /// <summary>
    /// A page said the seed's channel or account is gone (or the seed's own first page answered 404/410/451).
    /// A 404 for something the archive never held is "not found" (a misspelt name); for something it held, or a
    /// 410/451, it is "gone".
    /// </summary>
    private void SeedGone(CrawlRequest request, IReadOnlyList<GoneEntity> gone)
    {
        var isStart = _seedStarts.Contains(UrlCanonicalizer.Canonicalize(request.Url));
        foreach (var g in gone)
        {
            if (g.Kind == "post" && !isStart) continue;
            var knownBefore = _store.GetAuthor(g.Key) is not null || _store.GetPost(g.Key) is not null
                || (request.SeedOriginal is { } seed && _frontier.WasArchived(seed));
            var tally = TallyOf(request);
            lock (tally) tally.Gone ??= (g.Status, g.Reason, knownBefore);
        }
    }

    private void SeedRequestsStarted(IEnumerable<CrawlRequest> starts)
    {
        foreach (var request in starts) _seedStarts.Add(UrlCanonicalizer.Canonicalize(request.Url));
    }

    private List<SeedOutcome> SeedOutcomes(IReadOnlyList<string> seeds)
    {
        // Work of a seed still waiting: in the frontier's queue, or taken from it but held back for a busy host.
        var waiting = _frontier.PendingSeeds();
        foreach (var queue in _deferred.Values)
            foreach (var item in queue)
                if (item.Request.SeedOriginal is { } s) waiting.Add(s);
        var outcomes = new List<SeedOutcome>(seeds.Count);
        foreach (var seed in seeds.Distinct(StringComparer.Ordinal))
        {
            var tally = _tallies.GetValueOrDefault(seed) ?? new SeedTally();
            lock (tally) outcomes.Add(Decide(seed, tally, waiting.Contains(seed)));
        }
        // Remembered so that a later 404 of a seed archived once reads "gone", not "not found", and a failed seed is tried again.
        _frontier.RememberOutcomes(outcomes);
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
