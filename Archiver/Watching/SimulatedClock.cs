namespace Archiver.Watching;

/// <summary>
/// A clock that equals the system clock at <c>origin</c> and runs <c>scale</c> times faster from there, timers
/// included: <c>watch run --time-origin T --time-scale 3600</c> lives an hour a second, so a test can watch an evolving
/// replica (<c>replica serve --evolve</c>, whose clock is the same function of the wall clock) for a simulated week in
/// minutes. A pure function of the wall clock, so a watcher killed and started again with the same two values is
/// back on the same time line.
/// </summary>
public sealed class SimulatedClock : TimeProvider
{
    private readonly DateTimeOffset _origin;
    private readonly double _scale;
    private readonly bool _scaledTimers;

    public SimulatedClock(DateTimeOffset origin, double scale) : this(origin, scale, scaledTimers: true)
    {
        if (!(scale >= 1) || double.IsInfinity(scale)) throw new UsageException($"--time-scale must be a number of at least 1, not {scale}.");
    }

    private SimulatedClock(DateTimeOffset origin, double scale, bool scaledTimers)
    {
        _origin = origin;
        _scale = scale;
        _scaledTimers = scaledTimers;
    }

    /// <summary>
    /// The same time line with the system's timers: for the crawl engine, whose timeouts, retries and politeness delays
    /// are about real servers (a 30 s request timeout must not become 4 ms), while its timestamps follow the watch.
    /// </summary>
    public SimulatedClock WithRealTimers() => new(_origin, _scale, scaledTimers: false);

    public override DateTimeOffset GetUtcNow() =>
        _origin + TimeSpan.FromTicks((long)((System.GetUtcNow() - _origin).Ticks * _scale));

    /// <summary>Timers of the simulated clock: a simulated hour passes in an hour / scale of real time.</summary>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        !_scaledTimers ? System.CreateTimer(callback, state, dueTime, period) : new ScaledTimer(System.CreateTimer(callback, state, Real(dueTime), Real(period)), this);

    private TimeSpan Real(TimeSpan simulated) =>
        simulated == Timeout.InfiniteTimeSpan || simulated <= TimeSpan.Zero ? simulated : TimeSpan.FromTicks(Math.Max(1, (long)(simulated.Ticks / _scale)));

    private sealed class ScaledTimer(ITimer inner, SimulatedClock clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(clock.Real(dueTime), clock.Real(period));
        public void Dispose() => inner.Dispose();
        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
