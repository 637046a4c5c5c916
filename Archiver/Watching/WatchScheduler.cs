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
/// The list may change while it runs (<see cref="EditAsync"/>: <c>serve</c>'s watch page): an entry added is due at
/// once, one paused is not checked (a check in flight ends and is saved, paused), one removed is forgotten (a check in
/// flight is not saved, so it cannot bring the entry back).
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
    private readonly Dictionary<string, string> _hosts = new(StringComparer.Ordinal);
    private readonly Func<WatchEdit, Task>? _persist;
    // The entries are read by the loop and changed by edits from other threads: under this lock.
    private readonly Lock _sync = new();
    // One store write at a time: a check's save and an edit's never interleave, so neither overwrites the other's entry
    // with an older copy (a pause saved, then the check's schedule saved from the entry as it was before the pause).
    private readonly SemaphoreSlim _gate = new(1, 1);
    // The ids edits changed, for the loop to take into account (queue, unqueue) at its next turn.
    private readonly Channel<string> _changed = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    /// <param name="entries">The watch list as stored.</param>
    /// <param name="hostOf">The host an entry's check talks to (checks of one host never overlap).</param>
    /// <param name="check">Runs one check; it must end soon after its token is cancelled.</param>
    /// <param name="save">Stores an entry's new schedule with what its check found (one commit, before its next check).</param>
    /// <param name="persist">Stores an edit of the list (<see cref="EditAsync"/>); without it the list cannot be edited while it runs.</param>
    public WatchScheduler(IEnumerable<WatchEntry> entries, Func<WatchEntry, string> hostOf, Func<WatchEntry, CancellationToken, Task<WatchCheckResult>> check,
        Func<WatchEntry, WatchCheckResult, Task> save, TimeProvider time, WatchSchedulerOptions? options = null, Random? random = null,
        Func<WatchEdit, Task>? persist = null)
    {
        _persist = persist;
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
    public IReadOnlyList<WatchEntry> Entries
    {
        get
        {
            lock (_sync) return _entries.Values.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>The scheduler's clock (an edit dates new entries by it).</summary>
    public TimeProvider Time => _time;

    /// <summary>
    /// Changes the list while the scheduler runs (or before): <paramref name="plan"/> sees the entries as they are now
    /// and says what to store and remove (<see cref="WatchListEdit"/>); the change is stored, then the loop takes it
    /// into account at once. Edits and the saves after checks are serialised, so no change is lost and no check is
    /// started twice. Throws what <paramref name="plan"/> throws (nothing is changed then).
    /// </summary>
    public async Task<WatchEdit> EditAsync(Func<IReadOnlyList<WatchEntry>, WatchEdit> plan, CancellationToken ct = default)
    {
        if (_persist is null) throw new InvalidOperationException("This scheduler was made without a way to store edits.");
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var edit = plan(Entries);
            if (edit.IsEmpty) return edit;
            await _persist(edit).ConfigureAwait(false);
            lock (_sync)
            {
                foreach (var e in edit.Removed) _entries.Remove(e.Id);
                foreach (var e in edit.Upserts) _entries[e.Id] = e;
            }
            foreach (var e in edit.Removed.Concat(edit.Upserts)) _changed.Writer.TryWrite(e.Id);
            return edit;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Checks entries when due until <paramref name="stop"/> (or, with <see cref="WatchSchedulerOptions.Once"/>, once over the due ones).</summary>
    public async Task<WatchPass> RunAsync(CancellationToken stop)
    {
        var running = new Dictionary<string, Task>(StringComparer.Ordinal);
        var busyHosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var done = Channel.CreateUnbounded<Done>(new UnboundedChannelOptions { SingleReader = true });
        var start = Now();
        // The entries waiting for their check, in order of due time per host: choosing the next checks looks at the
        // first entry of each host only, so a loop costs O(hosts + log entries), not a sort of the whole list (10,000
        // channels of one host: the sort and the host of every entry per check cost more than the 1 ms a check may take).
        // A pass (--once) queues the entries of the pass only, and a checked one is not queued again.
        var queues = new Dictionary<string, SortedSet<DueKey>>(StringComparer.OrdinalIgnoreCase);
        // Each queued entry's key, so that an edit can take it out of its queue.
        var queued = new Dictionary<string, DueKey>(StringComparer.Ordinal);
        foreach (var e in Entries)
            if (!e.Paused && (!_options.Once || _options.All || e.NextCheckAt <= start)) Enqueue(queues, queued, e);
        var candidates = new List<(DueKey Key, string Host)>();
        int checks = 0, read = 0, gone = 0, failed = 0, interrupted = 0;
        using var checkStop = CancellationTokenSource.CreateLinkedTokenSource(stop);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                TakeEdits(queues, queued, running);
                var now = Now();
                var free = Math.Max(1, _options.MaxChecks) - running.Count;
                if (free > 0)
                {
                    candidates.Clear();
                    foreach (var (host, queue) in queues)
                        if (queue.Count > 0 && !busyHosts.Contains(host) && (_options.Once || queue.Min.At <= now)) candidates.Add((queue.Min, host));
                    candidates.Sort(static (a, b) => DueKey.Order.Compare(a.Key, b.Key));
                    foreach (var (key, host) in candidates.Take(free))
                    {
                        queues[host].Remove(key);
                        queued.Remove(key.Id);
                        WatchEntry? entry;
                        lock (_sync) entry = _entries.GetValueOrDefault(key.Id);
                        // Removed by an edit since this turn began (the edit's note is taken at the next turn): not checked.
                        if (entry is null) continue;
                        busyHosts.Add(host);
                        running[key.Id] = RunCheckAsync(entry, host, done.Writer, checkStop.Token);
                    }
                }
                if (_options.Once && running.Count == 0 && queues.Values.All(q => q.Count == 0)) break;

                var wait = _options.Once ? Timeout.InfiniteTimeSpan : NextWait(now, queues);
                if (!await WaitAsync(done.Reader, wait, stop).ConfigureAwait(false)) continue;
                while (done.Reader.TryRead(out var finished))
                {
                    await running[finished.Entry.Id].ConfigureAwait(false);
                    running.Remove(finished.Entry.Id);
                    busyHosts.Remove(finished.Host);
                    Count(finished.Result.Kind);
                    await CompleteAsync(finished).ConfigureAwait(false);
                    // Watching on: the entry waits for its next check (an interrupted one is due again at once); one
                    // paused or removed meanwhile does not.
                    WatchEntry? next;
                    lock (_sync) next = _entries.GetValueOrDefault(finished.Entry.Id);
                    if (!_options.Once && next is { Paused: false } && !queued.ContainsKey(next.Id)) Enqueue(queues, queued, next);
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
            Count(finished.Result.Kind);
            await CompleteAsync(finished).ConfigureAwait(false);
        }
        return new WatchPass(checks, read, gone, failed, interrupted);

        void Count(WatchCheckKind kind)
        {
            checks++;
            switch (kind)
            {
                case WatchCheckKind.Read: read++; break;
                case WatchCheckKind.Gone: gone++; break;
                case WatchCheckKind.Failed: failed++; break;
                default: interrupted++; break;
            }
        }
    }

    /// <summary>An entry's place in its host's queue: due time, then id (the order checks start in).</summary>
    private readonly record struct DueKey(DateTime At, string Id)
    {
        public static readonly IComparer<DueKey> Order = Comparer<DueKey>.Create(static (a, b) =>
        {
            var at = a.At.CompareTo(b.At);
            return at != 0 ? at : string.CompareOrdinal(a.Id, b.Id);
        });
    }

    private void Enqueue(Dictionary<string, SortedSet<DueKey>> queues, Dictionary<string, DueKey> queued, WatchEntry entry)
    {
        var host = HostOf(entry);
        if (!queues.TryGetValue(host, out var queue)) queues[host] = queue = new SortedSet<DueKey>(DueKey.Order);
        var key = new DueKey(entry.NextCheckAt, entry.Id);
        queue.Add(key);
        queued[entry.Id] = key;
    }

    /// <summary>
    /// Takes the edits made since the last turn into account: an entry edited leaves its queue and comes back as it is
    /// now, unless it is paused, removed, or being checked (then it is queued again when its check ends, as it is then).
    /// A one-off pass takes no new entries: it checks what was due when it started.
    /// </summary>
    private void TakeEdits(Dictionary<string, SortedSet<DueKey>> queues, Dictionary<string, DueKey> queued, Dictionary<string, Task> running)
    {
        while (_changed.Reader.TryRead(out var id))
        {
            // Its host was worked out when it was queued.
            if (queued.Remove(id, out var key)) queues[_hosts[id]].Remove(key);
            WatchEntry? entry;
            lock (_sync) entry = _entries.GetValueOrDefault(id);
            if (entry is null)
            {
                _hosts.Remove(id);
                continue;
            }
            if (!_options.Once && !entry.Paused && !running.ContainsKey(id)) Enqueue(queues, queued, entry);
        }
    }

    /// <summary>The entry's host, worked out once (a seed's host does not change; parsing it per loop cost ~µs × entries).</summary>
    private string HostOf(WatchEntry entry)
    {
        if (!_hosts.TryGetValue(entry.Id, out var host)) _hosts[entry.Id] = host = _hostOf(entry);
        return host;
    }

    private DateTime Now() => _time.GetUtcNow().UtcDateTime;

    /// <summary>Until the next queued entry falls due (a due one that waits for its host or a slot waits for a check to end).</summary>
    private static TimeSpan NextWait(DateTime now, Dictionary<string, SortedSet<DueKey>> queues)
    {
        DateTime? next = null;
        var after = new DueKey(now.AddTicks(1), "");
        foreach (var queue in queues.Values)
        {
            if (queue.Count == 0) continue;
            var first = queue.Min.At > now ? queue.Min : queue.Max.At > now ? queue.GetViewBetween(after, queue.Max).Min : (DueKey?)null;
            if (first is { } f && (next is null || f.At < next)) next = f.At;
        }
        // Timers take at most ~24 days; a day at a time is plenty (a gone channel may wait months).
        return next is { } at ? Min(at - now, TimeSpan.FromDays(1)) : Timeout.InfiniteTimeSpan;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Waits for a check to end or <paramref name="wait"/> to pass; false when the time passed (or the run stops).</summary>
    private async Task<bool> WaitAsync(ChannelReader<Done> done, TimeSpan wait, CancellationToken stop)
    {
        if (done.TryPeek(out _) || _changed.Reader.TryPeek(out _)) return true;
        using var timer = wait == Timeout.InfiniteTimeSpan ? new CancellationTokenSource() : new CancellationTokenSource(wait, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, stop);
        try
        {
            // A check ending or an edit wakes the loop (an entry added to an idle list is checked at once).
            var ended = done.WaitToReadAsync(linked.Token).AsTask();
            var edited = _changed.Reader.WaitToReadAsync(linked.Token).AsTask();
            var first = await Task.WhenAny(ended, edited).ConfigureAwait(false);
            await linked.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(ended, edited).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            return first.IsCompletedSuccessfully && first.Result;
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
        WatchEntry updated;
        // Not cancelled by the stop: a check that ended is saved, as it was before edits existed.
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            WatchEntry? current;
            lock (_sync) current = _entries.GetValueOrDefault(finished.Entry.Id);
            // Removed while it was checked: not saved (that would bring it back).
            if (current is null) return;
            // The entry as it is now (paused meanwhile: it stays paused), with the check's outcome and schedule.
            updated = WatchCadence.After(current, finished.Result, Now(), _random, _options.Cadence);
            await _save(updated, finished.Result).ConfigureAwait(false);
            lock (_sync) _entries[updated.Id] = updated;
        }
        finally
        {
            _gate.Release();
        }
        Checked?.Invoke(updated, finished.Result);
    }
}
