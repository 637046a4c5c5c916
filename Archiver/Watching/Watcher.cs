using Archiver.Crawling;
using Archiver.Model;
using Archiver.Notifications;
using Archiver.Platforms;
using Archiver.Storage;

namespace Archiver.Watching;

/// <summary>How a <see cref="Watcher"/> checks and tells.</summary>
public sealed record WatcherOptions
{
    /// <summary>The crawl options of every check (network rules, politeness; its <see cref="CrawlOptions.Time"/> dates captures).</summary>
    public required CrawlOptions Crawl { get; init; }
    public WatchCheckOptions Check { get; init; } = new();
    public WatchSchedulerOptions Scheduler { get; init; } = new();
    /// <summary>The events' sinks (stdout, webhook, Atom feed).</summary>
    public NotifyOptions Notify { get; init; } = new();
    /// <summary>The watch clock (a <see cref="SimulatedClock"/> in tests); real time by default.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    /// <summary>Commit the session (and let its index finish) when the checks end, before a one-off pass waits for its events to go out.</summary>
    public bool CompleteSession { get; init; }
    /// <summary>Give memory back every so often while checks keep running, not only when they pause (<see cref="WatchMemoryTrim"/>).</summary>
    public TimeSpan? TrimWhileBusy { get; init; }
}

/// <summary>
/// The watcher of one archive session: the checks (<see cref="WatchRun"/>), their scheduler over the stored watch list,
/// the notifier delivering the events beside them, and the memory trim after a pass. <c>watch run</c> runs one in the
/// foreground; <c>serve</c> runs one beside the web app, whose watch page edits the list through
/// <see cref="EditAsync"/>. An empty list is no error here: the watcher waits for entries.
/// </summary>
public sealed class Watcher : IAsyncDisposable
{
    private readonly ArchiveSession _session;
    private readonly WatcherOptions _options;
    private readonly WatchRun _run;
    private readonly EventNotifier _notifier;
    private readonly WatchMemoryTrim _trim;

    private Watcher(ArchiveSession session, WatcherOptions options, WatchRun run, WatchScheduler scheduler, EventNotifier notifier, WatchMemoryTrim trim)
    {
        _session = session;
        _options = options;
        _run = run;
        Scheduler = scheduler;
        _notifier = notifier;
        _trim = trim;
    }

    public WatchScheduler Scheduler { get; }

    /// <param name="stdout">Where the notifier's event lines go (when <see cref="NotifyOptions.Stdout"/>).</param>
    /// <param name="log">Where delivery problems are reported.</param>
    public static Watcher Open(ArchiveSession session, PlatformRegistry registry, WatcherOptions options, TextWriter? stdout = null, TextWriter? log = null)
    {
        var run = WatchRun.Open(session, registry, options.Crawl, options.Check);
        EventNotifier? notifier = null;
        try
        {
            var scheduler = run.Scheduler(session.Store.WatchEntries(), options.Clock, options.Scheduler);
            // Events go out beside the checks, each sink from its own cursor: a failing webhook never holds a check up.
            notifier = EventNotifier.For(session, options.Notify, stdout, log);
            // Memory back to the system once the checks pause (after a pass over everything due); real time, not the watch clock.
            var trim = new WatchMemoryTrim(scheduler, TimeProvider.System, busy: options.TrimWhileBusy);
            return new Watcher(session, options, run, scheduler, notifier, trim);
        }
        catch
        {
            notifier?.Dispose();
            run.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>Changes the watch list while it is watched (<see cref="WatchScheduler.EditAsync"/>).</summary>
    public Task<WatchEdit> EditAsync(Func<IReadOnlyList<WatchEntry>, WatchEdit> plan, CancellationToken ct = default) => Scheduler.EditAsync(plan, ct);

    /// <summary>
    /// Checks the entries when due until <paramref name="stop"/> (or one pass with <see cref="WatchSchedulerOptions.Once"/>),
    /// with the notifier running beside; <paramref name="started"/> is called once both run (systemd's READY=1).
    /// </summary>
    public async Task<WatchPass> RunAsync(Action? started, CancellationToken stop)
    {
        using var notifierStop = new CancellationTokenSource();
        var notifying = _notifier.RunAsync(notifierStop.Token);
        try
        {
            started?.Invoke();
            var pass = await Scheduler.RunAsync(stop).ConfigureAwait(false);
            if (_options.CompleteSession) await _session.CompleteAsync().ConfigureAwait(false);
            // A one-off pass exits once its events are out (or after a minute: a webhook that is down gets them next run).
            if (_options.Scheduler.Once && !stop.IsCancellationRequested) await _notifier.WaitDeliveredAsync(TimeSpan.FromMinutes(1), stop).ConfigureAwait(false);
            return pass;
        }
        finally
        {
            await notifierStop.CancelAsync().ConfigureAwait(false);
            await notifying.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _trim.Dispose();
        _notifier.Dispose();
        await _run.DisposeAsync().ConfigureAwait(false);
    }
}
