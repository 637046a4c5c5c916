using System.Globalization;
using Archiver.Crawling;
using Archiver.Model;
using Archiver.Notifications;
using Archiver.Platforms;
using Archiver.Replica;
using Archiver.Storage;
using Archiver.Watching;
using Spectre.Console;

namespace Archiver.Cli;

/// <summary>What the demo's second watch pass recorded.</summary>
public sealed record DemoWatchResult(IReadOnlyList<ArchiveEvent> Events, string? Problem);

/// <summary>
/// The demo's watch step: an evolving replica on 127.0.0.1 whose clock the demo drives, a few of its channels added to
/// a watch list in their own archive (DIR/watch), a baseline pass, the clock moved forward, and a second pass whose
/// events are printed by the notifier's stdout sink. The passes are <c>watch run --once</c>'s code
/// (<see cref="WatchRun"/>, <see cref="WatchScheduler"/>, <see cref="EventNotifier"/>), on the demo's clock instead of
/// the system's, so simulated hours pass in a moment.
/// </summary>
public sealed class DemoWatch(CliContext context, string directory, DemoWatchPlan plan)
{
    public async Task<DemoWatchResult> RunAsync(CancellationToken ct)
    {
        var console = context.Console;
        var clock = new DemoClock(plan.Baseline);
        await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions
        {
            Seed = plan.Seed,
            Size = ReplicaSize.Small,
            Evolve = new EvolveSettings { Start = plan.Start, Days = plan.Days },
            Time = clock,
            LogRequests = false,
        }, ct).ConfigureAwait(false);
        var seeds = plan.Channels.Select(c => SeedOf(replica, c.Platform, c.Name)).ToList();
        var data = Quote(directory);
        console.MarkupLine($"6. Watch: a second replica that changes over time (seed {plan.Seed}, evolving from {Iso(plan.Start)}: it publishes, edits and deletes posts and takes channels down on a schedule), "
            + $"on a simulated clock the demo moves forward; its {seeds.Count} channels watched in their own archive, {Markup.Escape(directory)}:");
        foreach (var seed in seeds) console.MarkupLine($"   archiver --data {Markup.Escape(data)} watch add {Markup.Escape(seed)}");

        var registry = KnownPlatforms.Registry();
        var crawl = new CrawlOptions
        {
            DataDir = directory,
            AllowPrivate = true,
            RatePerHost = 0,
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            Time = clock,
        };
        await using var session = ArchiveSession.Open(directory, ct: ct);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var now = clock.GetUtcNow().UtcDateTime;
        var entries = seeds.Select((seed, i) => WatchRecords.NewEntry(seed, registry.TryParseSeed(seed, out var s, out _) ? s.Platform : "", WatchInterval.Default, "demo", now.AddMilliseconds(i), ids)).ToList();
        await session.Writer.WriteAsync(new StoreBatch { Watch = entries }, ct).ConfigureAwait(false);

        await using var watcher = WatchRun.Open(session, registry, crawl, new WatchCheckOptions { RecheckWindow = plan.RecheckWindow });
        var atom = Path.Combine(directory, "events.atom");
        using var notifier = EventNotifier.For(session, new NotifyOptions { Stdout = true, AtomPath = atom }, context.Out, context.Error);
        using var notifierStop = new CancellationTokenSource();
        var notifying = notifier.RunAsync(notifierStop.Token);
        IReadOnlyList<ArchiveEvent> events;
        try
        {
            console.MarkupLine($"   watch pass 1 at {Iso(clock.GetUtcNow())} (simulated), the baseline: each channel as it is now; no events (what was there before the watch is not news)");
            await PassAsync(watcher, session, clock, ct).ConfigureAwait(false);

            clock.MoveTo(plan.Second);
            var before = session.Store.Sequence;
            console.MarkupLine($"   the clock moves {WatchInterval.Format(plan.Advance)} to {Iso(plan.Second)}; watch pass 2 (archiver watch run --once --recheck-window {WatchInterval.Format(plan.RecheckWindow)}: the entries due now), then each event the pass recorded, as the notifier prints it:");
            await PassAsync(watcher, session, clock, ct).ConfigureAwait(false);
            await session.CompleteAsync().ConfigureAwait(false);
            await notifier.WaitDeliveredAsync(TimeSpan.FromMinutes(1), ct).ConfigureAwait(false);
            events = session.Store.ReadEvents(before);
        }
        finally
        {
            await notifierStop.CancelAsync().ConfigureAwait(false);
            await notifying.ConfigureAwait(false);
        }

