using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Archiver.Capturing;
using Archiver.Crawling;
using Archiver.Model;
using Archiver.Platforms;
using Archiver.Storage;
using Archiver.Watching;
using Spectre.Console;

namespace Archiver.Cli;

/// <summary>
/// <c>archiver watch add|list|remove|pause|resume|run</c>: a watch list stored in the archive, and the watcher that
/// checks each entry when due (docs/watch.md).
/// </summary>
public sealed class WatchCommand(IReadOnlyList<IPlatform> platforms) : ICliCommand
{
    public Command Build(CommandRunner run)
    {
        var command = new Command("watch", "Keep channels under watch: check them on a schedule and record what changes (docs/watch.md)");
        command.Subcommands.Add(Add(run));
        command.Subcommands.Add(List(run));
        command.Subcommands.Add(Remove(run));
        command.Subcommands.Add(SetPaused(run, "pause", true, "Stop checking an entry (it stays in the list)"));
        command.Subcommands.Add(SetPaused(run, "resume", false, "Check a paused entry again"));
        command.Subcommands.Add(Run(run));
        return command;
    }

    private Command Add(CommandRunner run)
    {
        var seeds = new Argument<string[]>("SEED") { Description = "Seeds, as crawl takes them: telegram:NAME, mastodon:@user@host, a platform URL, PLATFORM:URL", Arity = ArgumentArity.OneOrMore };
        var every = new Option<string?>("--every")
        {
            Description = "How often: D (about every D: from D/2 when the channel is busy to 2D when quiet) or MIN..MAX; D is a whole number and s, m, h or d (30m, 6h, 1d). Default 6h",
            HelpName = "D",
        };
        var tag = new Option<string?>("--tag") { Description = "A label for the entries (shown by watch list)", HelpName = "T" };
        var command = new Command("add", "Add channels to the watch list (due at once)") { seeds, every, tag };
        run.Attach(command, async (context, parse, ct) =>
        {
            var interval = parse.GetValue(every) is { } everyText ? WatchInterval.Parse(everyText) : WatchInterval.Default;
            var registry = new PlatformRegistry(platforms);
            var parsed = new List<(string Text, Seed Seed)>();
            foreach (var text in (parse.GetValue(seeds) ?? []).Select(s => s.Trim()).Where(s => s.Length > 0))
            {
                if (!registry.TryParseSeed(text, out var seed, out _))
                    throw new ArchiverException(
                        $"No platform recognises the seed '{text}'; nothing was added. Known platforms: {string.Join(", ", registry.All.Select(p => p.Name))}. " +
                        "Seeds look like PLATFORM:NAME (telegram:durov, mastodon:@user@host), a platform URL (https://t.me/s/durov), or PLATFORM:URL.");
                parsed.Add((text, seed));
            }
            await using var session = ArchiveSession.Open(context.DataDir, ct: ct);
            var existing = session.Store.WatchEntries();
            var ids = existing.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
            var now = DateTime.UtcNow;
            now = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
            var added = new List<WatchEntry>();
            // By seed, for one look-up a seed: scanning the list for each seed made adding 10,000 seeds quadratic.
            var watched = new Dictionary<string, WatchEntry>(StringComparer.Ordinal);
            foreach (var e in existing) watched.TryAdd(e.Seed, e);
            foreach (var (text, seed) in parsed)
            {
                if (watched.TryGetValue(text, out var already))
                {
                    if (!context.Json) context.Out.WriteLine($"{text} is already watched as {already.Id}");
                    continue;
                }
                // A millisecond apart (the store's precision): the list keeps the order they were given in.
                var entry = WatchRecords.NewEntry(text, seed.Platform, interval, parse.GetValue(tag), now.AddMilliseconds(added.Count), ids);
                added.Add(entry);
                watched.Add(text, entry);
            }
            if (added.Count > 0) await session.Writer.WriteAsync(new StoreBatch { Watch = added }, ct);
            await session.CompleteAsync();
            if (context.Json) context.WriteJson(added.Select(View).ToList());
            else
                foreach (var e in added)
                    context.Out.WriteLine($"added {e.Id} {e.Seed} (every {WatchInterval.Format(e.MinInterval)}..{WatchInterval.Format(e.MaxInterval)}{(e.Tag is null ? "" : $", tag {e.Tag}")}); checked by 'archiver watch run'");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CommandRunner run)
    {
        var command = new Command("list", "The watch list: status, last and next check, posts, what the last check found, last error");
        run.Attach(command, (context, _, _) =>
        {
            using var store = ArchiveSession.OpenReader(context.DataDir);
            var entries = store.WatchEntries();
            if (context.Json) context.WriteJson(entries.Select(View).ToList());
            else Render(context.Console, entries);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static Command Remove(CommandRunner run)
    {
        var target = new Argument<string[]>("ID|SEED") { Description = "Entries by id (watch list) or by seed as added", Arity = ArgumentArity.OneOrMore };
        var command = new Command("remove", "Remove entries from the watch list (what they archived stays)") { target };
        run.Attach(command, async (context, parse, ct) =>
        {
            await using var session = ArchiveSession.Open(context.DataDir, ct: ct);
            var entries = Resolve(session.Store.WatchEntries(), parse.GetValue(target) ?? []);
            await session.Writer.WriteAsync(new StoreBatch { WatchRemovals = entries.Select(e => e.Id).ToList() }, ct);
            await session.CompleteAsync();
            // The entries' own frontiers (what their checks fetched) go with them; the archive keeps every record.
            var frontiers = WatchCrawlCheck.FrontierDirectory(session.Paths);
            if (Directory.Exists(frontiers))
                foreach (var e in entries)
                {
                    File.Delete(Path.Combine(frontiers, e.Id + ".frontier.db"));
                    File.Delete(Path.Combine(frontiers, e.Id + ".frontier-log.db"));
                }
            if (context.Json) context.WriteJson(entries.Select(View).ToList());
            else foreach (var e in entries) context.Out.WriteLine($"removed {e.Id} {e.Seed}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command SetPaused(CommandRunner run, string name, bool paused, string description)
    {
        var target = new Argument<string[]>("ID|SEED") { Description = "Entries by id (watch list) or by seed as added", Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, description) { target };
        run.Attach(command, async (context, parse, ct) =>
        {
            await using var session = ArchiveSession.Open(context.DataDir, ct: ct);
            var entries = Resolve(session.Store.WatchEntries(), parse.GetValue(target) ?? []).Select(e => e with { Paused = paused }).ToList();
            await session.Writer.WriteAsync(new StoreBatch { Watch = entries }, ct);
            await session.CompleteAsync();
            if (context.Json) context.WriteJson(entries.Select(View).ToList());
            else foreach (var e in entries) context.Out.WriteLine($"{(paused ? "paused" : "resumed")} {e.Id} {e.Seed}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private Command Run(CommandRunner run)
    {
        var once = new Option<bool>("--once") { Description = "One pass over the entries due now, then exit (for cron)" };
        var all = new Option<bool>("--all") { Description = "With --once: check every entry that is not paused, due or not" };
        var window = new Option<string>("--recheck-window") { Description = "Each check fetches the posts of this last stretch again, for edits and deletions (older pages are not walked)", DefaultValueFactory = _ => "7d", HelpName = "D" };
        var pages = new Option<long>("--recheck-pages") { Description = "Pages a check fetches at most (the baseline is not limited unless --baseline-pages)", DefaultValueFactory = _ => 20 };
        var baselinePages = new Option<long?>("--baseline-pages") { Description = "Pages the first check of an entry (the baseline: the whole channel) fetches at most" };
        var checks = new Option<int>("--checks") { Description = "Checks at once, each of a different host", DefaultValueFactory = _ => 4 };
        var timeout = new Option<string>("--check-timeout") { Description = "A check still running after this long is abandoned (counted as failed)", DefaultValueFactory = _ => "15m", HelpName = "D" };
        var noIndex = new Option<bool>("--no-index") { Description = "Do not keep the search index up to date while watching (run 'archiver index' later)" };
        var notifyUrl = new Option<string?>("--notify-url") { Description = "POST each event as JSON to this URL (retried with backoff until it answers 2xx)", HelpName = "URL" };
        var notifySecret = new Option<string?>("--notify-secret-file") { Description = $"Sign each POST (X-Archiver-Signature: sha256=HMAC) with the first line of this file (or ${Notifications.NotifyOptions.SecretVariable})", HelpName = "FILE" };
        var notifyAtom = new Option<string?>("--notify-atom") { Description = "Atom feed of the last 100 events ('none' for no feed; default ARCHIVE/events.atom)", HelpName = "PATH" };
        // Hidden: the watcher's clock runs --time-scale times faster from --time-origin (a replica with --evolve and the
        // same two values shares the time line), so a test watches a simulated week in minutes, kills included.
        var timeScale = new Option<double?>("--time-scale") { Hidden = true };
        var timeOrigin = new Option<DateTimeOffset?>("--time-origin") { Hidden = true };
        var network = new CrawlNetworkOptions();
        var command = new Command("run", "Check the watch list when due, in the foreground until Ctrl-C or SIGTERM (exit 0 after a clean stop)")
        {
            once, all, window, pages, baselinePages, checks, timeout, noIndex, notifyUrl, notifySecret, notifyAtom, timeScale, timeOrigin,
        };
        foreach (var option in network.All) command.Options.Add(option);
        run.Attach(command, async (context, parse, cancel) =>
        {
            // SIGTERM (systemd's stop) and SIGINT cancel the token (CliApp's handlers) and end the watch cleanly: exit 0.
            var ct = cancel;
            // Under a Type=notify systemd unit: READY=1 once the schedule is loaded, STOPPING=1 at the stop, watchdog pings.
            using var systemd = SystemdService.FromEnvironment();
            using var stoppingNote = ct.Register(systemd.Stopping);
            var registry = new PlatformRegistry(platforms);
            var simulated = parse.GetValue(timeScale) is { } scale ? new SimulatedClock(parse.GetValue(timeOrigin) ?? DateTimeOffset.UtcNow, scale) : null;
            var clock = (TimeProvider?)simulated ?? TimeProvider.System;
            var crawl = network.Build(parse, context.DataDir) with { Time = simulated?.WithRealTimers() ?? TimeProvider.System };
            var checkOptions = new WatchCheckOptions
            {
                RecheckWindow = WatchInterval.ParseDuration(parse.GetValue(window)!, "--recheck-window"),
                RecheckPages = PositiveLong(parse.GetValue(pages), "--recheck-pages"),
                BaselinePages = parse.GetValue(baselinePages) is { } b ? PositiveLong(b, "--baseline-pages") : null,
            };
            var schedulerOptions = new WatchSchedulerOptions
            {
                Once = parse.GetValue(once),
                All = parse.GetValue(all),
                MaxChecks = CrawlNetworkOptions.Positive(parse.GetValue(checks), "--checks"),
                CheckTimeout = WatchInterval.ParseDuration(parse.GetValue(timeout)!, "--check-timeout"),
            };
            if (schedulerOptions.All && !schedulerOptions.Once) throw new UsageException("--all goes with --once.");
            await CrawlNetworkOptions.NoteProxyVariableAsync(context, crawl);

            // A watcher runs for days: small LiteDB page caches keep its memory level (docs/watch.md, Resources).
            Storage.LiteFiles.UseSmallPageCaches();
            // One session for the watcher's whole life: the lock, the store, the writer and the index following it.
            var follower = parse.GetValue(noIndex) ? null : Indexing.IndexFollower.Opener(WatchIndex);
            // Not the stop's token: a stop that cancelled the index's catch-up would fail the session's completion and
            // disposal with it (exit 130 instead of a clean 0). A stop during the catch-up waits for it.
            await using var session = ArchiveSession.Open(context.DataDir, new ArchiveSessionOptions { Follower = follower }, CancellationToken.None);
            var entries = session.Store.WatchEntries();
            if (entries.Count == 0)
                throw new ArchiverException("The watch list is empty: add channels with 'archiver watch add SEED...' first.");
            await using var watcher = WatchRun.Open(session, registry, crawl, checkOptions);
            var scheduler = watcher.Scheduler(entries, clock, schedulerOptions);
            scheduler.Checked += (e, r) => Report(context, e, r);
            // Memory back to the system once the checks pause (after a pass over everything due).
            using var trim = new WatchMemoryTrim(scheduler, TimeProvider.System);

            var now = clock.GetUtcNow().UtcDateTime;
            var due = entries.Count(e => !e.Paused && (schedulerOptions.All || e.NextCheckAt <= now));
            if (!context.Json && !context.Quiet)
                context.Out.WriteLine(schedulerOptions.Once
                    ? $"watch: one pass over {due:N0} of {entries.Count:N0} entries"
                    : $"watch: {entries.Count:N0} entries, {due:N0} due now; Ctrl-C or SIGTERM stops");
            // Events go out beside the checks, each sink from its own cursor: a failing webhook never holds a check up.
            var atom = parse.GetValue(notifyAtom);
            var notify = new Notifications.NotifyOptions
            {
                Url = parse.GetValue(notifyUrl) is { } url ? Notifications.NotifyOptions.ParseUrl(url) : null,
                Secret = Notifications.NotifyOptions.ReadSecret(parse.GetValue(notifySecret)),
                AtomPath = atom == "none" ? null : atom ?? Path.Combine(session.Paths.Root, "events.atom"),
                Stdout = !context.Json && !context.Quiet,
            };
            using var notifier = Notifications.EventNotifier.For(session, notify, context.Out, context.Error);
            using var notifierStop = new CancellationTokenSource();
            var notifying = notifier.RunAsync(notifierStop.Token);
            WatchPass pass;
            try
            {
                systemd.Ready($"watching {entries.Count:N0} entries");
                pass = await scheduler.RunAsync(ct);
                await session.CompleteAsync();
                // A one-off pass exits once its events are out (or after a minute: a webhook that is down gets them next run).
                if (schedulerOptions.Once && !ct.IsCancellationRequested) await notifier.WaitDeliveredAsync(TimeSpan.FromMinutes(1), ct);
            }
            finally
            {
                await notifierStop.CancelAsync();
                await notifying;
            }
            if (context.Json) context.Out.WriteLine(JsonSerializer.Serialize(new { pass = pass, stopped = ct.IsCancellationRequested }, OneLine));
            else if (!context.Quiet)
                context.Out.WriteLine($"watch: {pass.Checks:N0} checks ({pass.Read:N0} read, {pass.Gone:N0} gone, {pass.Failed:N0} failed, {pass.Interrupted:N0} interrupted){(ct.IsCancellationRequested ? "; stopped" : "")}");
            // A stop (Ctrl-C, SIGTERM) is how a watcher ends: a clean one is success. Failed checks are in the list, not in $?.
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The search index while watching: each check's commits are searchable within seconds, with a small buffer (a watcher runs for days).</summary>
    private static readonly Indexing.IndexFollowerOptions WatchIndex = Indexing.IndexFollowerOptions.Crawl with { CommitInterval = TimeSpan.Zero, RamBufferMB = 16 };

    private static readonly JsonSerializerOptions OneLine = new(CliContext.JsonOptions) { WriteIndented = false };

    /// <summary>One line per check on stdout (a journal under systemd): when, which entry, what it found, when next.</summary>
    internal static void Report(CliContext context, WatchEntry e, WatchCheckResult r)
    {
        if (context.Json)
        {
            context.Out.WriteLine(JsonSerializer.Serialize(new { check = View(e), result = r.Kind, outcome = r.Outcome, error = r.Error }, OneLine));
            return;
        }
        if (context.Quiet) return;
        var found = r.Kind == WatchCheckKind.Read ? $"; {e.LastNew:N0} new, {e.LastEdited:N0} edited, {e.LastDeleted:N0} deleted" : "";
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{e.LastCheckAt:yyyy-MM-ddTHH:mm:ssZ} {e.Id} {e.Seed}: {r.Outcome}{found}; next check {e.NextCheckAt:yyyy-MM-ddTHH:mm:ssZ}"));
    }

    private static List<WatchEntry> Resolve(IReadOnlyList<WatchEntry> entries, IEnumerable<string> targets)
    {
        // One look-up a target (as WatchRecords.Find: by id, else by seed): scanning the list for each of 10,000 targets was quadratic.
        var byId = new Dictionary<string, WatchEntry>(StringComparer.OrdinalIgnoreCase);
        var bySeed = new Dictionary<string, WatchEntry>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            byId.TryAdd(e.Id, e);
            bySeed.TryAdd(e.Seed, e);
        }
        var found = new List<WatchEntry>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            var entry = (byId.TryGetValue(target, out var e) ? e : bySeed.GetValueOrDefault(target.Trim()))
                ?? throw new ArchiverException($"No watch entry '{target}': give an id or a seed as 'archiver watch list' shows them; nothing was changed.");
            if (ids.Add(entry.Id)) found.Add(entry);
        }
        return found;
    }

    private static long PositiveLong(long value, string name) => value > 0 ? value : throw new UsageException($"{name} must be at least 1.");

    /// <summary>An entry as <c>watch list</c> shows it (and <c>--json</c> writes it).</summary>
    public sealed record WatchView(
        string Id, string Seed, string Platform, string? Tag, string Status, bool Paused, string Every, string Interval,
        DateTime CreatedAt, DateTime? LastCheckAt, string? LastOutcome, string? LastError, DateTime NextCheckAt,
        int Checks, int ConsecutiveFailures, long Posts, long New, long Edited, long Deleted, long TotalNew, long TotalEdited, long TotalDeleted);

    public static WatchView View(WatchEntry e) => new(
        e.Id, e.Seed, e.Platform, e.Tag, e.Status.ToString().ToLowerInvariant(), e.Paused,
        $"{WatchInterval.Format(e.MinInterval)}..{WatchInterval.Format(e.MaxInterval)}", WatchInterval.Format(e.Interval),
        e.CreatedAt, e.LastCheckAt, e.LastOutcome, e.LastError, e.NextCheckAt,
        e.Checks, e.ConsecutiveFailures, e.Posts, e.LastNew, e.LastEdited, e.LastDeleted, e.TotalNew, e.TotalEdited, e.TotalDeleted);

    private static void Render(IAnsiConsole console, IReadOnlyList<WatchEntry> entries)
    {
        if (entries.Count == 0)
        {
            console.WriteLine("The watch list is empty: add channels with 'archiver watch add SEED...'.");
            return;
        }
        var table = new Table().AddColumns("id", "seed", "tag", "status", "last check", "next check", "posts", "new", "edited", "deleted", "last error");
        foreach (var e in entries)
        {
            var status = e.Paused ? $"paused ({e.Status.ToString().ToLowerInvariant()})" : e.Status.ToString().ToLowerInvariant();
            if (e.ConsecutiveFailures > 1) status += $" ×{e.ConsecutiveFailures}";
            table.AddRow(e.Id, Markup.Escape(e.Seed), Markup.Escape(e.Tag ?? ""), status,
                e.LastCheckAt is { } at ? $"{at:u}" : "never", e.Paused ? "" : $"{e.NextCheckAt:u}",
                Format.Count(e.Posts), Format.Count(e.LastNew), Format.Count(e.LastEdited), Format.Count(e.LastDeleted), Markup.Escape(e.LastError ?? ""));
        }
        console.Write(table);
        console.WriteLine($"{entries.Count:N0} entries; new, edited and deleted are what each entry's last check found.");
    }
}
