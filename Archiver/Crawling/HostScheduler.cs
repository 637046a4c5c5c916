using System.Collections.Concurrent;

namespace Archiver.Crawling;

/// <summary>
/// Politeness per host: at most N requests at once, requests started no faster than the rate (or the
/// site's Crawl-delay), and a pause for the whole host when the server said to wait (429/503 Retry-After).
/// </summary>
public sealed class HostScheduler(int perHost, double ratePerSecond, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, HostState> _hosts = new(StringComparer.OrdinalIgnoreCase);

    private sealed class HostState(int slots)
    {
        public readonly SemaphoreSlim Slots = new(slots, slots);
        public readonly Lock Lock = new();
        public DateTimeOffset NextStart;
        public DateTimeOffset PausedUntil;
        public TimeSpan? CrawlDelay;
        public int Waiting;
    }

    /// <summary>Waits for a slot and the host's next start time; dispose the lease when the request is done.</summary>
    public async Task<IDisposable> AcquireAsync(string host, CancellationToken ct)
    {
        var state = _hosts.GetOrAdd(host, _ => new HostState(perHost));
        Interlocked.Increment(ref state.Waiting);
        try
        {
            await state.Slots.WaitAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref state.Waiting);
        }
        try
        {
            TimeSpan wait;
            lock (state.Lock)
            {
                var now = time.GetUtcNow();
                var start = Max(now, Max(state.NextStart, state.PausedUntil));
                state.NextStart = start + Interval(state);
                wait = start - now;
            }
            if (wait > TimeSpan.Zero) await Task.Delay(wait, time, ct).ConfigureAwait(false);
        }
        catch
        {
            state.Slots.Release();
            throw;
        }
        return new Lease(state.Slots);
    }

    /// <summary>The server asked for a pause (Retry-After, rate-limit reset): no new request to it before then.</summary>
    public void PauseHost(string host, TimeSpan delay)
    {
        var state = _hosts.GetOrAdd(host, _ => new HostState(perHost));
        lock (state.Lock)
        {
            var until = time.GetUtcNow() + delay;
            if (until > state.PausedUntil) state.PausedUntil = until;
        }
    }

    /// <summary>Whether the server asked for a pause that is still running.</summary>
    public bool IsPaused(string host) =>
        _hosts.TryGetValue(host, out var state) && time.GetUtcNow() < state.PausedUntil;

    public void SetCrawlDelay(string host, TimeSpan delay)
    {
        var state = _hosts.GetOrAdd(host, _ => new HostState(perHost));
        lock (state.Lock) state.CrawlDelay = delay;
    }

    /// <summary>Requests waiting for each host, for the progress display.</summary>
    public IReadOnlyDictionary<string, int> Waiting() =>
        _hosts.ToDictionary(h => h.Key, h => h.Value.Waiting + (perHost - h.Value.Slots.CurrentCount));

    private TimeSpan Interval(HostState state)
    {
        var rate = ratePerSecond > 0 ? TimeSpan.FromSeconds(1 / ratePerSecond) : TimeSpan.Zero;
        return state.CrawlDelay is { } delay && delay > rate ? delay : rate;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private sealed class Lease(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) slots.Release();
        }
    }
}
