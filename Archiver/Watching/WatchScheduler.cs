using System.Threading.Channels;
using Archiver.Model;

namespace Archiver.Watching;

/// <summary>How <see cref="WatchScheduler"/> runs checks.</summary>
public sealed record WatchSchedulerOptions
{
    /// <summary>Checks running at once, each on a different host.</summary>
    public int MaxChecks { get; init; } = 4;
    /// <summary>A check still running after this long is abandoned (what it stored is kept) and counts as failed, so a hanging host frees its slot.</summary>
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromMinutes(15);
    /// <summary>One pass and return: the entries due when it starts (every unpaused entry with <see cref="All"/>).</summary>
    public bool Once { get; init; }
    public bool All { get; init; }
    public WatchCadenceOptions Cadence { get; init; } = new();
}

/// <summary>What a run of the scheduler did.</summary>
public sealed record WatchPass(int Checks, int Read, int Gone, int Failed, int Interrupted);

/// <summary>
/// Runs the checks of a watch list when they are due, on a <see cref="TimeProvider"/>'s clock: at most
/// <see cref="WatchSchedulerOptions.MaxChecks"/> at once and never two of one host at once (checks of different hosts
/// run side by side, so a slow or failing host delays only its own entries, and a check that hangs is abandoned after
/// <see cref="WatchSchedulerOptions.CheckTimeout"/>). After each check the entry's new schedule
/// (<see cref="WatchCadence"/>) is saved before the next check of it can start; a check interrupted by a stop is not
/// saved, so it is due again at the next start, as one cut short by a kill is.
/// </summary>
public sealed class WatchScheduler
{
    private sealed record Done(WatchEntry Entry, string Host, WatchCheckResult Result);

    private readonly Dictionary<string, WatchEntry> _entries;
    private readonly Func<WatchEntry, string> _hostOf;
    private readonly Func<WatchEntry, CancellationToken, Task<WatchCheckResult>> _check;
    private readonly Func<WatchEntry, WatchCheckResult, Task> _save;
    private readonly TimeProvider _time;
    private readonly WatchSchedulerOptions _options;
    private readonly Random _random;

    /// <param name="entries">The watch list as stored.</param>
    /// <param name="hostOf">The host an entry's check talks to (checks of one host never overlap).</param>
    /// <param name="check">Runs one check; it must end soon after its token is cancelled.</param>
    /// <param name="save">Stores an entry's new schedule with what its check found (one commit, before its next check).</param>
    public WatchScheduler(IEnumerable<WatchEntry> entries, Func<WatchEntry, string> hostOf, Func<WatchEntry, CancellationToken, Task<WatchCheckResult>> check,
        Func<WatchEntry, WatchCheckResult, Task> save, TimeProvider time, WatchSchedulerOptions? options = null, Random? random = null)
    {
        _entries = entries.ToDictionary(e => e.Id, StringComparer.Ordinal);
        _hostOf = hostOf;
        _check = check;
        _save = save;
        _time = time;
        _options = options ?? new WatchSchedulerOptions();
        _random = random ?? Random.Shared;
    }

    /// <summary>Raised after each check's new schedule is saved (on the scheduler's loop): the line on stdout, notifications.</summary>
    public event Action<WatchEntry, WatchCheckResult>? Checked;

    /// <summary>The entries as the scheduler holds them now.</summary>
    public IReadOnlyList<WatchEntry> Entries => _entries.Values.ToList();

