namespace Archiver.Model;

/// <summary>Where a watched channel stands, as its last checks found it.</summary>
public enum WatchStatus
{
    /// <summary>Added, not checked yet: its first check is the baseline (no events).</summary>
    New,
    /// <summary>The last check read the channel.</summary>
    Active,
    /// <summary>The last check(s) failed (unreachable, refused, HTTP errors): retried with backoff.</summary>
    Failing,
    /// <summary>The platform says the channel is gone (404 of an archived channel, 410, 451): rechecked a few times, then slowly.</summary>
    Gone,
}

/// <summary>
/// One channel or account under watch (<c>archiver watch add</c>), stored in the archive's main file, with its schedule:
/// the bounds of its interval (<c>--every</c>), the interval the cadence has adapted to, when it is next due, and what
/// its last check found. The watcher rewrites it after each check, so a restart resumes the schedule.
/// </summary>
public sealed record WatchEntry
{
    /// <summary>A short id (8 hex digits) to name the entry in <c>watch remove|pause|resume</c>.</summary>
    public required string Id { get; init; }
    /// <summary>The seed as the user typed it (any crawl seed).</summary>
    public required string Seed { get; init; }
    public required string Platform { get; init; }
    public string? Tag { get; init; }
    public required TimeSpan MinInterval { get; init; }
    public required TimeSpan MaxInterval { get; init; }
    /// <summary>The interval the cadence has adapted to, within the bounds (busy channels shorter, quiet ones longer).</summary>
    public required TimeSpan Interval { get; init; }
    public bool Paused { get; init; }
    public required DateTime CreatedAt { get; init; }
    public WatchStatus Status { get; init; } = WatchStatus.New;
    /// <summary>When the next check is due (UTC); a new entry is due at once.</summary>
    public required DateTime NextCheckAt { get; init; }
    public DateTime? LastCheckAt { get; init; }
    /// <summary>When the first check that read the channel ended (the baseline: what the watch started from; it records no events).</summary>
    public DateTime? BaselineAt { get; init; }
    /// <summary>The last check's seed outcome (archived, gone, unreachable, ...), as <c>crawl</c> names it.</summary>
    public string? LastOutcome { get; init; }
    public string? LastError { get; init; }
    public int ConsecutiveFailures { get; init; }
    /// <summary>Checks that found the channel gone in a row (it is rechecked a few times, then kept as gone).</summary>
    public int GoneChecks { get; init; }
    public int Checks { get; init; }
    /// <summary>Posts of the channel the watch has seen: the baseline's, then each new one.</summary>
    public long Posts { get; init; }
    /// <summary>What the last check found: new posts, edits, deletions (the baseline counts none).</summary>
    public long LastNew { get; init; }
    public long LastEdited { get; init; }
    public long LastDeleted { get; init; }
    /// <summary>Totals over every check after the baseline.</summary>
    public long TotalNew { get; init; }
    public long TotalEdited { get; init; }
    public long TotalDeleted { get; init; }
}
