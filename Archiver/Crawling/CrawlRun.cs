using System.Globalization;
using Archiver.Model;
using Archiver.Platforms;
using Archiver.Storage;

namespace Archiver.Crawling;

/// <summary>
/// The state of one crawl run, from its seeds to its summary: the frontier and archive it works on, the seeds'
/// hosts (the scope), what each seed came to, the failures, and whether a stage failed in a way the crawl cannot
/// go on from. The stages of the run share it; it lives as long as <see cref="Crawler.RunAsync"/>.
/// </summary>
internal sealed class CrawlRun
{
    private readonly List<CrawlFailure> _failures = [];
    private readonly HashSet<string> _scopeHosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _abort = new();
    private Exception? _fatal;

    public CrawlRun(CrawlOptions options, CrawlCounters counters, ArchiveStore store, Frontier frontier)
    {
        Options = options;
        Counters = counters;
        Store = store;
        Frontier = frontier;
        Seeds = new SeedTallies(store, frontier);
        Accounts = new AccountEvidence(store);
    }

    public CrawlOptions Options { get; }
    public CrawlCounters Counters { get; }
    public ArchiveStore Store { get; }
    public Frontier Frontier { get; }
    public SeedTallies Seeds { get; }

    /// <summary>Whose statuses answering gone are deletions: settled by their accounts' answers in this run.</summary>
    public AccountEvidence Accounts { get; }

    /// <summary>Set when the browser could not be used, for the summary.</summary>
    public string? BrowserNote { get; set; }

    /// <summary>Cancelled when a stage failed fatally (disk full, store error).</summary>
    public CancellationToken AbortToken => _abort.Token;

    public Exception? Fatal => Volatile.Read(ref _fatal);

    /// <summary>A stage failed in a way the crawl cannot go on from (disk full, store error): stop taking work.</summary>
    public void Abort(Exception e)
    {
        Interlocked.CompareExchange(ref _fatal, e, null);
        _abort.Cancel();
    }

    /// <summary>The seeds' start requests, with --since/--until in their context; their hosts become the crawl's scope.</summary>
    public List<CrawlRequest> StartRequests(IReadOnlyList<(Seed Seed, IPlatform Platform)> seeds)
    {
        var requests = new List<CrawlRequest>();
        foreach (var (seed, platform) in seeds)
        {
            if (seed.BaseUrl is { } baseUrl && Uri.TryCreate(baseUrl, UriKind.Absolute, out var b)) _scopeHosts.Add(UrlCanonicalizer.HostKey(b));
            foreach (var request in platform.Start(seed))
            {
                _scopeHosts.Add(UrlCanonicalizer.HostKey(request.Url));
                requests.Add(WithCrawlContext(request with { SeedOriginal = request.SeedOriginal ?? seed.Original }));
            }
        }
        Seeds.Started(requests);
        return requests;
    }

    /// <summary>Requests a page produced, kept when in scope: the seeds' hosts, and within --max-depth.</summary>
    public List<CrawlRequest> InScope(CrawlRequest parent, IReadOnlyList<CrawlRequest> requests)
    {
        var kept = new List<CrawlRequest>(requests.Count);
        foreach (var request in requests)
        {
            if (!_scopeHosts.Contains(UrlCanonicalizer.HostKey(request.Url))
                || (Options.MaxDepth is { } max && request.Depth > max)
                || request.Url.Scheme is not ("http" or "https"))
            {
                Counters.AddOutOfScope();
                continue;
            }
            kept.Add(WithCrawlContext(request with { SeedOriginal = request.SeedOriginal ?? parent.SeedOriginal }));
        }
        return kept;
    }

    /// <summary>Passes --since/--until to the platforms through the request context.</summary>
    private CrawlRequest WithCrawlContext(CrawlRequest request)
    {
        if (Options.Since is null && Options.Until is null && Options.CapturedAt is null) return request;
        var context = new Dictionary<string, string>(request.Context);
        if (Options.CapturedAt is { } captured) context.TryAdd(CrawlRequest.CapturedAtKey, captured.ToString("O", CultureInfo.InvariantCulture));
        if (Options.Since is { } since) context.TryAdd("since", since.ToString("O", CultureInfo.InvariantCulture));
        if (Options.Until is { } until) context.TryAdd("until", until.ToString("O", CultureInfo.InvariantCulture));
        return request with { Context = context };
    }

    /// <summary>A request of a seed failed for good: counted, listed, and charged to its seed's outcome.</summary>
    public void Fail(CrawlRequest request, FetchFailureKind kind, string reason)
    {
        Seeds.Failed(request, kind, reason);
        Fail(request.Url.AbsoluteUri, reason);
    }

    /// <summary>A request failed for good: counted and listed (media, which no seed's outcome depends on).</summary>
    public void Fail(string url, string reason)
    {
        Counters.AddError();
        lock (_failures)
        {
            if (_failures.Count < 1000) _failures.Add(new CrawlFailure(url, reason));
        }
    }

    public List<CrawlFailure> Failures()
    {
        lock (_failures) return _failures.ToList();
    }
}