    /// <summary>Checks entries when due until <paramref name="stop"/> (or, with <see cref="WatchSchedulerOptions.Once"/>, once over the due ones).</summary>
    public async Task<WatchPass> RunAsync(CancellationToken stop)
    {
        var running = new Dictionary<string, Task>(StringComparer.Ordinal);
        var busyHosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var done = Channel.CreateUnbounded<Done>(new UnboundedChannelOptions { SingleReader = true });
        var start = Now();
        HashSet<string>? pass = _options.Once
            ? _entries.Values.Where(e => !e.Paused && (_options.All || e.NextCheckAt <= start)).Select(e => e.Id).ToHashSet(StringComparer.Ordinal)
            : null;
        int checks = 0, read = 0, gone = 0, failed = 0, interrupted = 0;
        using var checkStop = CancellationTokenSource.CreateLinkedTokenSource(stop);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var now = Now();
                foreach (var entry in Due(now, pass, running))
                {
                    if (running.Count >= Math.Max(1, _options.MaxChecks)) break;
                    var host = _hostOf(entry);
                    if (!busyHosts.Add(host)) continue;
                    pass?.Remove(entry.Id);
                    running[entry.Id] = RunCheckAsync(entry, host, done.Writer, checkStop.Token);
                }
                if (pass is { Count: 0 } && running.Count == 0) break;

                var wait = pass is null ? NextWait(now, running) : Timeout.InfiniteTimeSpan;
                if (!await WaitAsync(done.Reader, wait, stop).ConfigureAwait(false)) continue;
                while (done.Reader.TryRead(out var finished))
                {
                    await running[finished.Entry.Id].ConfigureAwait(false);
                    running.Remove(finished.Entry.Id);
                    busyHosts.Remove(finished.Host);
                    checks++;
                    switch (finished.Result.Kind)
                    {
                        case WatchCheckKind.Read: read++; break;
                        case WatchCheckKind.Gone: gone++; break;
                        case WatchCheckKind.Failed: failed++; break;
                        default: interrupted++; break;
                    }
                    await CompleteAsync(finished).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            // Stopping: the checks in flight stop too (what they stored is kept); their entries stay due.
            await checkStop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(running.Values).ConfigureAwait(false);
        }
        while (done.Reader.TryRead(out var finished))
        {
            checks++;
            switch (finished.Result.Kind)
            {
                case WatchCheckKind.Read: read++; break;
                case WatchCheckKind.Gone: gone++; break;
                case WatchCheckKind.Failed: failed++; break;
                default: interrupted++; break;
            }
            await CompleteAsync(finished).ConfigureAwait(false);
        }
        return new WatchPass(checks, read, gone, failed, interrupted);
    }

    private DateTime Now() => _time.GetUtcNow().UtcDateTime;

    private IEnumerable<WatchEntry> Due(DateTime now, HashSet<string>? pass, Dictionary<string, Task> running) =>
        _entries.Values
            .Where(e => !e.Paused && !running.ContainsKey(e.Id) && (pass is null ? e.NextCheckAt <= now : pass.Contains(e.Id)))
            .OrderBy(e => e.NextCheckAt)
            .ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToList();

    /// <summary>Until the next entry not running falls due (a due one that waits for its host or a slot waits for a check to end).</summary>
    private TimeSpan NextWait(DateTime now, Dictionary<string, Task> running)
    {
        DateTime? next = null;
        foreach (var e in _entries.Values)
        {
            if (e.Paused || running.ContainsKey(e.Id) || e.NextCheckAt <= now) continue;
            if (next is null || e.NextCheckAt < next) next = e.NextCheckAt;
        }
        // Timers take at most ~24 days; a day at a time is plenty (a gone channel may wait months).
        return next is { } at ? Min(at - now, TimeSpan.FromDays(1)) : Timeout.InfiniteTimeSpan;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Waits for a check to end or <paramref name="wait"/> to pass; false when the time passed (or the run stops).</summary>
    private async Task<bool> WaitAsync(ChannelReader<Done> done, TimeSpan wait, CancellationToken stop)
    {
        if (done.TryPeek(out _)) return true;
        using var timer = wait == Timeout.InfiniteTimeSpan ? new CancellationTokenSource() : new CancellationTokenSource(wait, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, stop);
        try
        {
            return await done.WaitToReadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task RunCheckAsync(WatchEntry entry, string host, ChannelWriter<Done> done, CancellationToken stop)
    {
        // Off the loop's thread: a check that blocks before its first await must not hold up the others.
        await Task.Yield();
        using var timeout = new CancellationTokenSource(_options.CheckTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token);
        WatchCheckResult result;
        try
        {
            result = await Task.Run(() => _check(entry, linked.Token), CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            result = WatchCheckResult.Interrupted;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            result = WatchCheckResult.Failure(e.Message);
        }
        // A check cut short by its timeout failed (its host hangs); one cut short by the stop is simply run again.
        if (result.Kind == WatchCheckKind.Interrupted && timeout.IsCancellationRequested && !stop.IsCancellationRequested)
            result = WatchCheckResult.Failure($"the check took longer than {WatchInterval.Format(_options.CheckTimeout)} and was abandoned");
        done.TryWrite(new Done(entry, host, result));
    }

    private async Task CompleteAsync(Done finished)
    {
        if (finished.Result.Kind == WatchCheckKind.Interrupted) return;
        if (!_entries.TryGetValue(finished.Entry.Id, out var current)) return;
        var updated = WatchCadence.After(current, finished.Result, Now(), _random, _options.Cadence);
        await _save(updated, finished.Result).ConfigureAwait(false);
        _entries[updated.Id] = updated;
        Checked?.Invoke(updated, finished.Result);
    }
}
