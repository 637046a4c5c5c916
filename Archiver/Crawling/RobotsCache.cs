namespace Archiver.Crawling;

/// <summary>How long a <see cref="RobotsCache"/> keeps what it fetched, and for how many origins.</summary>
public sealed record RobotsCacheOptions
{
    /// <summary>How long a robots.txt answer (2xx rules, or a 4xx: no rules) is obeyed without asking again.</summary>
    public TimeSpan Ttl { get; init; } = RobotsCache.DefaultTtl;
    /// <summary>How long a failure (5xx, 429, no connection) is kept before the host is asked again.</summary>
    public TimeSpan FailureRetry { get; init; } = RobotsCache.DefaultFailureRetry;
    /// <summary>Origins kept at most; the least recently asked is dropped first (and fetched again if asked again).</summary>
    public int Capacity { get; init; } = RobotsCache.DefaultCapacity;
}

/// <summary>
/// robots.txt answers per origin (<c>scheme://authority</c>) that outlive one crawl: the crawls a watcher runs one after
/// another (a check each) share one, so a host's robots.txt is fetched once per <see cref="RobotsCacheOptions.Ttl"/>
/// rather than once per check. Thread-safe: while one crawl fetches an origin's robots.txt, the others asking for it wait
/// for that fetch. A crawl without one (<c>archiver crawl</c>) has a cache of its own that keeps every answer for the
/// crawl's life, as before (<see cref="ForOneCrawl"/>).
/// </summary>
public sealed class RobotsCache
{
    /// <summary>
    /// An hour. RFC 9309 (2.4) says a cached robots.txt SHOULD NOT be used for more than 24 hours; a watcher should notice
    /// a site shutting it out well before that, and before most entries' next check (every 3 to 12 h by default), while an
    /// hour still makes a pass over thousands of channels of one host (10,000 checks took 16 minutes) one or two fetches.
    /// </summary>
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromHours(1);

    /// <summary>
    /// 5 minutes. A server error or an unreachable host is a passing state, not the site's rules: it must not shut the host
    /// out for the TTL, but neither should every check of that host in the meantime ask a failing server again (RFC 9309
    /// lets a crawler retry; the watcher retries a failed entry after a quarter of its shortest interval, so it finds it asked).
    /// </summary>
    public static readonly TimeSpan DefaultFailureRetry = TimeSpan.FromMinutes(5);

    /// <summary>A watcher talks to a few hosts; thousands of origins is far more than that and a few MB at most.</summary>
    public const int DefaultCapacity = 4096;

    private readonly RobotsCacheOptions _options;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.OrdinalIgnoreCase);
    // Most recently asked first: the last one is dropped when the cache is full.
    private readonly LinkedList<Entry> _recent = new();

    public RobotsCache(TimeProvider time, RobotsCacheOptions? options = null)
    {
        _options = options ?? new RobotsCacheOptions();
        if (_options.Capacity < 1) throw new ArgumentOutOfRangeException(nameof(options), "A robots.txt cache holds at least one origin.");
        Time = time;
    }

    /// <summary>The clock answers are dated and expire by (the watch's clock: simulated hours pass as hours).</summary>
    public TimeProvider Time { get; }

    /// <summary>Origins held (fetched, or being fetched).</summary>
    public int Count
    {
        get
        {
            lock (_lock) return _entries.Count;
        }
    }

    /// <summary>One crawl's own: every answer, failures included, holds for the crawl's life (a host unreachable for that run).</summary>
    internal static RobotsCache ForOneCrawl(TimeProvider time) =>
        new(time, new RobotsCacheOptions { Ttl = Timeout.InfiniteTimeSpan, FailureRetry = Timeout.InfiniteTimeSpan, Capacity = int.MaxValue });

    /// <summary>
    /// The origin's answer: the one held while it is fresh, else the one <paramref name="fetch"/> gets (one fetch at a time
    /// per origin; the others asking wait for it). A fetch that throws (its crawl stopped) is not kept.
    /// </summary>
    internal async Task<RobotsVerdict> GetAsync(string origin, Func<CancellationToken, Task<RobotsVerdict>> fetch, CancellationToken ct)
    {
        while (true)
        {
            var (entry, mine) = Lookup(origin);
            if (mine)
            {
                await FetchAsync(entry, fetch, ct).ConfigureAwait(false);
                return await entry.Verdict.Task.ConfigureAwait(false);
            }
            try
            {
                return await entry.Verdict.Task.WaitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // The crawl that was fetching it stopped (a check abandoned at its timeout): this one asks itself.
            }
        }
    }

    private (Entry Entry, bool Mine) Lookup(string origin)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(origin, out var node))
            {
                _recent.Remove(node);
                if (Time.GetUtcNow() < node.Value.ExpiresAt)
                {
                    _recent.AddFirst(node);
                    return (node.Value, false);
                }
                _entries.Remove(origin);
            }
            var entry = new Entry(origin);
            _entries[origin] = _recent.AddFirst(entry);
            while (_entries.Count > _options.Capacity)
            {
                var oldest = _recent.Last!;
                _recent.RemoveLast();
                _entries.Remove(oldest.Value.Origin);
            }
            return (entry, true);
        }
    }

    private async Task FetchAsync(Entry entry, Func<CancellationToken, Task<RobotsVerdict>> fetch, CancellationToken ct)
    {
        RobotsVerdict verdict;
        try
        {
            verdict = await fetch(ct).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // No answer to keep: forgotten, so the next crawl asking fetches again.
            lock (_lock)
            {
                if (_entries.TryGetValue(entry.Origin, out var node) && node.Value == entry)
                {
                    _entries.Remove(entry.Origin);
                    _recent.Remove(node);
                }
            }
            if (e is OperationCanceledException cancelled) entry.Verdict.SetCanceled(cancelled.CancellationToken);
            else entry.Verdict.SetException(e);
            return;
        }
        var keep = verdict.Transient ? _options.FailureRetry : _options.Ttl;
        lock (_lock) entry.ExpiresAt = Later(Time.GetUtcNow(), keep);
        entry.Verdict.SetResult(verdict);
    }

    private static DateTimeOffset Later(DateTimeOffset now, TimeSpan keep) =>
        keep == Timeout.InfiniteTimeSpan || keep >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + keep;

    private sealed class Entry(string origin)
    {
        public string Origin { get; } = origin;
        public TaskCompletionSource<RobotsVerdict> Verdict { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        /// <summary>Never while the fetch runs (the others wait for it); set under the cache's lock when it ends.</summary>
        public DateTimeOffset ExpiresAt { get; set; } = DateTimeOffset.MaxValue;
    }
}

/// <summary>
/// What an origin's robots.txt says: its rules and where they come from, or the failure that kept it from being asked
/// (<see cref="Failure"/>). <see cref="Transient"/> for a server error or no answer, which are asked again sooner.
/// </summary>
internal sealed record RobotsVerdict(RobotsRules Rules, string Source, FetchFailedException? Failure, DateTimeOffset FetchedAt, bool Transient);
