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
            var parsed = WatchListEdit.ParseSeeds(new PlatformRegistry(platforms), parse.GetValue(seeds) ?? []);
            await using var session = ArchiveSession.Open(context.DataDir, ct: ct);
            var edit = WatchListEdit.Add(session.Store.WatchEntries(), parsed, interval, parse.GetValue(tag), DateTime.UtcNow);
            if (!context.Json)
                foreach (var (text, already) in edit.Already) context.Out.WriteLine($"{text} is already watched as {already.Id}");
            var added = edit.Upserts;
            if (added.Count > 0) await session.Writer.WriteAsync(WatchListEdit.Batch(edit), ct);
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
            var edit = WatchListEdit.Remove(session.Store.WatchEntries(), parse.GetValue(target) ?? []);
            await session.Writer.WriteAsync(WatchListEdit.Batch(edit), ct);
            await session.CompleteAsync();
            WatchListEdit.DeleteFrontiers(session.Paths, edit.Removed);
            var entries = edit.Removed;
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
            var edit = WatchListEdit.SetPaused(session.Store.WatchEntries(), parse.GetValue(target) ?? [], paused);
            var entries = edit.Upserts;
            await session.Writer.WriteAsync(WatchListEdit.Batch(edit), ct);
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
        var noIndex = new Option<bool>("--no-index") { Description = "Do not keep the search index up to date while watching (run 'archiver index' later)" };
        var options = new WatchRunOptions();
        var command = new Command("run", "Check the watch list when due, in the foreground until Ctrl-C or SIGTERM (exit 0 after a clean stop)") { once, all, noIndex };
        foreach (var option in options.All) command.Options.Add(option);
        run.Attach(command, async (context, parse, cancel) =>
        {
            // SIGTERM (systemd's stop) and SIGINT cancel the token (CliApp's handlers) and end the watch cleanly: exit 0.
            var ct = cancel;
            // Under a Type=notify systemd unit: READY=1 once the schedule is loaded, STOPPING=1 at the stop, watchdog pings.
            using var systemd = SystemdService.FromEnvironment();
            using var stoppingNote = ct.Register(systemd.Stopping);
            var registry = new PlatformRegistry(platforms);
            var watch = options.Build(parse, context.DataDir, Path.GetFullPath(context.DataDir), stdout: !context.Json && !context.Quiet,
                once: parse.GetValue(once), all: parse.GetValue(all)) with
            { CompleteSession = true, TrimWhileBusy = Watching.WatchMemoryTrim.Busy };
            var schedulerOptions = watch.Scheduler;
            if (schedulerOptions.All && !schedulerOptions.Once) throw new UsageException("--all goes with --once.");
            await CrawlNetworkOptions.NoteProxyVariableAsync(context, watch.Crawl);

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
            await using var watcher = Watcher.Open(session, registry, watch, context.Out, context.Error);
            watcher.Scheduler.Checked += (e, r) => Report(context, e, r);

            var now = watch.Clock.GetUtcNow().UtcDateTime;
            var due = entries.Count(e => !e.Paused && (schedulerOptions.All || e.NextCheckAt <= now));
            if (!context.Json && !context.Quiet)
                context.Out.WriteLine(schedulerOptions.Once
                    ? $"watch: one pass over {due:N0} of {entries.Count:N0} entries"
                    : $"watch: {entries.Count:N0} entries, {due:N0} due now; Ctrl-C or SIGTERM stops");
            var pass = await watcher.RunAsync(() => systemd.Ready($"watching {entries.Count:N0} entries"), ct);
            if (context.Json) context.Out.WriteLine(JsonSerializer.Serialize(new { pass = pass, stopped = ct.IsCancellationRequested }, OneLine));
            else if (!context.Quiet)
                context.Out.WriteLine($"watch: {pass.Checks:N0} checks ({pass.Read:N0} read, {pass.Gone:N0} gone, {pass.Failed:N0} failed, {pass.Interrupted:N0} interrupted){(ct.IsCancellationRequested ? "; stopped" : "")}");
            // A stop (Ctrl-C, SIGTERM) is how a watcher ends: a clean one is success. Failed checks are in the list, not in $?.
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The search index while watching, with a small buffer (a watcher runs for days). Searches in other processes read
    /// its commits: one at most every 5 s, and 5 s after the last check of a burst (IndexFollower commits when idle),
    /// where a commit after every check cost one Lucene commit (files synced) per check.
    /// </summary>
    private static readonly Indexing.IndexFollowerOptions WatchIndex = Indexing.IndexFollowerOptions.Crawl with { CommitInterval = TimeSpan.FromSeconds(5), RamBufferMB = 16 };

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
