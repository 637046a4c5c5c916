using System.Runtime;

namespace Archiver.Watching;

/// <summary>
/// Gives the watcher's memory back once its checks pause: after a burst of checks (a pass over everything due), the
/// garbage collector keeps the heap it grew to (its first-generation budget follows the CPU's cache size, tens of MiB,
/// and large buffers wait for a full collection). When no check has finished for <see cref="Quiet"/> since the last
/// one, one aggressive full collection compacts the heap, the large-object heap included, and returns the free memory
/// to the system; then nothing more until checks run again. With a busy interval (<c>watch run</c>), a spell of checks
/// that never goes quiet (a pass over 10,000 channels takes a quarter of an hour; a list checked around the clock never
/// pauses) is trimmed once per interval as well: without it, a whole pass grew the watcher past 300 MB (bench watch).
/// </summary>
public sealed class WatchMemoryTrim : IDisposable
{
    /// <summary>How long no check may finish before the trim.</summary>
    public static TimeSpan Quiet { get; } = TimeSpan.FromSeconds(30);

    /// <summary><c>watch run</c>'s interval between trims while checks keep finishing: a blocking collection of tens of milliseconds every two minutes.</summary>
    public static TimeSpan Busy { get; } = TimeSpan.FromMinutes(2);

    private readonly TimeProvider _time;
    private readonly TimeSpan _quiet;
    private readonly TimeSpan? _busy;
    private readonly ITimer _timer;
    private long _lastCheck;
    private long _lastTrim;
    private int _pending;

    /// <summary>Collections this trim ran (for tests and logs).</summary>
    public int Trims => Volatile.Read(ref _trims);
    private int _trims;

    /// <param name="time">Real time: memory is a matter of the wall clock, not of a simulated watch clock.</param>
    /// <param name="busy">Also trim this often while checks keep finishing (null: only when they pause; a server's watcher,
    /// whose requests would wait for each collection).</param>
    public WatchMemoryTrim(WatchScheduler scheduler, TimeProvider time, TimeSpan? quiet = null, TimeSpan? busy = null)
    {
        _time = time;
        _quiet = quiet ?? Quiet;
        _busy = busy;
        _lastTrim = time.GetTimestamp();
        scheduler.Checked += (_, _) => Checked();
        var tick = _quiet / 3;
        _timer = time.CreateTimer(_ => Tick(), null, tick, tick);
    }

    private void Checked()
    {
        Volatile.Write(ref _lastCheck, _time.GetTimestamp());
        Volatile.Write(ref _pending, 1);
    }

    private void Tick()
    {
        if (Volatile.Read(ref _pending) == 0) return;
        var quiet = _time.GetElapsedTime(Volatile.Read(ref _lastCheck)) >= _quiet;
        var busyLong = _busy is { } busy && _time.GetElapsedTime(Volatile.Read(ref _lastTrim)) >= busy;
        if (!quiet && !busyLong) return;
        if (Interlocked.Exchange(ref _pending, 0) == 0) return;
        // Aggressive: a blocking, compacting full collection that also decommits the memory it freed (a few tens of
        // milliseconds of CPU for the watcher's ~100 MB heap, once per quiet spell).
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Volatile.Write(ref _lastTrim, _time.GetTimestamp());
        Interlocked.Increment(ref _trims);
    }

    public void Dispose() => _timer.Dispose();
}