        console.MarkupLine($"   [bold]{Markup.Escape(Summary(events))}[/]");
        console.MarkupLine($"   Each event is in the archive with its evidence (the WARC record of the response that showed it); the Atom feed is {Markup.Escape(atom)}. Look further:");
        foreach (var next in new[]
        {
            $"archiver --data {data} events",
            $"archiver --data {data} events --type edited,deleted,channel-gone --json",
            $"archiver --data {data} watch list",
            // The truth names hosts as if the replica ran on ports 8470-8476 (the demo's took free ones): compare channels and ids.
            $"archiver replica truth --evolve --seed {plan.Seed} --evolve-start {Iso(plan.Start)} --evolve-days {plan.Days.ToString(CultureInfo.InvariantCulture)} --until {Iso(plan.Second)} --out changes.jsonl   # the replica's own list of every change, with its time",
        })
        {
            console.MarkupLine($"     {Markup.Escape(next)}");
        }
        return new DemoWatchResult(events, Missing(events));
    }

    /// <summary>One <c>watch run --once</c> pass over the entries due now, one line per check as <c>watch run</c> prints it.</summary>
    private async Task PassAsync(WatchRun watcher, ArchiveSession session, TimeProvider clock, CancellationToken ct)
    {
        var scheduler = watcher.Scheduler(session.Store.WatchEntries(), clock, new WatchSchedulerOptions { Once = true });
        // The line watch run prints, indented, written whole: the notifier writes its lines to the same stdout meanwhile.
        scheduler.Checked += (e, r) =>
        {
            using var line = new StringWriter(CultureInfo.InvariantCulture);
            WatchCommand.Report(new CliContext { DataDir = directory, Json = false, Quiet = false, Out = line, Error = context.Error, Console = context.Console }, e, r);
            context.Out.Write("   " + line);
        };
        await scheduler.RunAsync(ct).ConfigureAwait(false);
    }

    /// <summary>"watch pass 2: 6 new, 2 edited, 3 deleted; telegram:freepress gone (451), ...": what the pass recorded.</summary>
    public static string Summary(IReadOnlyList<ArchiveEvent> events)
    {
        int Count(ArchiveEventType type) => events.Count(e => e.Type == type);
        var gone = events.Where(e => e.Type == ArchiveEventType.ChannelGone)
            .Select(e => $"{e.Platform}:{e.Channel} gone ({e.Evidence?.Status.ToString(CultureInfo.InvariantCulture) ?? "?"})");
        var failed = Count(ArchiveEventType.CheckFailed);
        return $"watch pass 2: {Count(ArchiveEventType.NewPost)} new, {Count(ArchiveEventType.Edited)} edited, {Count(ArchiveEventType.Deleted)} deleted"
            + string.Concat(gone.Select(g => ", " + g))
            + (failed > 0 ? $", {failed} checks failed" : "");
    }

    /// <summary>The demo's own check: its watch must show an edit, a deletion and a takedown (null when it does).</summary>
    public static string? Missing(IReadOnlyList<ArchiveEvent> events)
    {
        var missing = new[] { ArchiveEventType.Edited, ArchiveEventType.Deleted, ArchiveEventType.ChannelGone }
            .Where(t => !events.Any(e => e.Type == t)).Select(EventText.Name).ToList();
        return missing.Count == 0 ? null : $"the watch step recorded no {string.Join(", no ", missing)} event";
    }

    private static string SeedOf(ReplicaHost replica, string platform, string name) =>
        replica.Seeds.FirstOrDefault(s => s.StartsWith(platform + ":", StringComparison.Ordinal)
            && (s.EndsWith("/s/" + name, StringComparison.Ordinal) || s.EndsWith("/@" + name, StringComparison.Ordinal)))
        ?? throw new InvalidOperationException($"The replica has no {platform} channel or account '{name}' (DemoPlan.Watch).");

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;

    /// <summary>
    /// The demo's simulated clock: it reads a time of the replica's schedule and runs at the real clock's pace (so
    /// timers, retries and timeouts behave as usual), and <see cref="MoveTo"/> jumps it forward between passes.
    /// </summary>
    private sealed class DemoClock(DateTimeOffset start) : TimeProvider
    {
        private readonly long _origin = System.GetTimestamp();
        private long _offsetTicks;

        public override DateTimeOffset GetUtcNow() => start + System.GetElapsedTime(_origin) + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

        public void MoveTo(DateTimeOffset at) => Interlocked.Add(ref _offsetTicks, Math.Max(0, (at - GetUtcNow()).Ticks));
    }
}
