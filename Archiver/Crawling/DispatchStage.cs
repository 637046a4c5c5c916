using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Archiver.Crawling;

/// <summary>
/// Hands work to the fetchers: media a parsed page waits for first, then pages in priority order, but only for
/// hosts with a free slot that are not paused: work for a busy or paused host waits here (it is still pending on
/// disk), so one slow or rate-limited host cannot tie up every fetch worker while other hosts have work. Counts
/// what is in flight, so the crawl ends when nothing is and nothing waits.
/// </summary>
internal sealed class DispatchStage(CrawlRun run, HostScheduler scheduler)
{
    private const int MaxDeferred = 4096;
    private readonly ConcurrentDictionary<string, int> _hostLoad = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Queue<FrontierItem>> _deferred = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _signal = new(0);
    private int _deferredCount;
    private long _inFlight;
    private long _dispatched;

    /// <summary>Pages handed out and not yet stored.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Pages taken from the frontier but held back for a busy host.</summary>
    public int Deferred => _deferredCount;

    public bool LimitReached => run.Options.MaxPages is { } max && Interlocked.Read(ref _dispatched) >= max;

    /// <summary>The seeds of the pages held back for a busy host.</summary>
    public IEnumerable<string> DeferredSeeds() => _deferred.Values.SelectMany(q => q).Select(i => i.Request.SeedOriginal).OfType<string>();

    public async Task RunAsync(ChannelWriter<FrontierItem> toFetch, Task storer, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && !storer.IsFaulted)
        {
            // Read "idle" before looking for work: completions add their new requests before they leave flight.
            var idle = Interlocked.Read(ref _inFlight) == 0;
            var item = run.Frontier.TryTakeMedia(out var media) ? media : LimitReached ? null : NextReady();
            if (item is not null)
            {
                if (item.Kind == RequestKind.Page)
                {
                    Interlocked.Increment(ref _inFlight);
                    Interlocked.Increment(ref _dispatched);
                    _hostLoad.AddOrUpdate(UrlCanonicalizer.HostKey(item.Request.Url), 1, (_, n) => n + 1);
                }
                try
                {
                    await toFetch.WriteAsync(item, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                continue;
            }
            if (idle && (_deferredCount == 0 || LimitReached)) break;
            try
            {
                await _signal.WaitAsync(TimeSpan.FromMilliseconds(50), stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        if (storer.IsFaulted) await storer.ConfigureAwait(false);
    }

    /// <summary>New work is queued (media a parser asked for): look again now rather than at the next tick.</summary>
    public void Wake() => _signal.Release();

    /// <summary>
    /// Pages went through the store stage: their hosts have a slot again. The <paramref name="unfinished"/> ones (left
    /// pending when the crawl stopped) still count as in flight, so the summary reports them as pending.
    /// </summary>
    public void Completed(IReadOnlyList<FrontierItem> items, int unfinished)
    {
        foreach (var item in items)
            _hostLoad.AddOrUpdate(UrlCanonicalizer.HostKey(item.Request.Url), 0, (_, n) => Math.Max(0, n - 1));
        Interlocked.Add(ref _inFlight, unfinished - items.Count);
        _signal.Release();
    }

    private FrontierItem? NextReady()
    {
        foreach (var (host, queue) in _deferred)
        {
            if (queue.Count == 0 || !HasCapacity(host)) continue;
            _deferredCount--;
            var item = queue.Dequeue();
            if (queue.Count == 0) _deferred.Remove(host);
            return item;
        }
        while (_deferredCount < MaxDeferred && run.Frontier.TryTake(out var taken))
        {
            var host = UrlCanonicalizer.HostKey(taken.Request.Url);
            if (HasCapacity(host)) return taken;
            if (!_deferred.TryGetValue(host, out var queue)) _deferred[host] = queue = new Queue<FrontierItem>();
            queue.Enqueue(taken);
            _deferredCount++;
        }
        return null;
    }

    private bool HasCapacity(string host) =>
        (!_hostLoad.TryGetValue(host, out var load) || load < Math.Max(1, run.Options.PerHost)) && !scheduler.IsPaused(host);
}
