using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Archiver.Crawling;

public sealed partial class Crawler
{
    private const int MaxDeferred = 4096;
    private readonly ConcurrentDictionary<string, int> _hostLoad = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Queue<FrontierItem>> _deferred = new(StringComparer.OrdinalIgnoreCase);
    private int _deferredCount;

    /// <summary>
    /// Hands work to the fetchers in priority order, but only for hosts with a free slot that are not
    /// paused: work for a busy or paused host waits here (it is still pending on disk), so one slow or
    /// rate-limited host cannot tie up every fetch worker while other hosts have work.
    /// </summary>
    private async Task DispatchAsync(ChannelWriter<FrontierItem> toFetch, Task storer, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && !storer.IsFaulted)
        {
            // Read "idle" before looking for work: completions add their new requests before they leave flight.
            var idle = Interlocked.Read(ref _inFlight) == 0;
            var item = LimitReached ? null : NextReady();
            if (item is not null)
            {
                Interlocked.Increment(ref _inFlight);
                Interlocked.Increment(ref _dispatched);
                _hostLoad.AddOrUpdate(UrlCanonicalizer.HostKey(item.Request.Url), 1, (_, n) => n + 1);
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
        while (_deferredCount < MaxDeferred && _frontier.TryTake(out var taken))
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
        (!_hostLoad.TryGetValue(host, out var load) || load < Math.Max(1, _options.PerHost)) && !_scheduler.IsPaused(host);

    private void ReleaseHost(FrontierItem item) =>
        _hostLoad.AddOrUpdate(UrlCanonicalizer.HostKey(item.Request.Url), 0, (_, n) => Math.Max(0, n - 1));
}
