using Archiver.Model;

namespace Archiver.Watching;

/// <summary>What a check of a watched channel came to.</summary>
public enum WatchCheckKind
{
    /// <summary>The channel was read (its seed's outcome: archived).</summary>
    Read,
    /// <summary>The platform says the channel is gone (410/451, or 404 of a channel archived before).</summary>
    Gone,
    /// <summary>Not read: unreachable, refused, HTTP errors, not found, timed out.</summary>
    Failed,
    /// <summary>Stopped before it ended (the watcher is stopping): not counted, run again at the next start.</summary>
    Interrupted,
}

/// <summary>One check's result: its kind, the seed's outcome in words, and what it found.</summary>
public sealed record WatchCheckResult(WatchCheckKind Kind, string Outcome, string? Error = null, long New = 0, long Edited = 0, long Deleted = 0, long PostsSeen = 0)
{
    public static WatchCheckResult Interrupted { get; } = new(WatchCheckKind.Interrupted, "interrupted");

    public static WatchCheckResult Failure(string error) => new(WatchCheckKind.Failed, "failed: " + error, error);
}

/// <summary>How the cadence adapts; the defaults are what <c>watch run</c> uses (docs/watch.md).</summary>
public sealed record WatchCadenceOptions
{
    /// <summary>The next check comes at the interval times a factor drawn from [1 − Jitter, 1 + Jitter] (so checks of many entries spread out).</summary>
    public double Jitter { get; init; } = 0.1;
    /// <summary>The interval after a check that found something (new posts, edits, deletions) is the last one times this.</summary>
    public double Busier { get; init; } = 0.5;
    /// <summary>The interval after a check that found nothing is the last one times this.</summary>
    public double Quieter { get; init; } = 1.5;
    /// <summary>Checks of a channel found gone at the entry's shortest interval before it is kept as gone.</summary>
    public int GoneRechecks { get; init; } = 3;
    /// <summary>A gone channel is checked again at the longest interval times this (at least <see cref="GoneAtLeast"/>), in case it comes back.</summary>
    public double GoneSlowdown { get; init; } = 4;
    public TimeSpan GoneAtLeast { get; init; } = TimeSpan.FromDays(1);
}

/// <summary>
/// The schedule of a watched channel after each check (pure: the time and the random source are given).
/// Read: the interval halves when the check found something and grows by half when it found nothing, within the
/// entry's bounds. Failed: retried after a quarter of the shortest interval (at least a minute), doubling with each
/// failure in a row, up to the longest interval. Gone: rechecked <see cref="WatchCadenceOptions.GoneRechecks"/> times at
/// the shortest interval, then slowly. Every delay is jittered.
/// </summary>
public static class WatchCadence
{
    public static WatchEntry After(WatchEntry e, WatchCheckResult r, DateTime now, Random random, WatchCadenceOptions? options = null)
    {
        if (r.Kind == WatchCheckKind.Interrupted) return e;
        options ??= new WatchCadenceOptions();
        var checkedEntry = e with { Checks = e.Checks + 1, LastCheckAt = now, LastOutcome = r.Outcome, LastError = r.Error };
        switch (r.Kind)
        {
            case WatchCheckKind.Read:
                {
                    var baseline = e.BaselineAt is null;
                    var found = r.New + r.Edited + r.Deleted;
                    var interval = baseline ? e.Interval
                        : found > 0 ? Clamp(e.Interval * options.Busier, e.MinInterval, e.MaxInterval)
                        : Clamp(e.Interval * options.Quieter, e.MinInterval, e.MaxInterval);
                    return checkedEntry with
                    {
                        Status = WatchStatus.Active,
                        Interval = interval,
                        NextCheckAt = now + Clamp(Jittered(interval, random, options), e.MinInterval, e.MaxInterval),
                        BaselineAt = e.BaselineAt ?? now,
                        ConsecutiveFailures = 0,
                        GoneChecks = 0,
                        Posts = baseline ? Math.Max(e.Posts, r.PostsSeen) : e.Posts + r.New,
                        LastNew = baseline ? 0 : r.New,
                        LastEdited = baseline ? 0 : r.Edited,
                        LastDeleted = baseline ? 0 : r.Deleted,
                        TotalNew = e.TotalNew + (baseline ? 0 : r.New),
                        TotalEdited = e.TotalEdited + (baseline ? 0 : r.Edited),
                        TotalDeleted = e.TotalDeleted + (baseline ? 0 : r.Deleted),
                    };
                }
            case WatchCheckKind.Gone:
                {
                    var gone = e.GoneChecks + 1;
                    var delay = gone <= options.GoneRechecks ? e.MinInterval : GoneInterval(e, options);
                    return checkedEntry with
                    {
                        Status = WatchStatus.Gone,
                        NextCheckAt = now + Jittered(delay, random, options),
                        GoneChecks = gone,
                        ConsecutiveFailures = 0,
                        LastNew = 0,
                        LastEdited = 0,
                        LastDeleted = 0,
                    };
                }
            default:
                {
                    var failures = e.ConsecutiveFailures + 1;
                    return checkedEntry with
                    {
                        Status = WatchStatus.Failing,
                        NextCheckAt = now + Jittered(Backoff(e, failures), random, options),
                        ConsecutiveFailures = failures,
                        LastNew = 0,
                        LastEdited = 0,
                        LastDeleted = 0,
                    };
                }
        }
    }

    /// <summary>The wait before the next try after <paramref name="failures"/> failed checks in a row (before jitter).</summary>
    public static TimeSpan Backoff(WatchEntry e, int failures)
    {
        var first = Max(WatchInterval.Shortest, e.MinInterval / 4);
        var doubled = first.TotalSeconds * Math.Pow(2, Math.Min(failures - 1, 30));
        return TimeSpan.FromSeconds(Math.Min(doubled, Math.Max(e.MaxInterval.TotalSeconds, first.TotalSeconds)));
    }

    /// <summary>How often a channel kept as gone is still looked at.</summary>
    public static TimeSpan GoneInterval(WatchEntry e, WatchCadenceOptions options) => Max(e.MaxInterval * options.GoneSlowdown, options.GoneAtLeast);

    private static TimeSpan Jittered(TimeSpan span, Random random, WatchCadenceOptions options) =>
        span * (1 + options.Jitter * (2 * random.NextDouble() - 1));

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
