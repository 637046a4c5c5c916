namespace Archiver.Replica;

/// <summary>
/// A clock that starts at <c>start</c> and runs <c>scale</c> times faster than another (the system clock by
/// default): <c>replica serve --evolve --time-scale 3600</c> lives an hour a second. Timers stay those of the
/// underlying clock, so served latencies are real.
/// </summary>
public sealed class ScaledTimeProvider : TimeProvider
{
    private readonly TimeProvider real;
    private readonly DateTimeOffset start;
    private readonly DateTimeOffset realStart;
    private readonly double scale;

    public ScaledTimeProvider(DateTimeOffset start, double scale, TimeProvider? real = null)
    {
        if (!(scale > 0) || double.IsInfinity(scale)) throw new UsageException($"--time-scale must be a positive number, not {scale}.");
        this.real = real ?? System;
        this.start = start;
        this.scale = scale;
        realStart = this.real.GetUtcNow();
    }

    public override DateTimeOffset GetUtcNow() => start + TimeSpan.FromTicks((long)((real.GetUtcNow() - realStart).Ticks * scale));
}
