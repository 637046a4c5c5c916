using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Archiver.Capturing;
using Archiver.Model;
using Archiver.Replica;
using Archiver.Storage;
using Archiver.Tests.Support;
using Archiver.Watching;

namespace Archiver.Tests.EndToEnd;

/// <summary>
/// Issue 17's end-to-end test: <c>watch run</c> (a real process) watches every platform of the evolving replica for a
/// simulated week (both clocks run <see cref="Scale"/> times faster on one time line) and is killed with SIGKILL at 10
/// random moments. Against the replica's truth of changes: every change a watcher could see is recorded as exactly one
/// event, at most one check late; no event is recorded that the truth does not contain; takedowns carry evidence.
/// </summary>
public sealed class WatchWeekTests
{
    /// <summary>80 simulated minutes a second: the week and its tail take about 2.5 minutes.</summary>
    private const double Scale = 4800;
    /// <summary>The baseline runs on the static network before the evolution starts.</summary>
    private static readonly TimeSpan Lead = TimeSpan.FromHours(4);
    /// <summary>After the last change: room for two checks of the quietest entry (12 h each) and a margin.</summary>
    private static readonly TimeSpan Tail = TimeSpan.FromHours(30);

    private sealed record Completion(string EntryId, DateTime At);

    [Fact]
    public async Task A_simulated_week_on_every_platform_records_each_change_once_at_most_a_check_late_through_ten_kills()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempArchive();
        var origin = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var clock = new SimulatedClock(origin, Scale);
        await using var webhook = await WebhookReceiver.StartAsync();
        var evolve = new EvolveSettings { Start = origin + Lead, Days = 7 };
        await using var replica = await ReplicaHost.StartAsync(
            new ReplicaOptions { Seed = 21, Size = ReplicaSize.Small, Evolve = evolve, Time = clock, LogRequests = false }, ct);
        var seeds = replica.Seeds.Where(s => s.Split(':')[0] is "telegram" or "mastodon" or "truthsocial" or "gab" || s.StartsWith("site:replica-forum:", StringComparison.Ordinal)).ToList();
        var add = await Support.Cli.RunAsync(["watch", "add", .. seeds, "--every", "6h", "--json", "--data", dir.Path]);
        Assert.True(add.ExitCode == 0, add.Error);
        var entries = JsonDocument.Parse(add.Out).RootElement.EnumerateArray()
            .ToDictionary(e => e.GetProperty("id").GetString()!, e => e.GetProperty("seed").GetString()!, StringComparer.Ordinal);

        // Ten SIGKILLs at random moments of the week, then a clean stop after the tail.
        var random = new Random(17);
        var end = evolve.End + Tail;
        var killAt = Enumerable.Range(0, 10).Select(_ => evolve.Start + TimeSpan.FromTicks((long)(random.NextDouble() * (evolve.End - evolve.Start).Ticks))).Order().ToList();
        string[] run =
        [
            "watch", "run", "--data", dir.Path, "--json", "--allow-private", "--rate", "0", "--no-media", "--no-index", "--checks", "8",
            "--check-timeout", "30d", "--recheck-window", "1000d", "--recheck-pages", "50",
            "--time-scale", Scale.ToString(CultureInfo.InvariantCulture), "--time-origin", origin.ToString("O", CultureInfo.InvariantCulture),
            "--notify-url", webhook.Url.AbsoluteUri,
        ];
        var completions = new List<Completion>();
        var log = new List<string>();
        foreach (var moment in killAt.Append(end))
        {
            using var watcher = ArchiverProcess.Start(run);
            var lines = new List<string>();
            var reading = Task.Run(async () =>
            {
                while (await watcher.StandardOutput.ReadLineAsync(ct) is { } line)
                    lock (lines) lines.Add(line);
            }, ct);
            var errors = watcher.StandardError.ReadToEndAsync(ct);
            int Checked()
            {
                lock (lines) return lines.Count(l => l.StartsWith("{\"check\"", StringComparison.Ordinal));
            }
            // Each kill comes at its moment, but only once this run has finished a check: on a loaded machine a
            // watcher may take a simulated hour or more to start, and kills before it does anything test nothing.
            while ((clock.GetUtcNow() < moment || Checked() == 0) && !watcher.HasExited) await Task.Delay(20, ct);
            if (watcher.HasExited) Assert.Fail($"the watcher ended on its own (exit {watcher.ExitCode}): {await errors}");
            if (moment == end)
            {
                using var term = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", watcher.Id.ToString(CultureInfo.InvariantCulture) } })!;
                await term.WaitForExitAsync(ct);
                await watcher.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
                Assert.True(watcher.ExitCode == 0, $"exit {watcher.ExitCode}: {await errors}");
            }
            else ArchiverProcess.KillHard(watcher);
            await reading;
            var text = string.Join("\n", lines);
            log.Add($"run {(moment == end ? "stopped" : "killed")} at {clock.GetUtcNow():O}: {Checked()} checks; {await errors}");
            completions.AddRange(Completions(text));
        }
        TestContext.Current.SendDiagnosticMessage(string.Join("\n", log));
        // A stop leaves undelivered events to the next run: a last pass (cron's --once) hands them to the webhook.
        var last = await Support.Cli.RunAsync([.. run, "--once"]);
        Assert.True(last.ExitCode == 0, last.Error);
        completions.AddRange(Completions(last.Out));

        using var store = ArchiveStore.Open(dir.Path, readOnly: true);
        var events = store.ReadEvents();
        var changes = replica.Changes().ToList();
        var byEntry = completions.GroupBy(c => c.EntryId).ToDictionary(g => g.Key, g => g.Select(c => c.At).Order().ToList(), StringComparer.Ordinal);
        Assert.Equal(entries.Keys.Order(), byEntry.Keys.Order());
        Assert.All(byEntry.Values, c => Assert.True(c.Count >= 2, $"only {c.Count} checks:\n" + string.Join("\n", log)));
        var truth = new WeekTruth(changes, entries, byEntry);
        TestContext.Current.SendDiagnosticMessage(
            $"{changes.Count} changes in the truth; {events.Count} events: " + string.Join(", ", events.GroupBy(e => e.Type).Select(g => $"{g.Key} {g.Count()}")) +
            $"; {completions.Count} checks");

        var failed = events.Where(e => e.Type == ArchiveEventType.CheckFailed).ToList();
        Assert.True(failed.Count == 0, "checks failed: " + string.Join("; ", failed.Take(5).Select(e => $"{e.WatchId} {e.Channel} at {e.ObservedAt:O}: {e.Detail}")));
        // Exactly once: one event per change.
        var duplicates = events.GroupBy(e => (e.Type, Subject: e.PostKey ?? e.WatchId)).Where(g => g.Count() > (g.Key.Type is ArchiveEventType.ChannelGone or ArchiveEventType.ChannelBack ? truth.Windows(g.First().WatchId!) : 1)).ToList();
        Assert.True(duplicates.Count == 0, "recorded more than once: " + string.Join("; ", duplicates.Take(5).Select(g => $"{g.Key.Type} {g.Key.Subject} x{g.Count()}")));

        // No event the truth does not contain, none before its change, none more than a check late.
        var matched = new HashSet<ReplicaChange>();
        var wrong = new List<string>();
        foreach (var e in events)
        {
            var change = truth.Match(e);
            if (change is null)
                wrong.Add($"{e.Type} {e.PostKey ?? e.Channel} at {e.ObservedAt:O} ({e.Detail}): not in the truth, which has for it: "
                    + string.Join(", ", changes.Where(c => c.Key == e.PostKey).Select(c => $"{c.Type} at {c.Time:O}")));
            else if (e.ObservedAt < change.Time) wrong.Add($"{e.Type} {e.PostKey ?? e.Channel} observed at {e.ObservedAt:O}, before the change at {change.Time:O}");
            // Late: two checks of the change's own channel ended after it without it being recorded (a check of
            // another entry may record it first: a reply shows in the thread of the account it answers).
            else if (byEntry[truth.EntryOf(change)].Count(c => c > change.Time && c < e.ObservedAt) > 1)
                wrong.Add($"{e.Type} {e.PostKey ?? e.Channel} changed at {change.Time:O}, recorded at {e.ObservedAt:O} by {e.WatchId}: "
                    + $"{byEntry[truth.EntryOf(change)].Count(c => c > change.Time && c < e.ObservedAt)} checks of {truth.EntryOf(change)} ended in between: "
                    + string.Join(", ", byEntry[truth.EntryOf(change)].Where(c => c > change.Time && c <= e.ObservedAt.AddHours(1)).Select(c => $"{c:O}")));
            else matched.Add(change);
        }
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {events.Count} events wrong in {dir.Path}:\n" + string.Join("\n", wrong.Take(12)));

        // Every change a watcher must have seen has its event.
        var must = changes.Where(truth.MustBeSeen).ToList();
        var missed = must.Where(c => !matched.Contains(c)).ToList();
        TestContext.Current.SendDiagnosticMessage($"{must.Count} changes had to be seen, {matched.Count} events matched a change");
        Assert.True(missed.Count == 0, $"{missed.Count} of {must.Count} changes missed:\n" + string.Join("\n", missed.Take(12).Select(c => $"{c.Type} {c.Key ?? c.ChannelKey} at {c.Time:O}")));
        foreach (var type in Enum.GetValues<ArchiveEventType>().Where(t => t != ArchiveEventType.CheckFailed))
            Assert.True(must.Any(c => c.Type == type), $"the week had no {type} a watcher had to see: the test proves less than it says");

        // The webhook got every event, once apart from kills: one that lands between a delivery's 2xx and the save of
        // its cursor sends that one event again (at least once, never lost: receivers dedupe by id, docs/events.md);
        // the Atom feed holds the last 100, as our own feed parser reads it (WatchNotifyTests and EventNotifierTests
        // read it with Python's XML parser too).
        var posted = webhook.Accepted.ToList();
        Assert.Equal(events.Select(e => e.Id).Order(StringComparer.Ordinal), posted.Distinct().Order(StringComparer.Ordinal));
        var twice = posted.Count - posted.Distinct().Count();
        TestContext.Current.SendDiagnosticMessage($"{posted.Count} deliveries of {events.Count} events, {twice} again after a kill");
        Assert.True(twice <= killAt.Count, $"{twice} events posted twice, more than one for each of the {killAt.Count} kills");
        var (feed, _) = Archiver.Platforms.Feeds.FeedParser.Read(File.ReadAllBytes(Path.Combine(dir.Path, "events.atom")), "application/atom+xml", null);
        Assert.True(feed is { Format: "atom10", Problems.Count: 0 }, "the events feed is no clean Atom 1.0 feed");
        Assert.Equal(events.TakeLast(100).Reverse().Select(e => "urn:archiver:event:" + e.Id), feed.Entries.Select(e => e.Id));

        // Takedowns name the response that showed them.
        foreach (var gone in events.Where(e => e.Type == ArchiveEventType.ChannelGone))
        {
            Assert.True(gone.Evidence is { WarcFile: not null, WarcOffset: not null }, $"{gone.Channel}: no evidence");
            var record = WarcReader.Read(Path.Combine(store.Paths.Warc, gone.Evidence.WarcFile)).FirstOrDefault(r => r.Offset == gone.Evidence.WarcOffset);
            Assert.True(record is { Type: "response" }, $"{gone.Channel}: no response record at {gone.Evidence.WarcFile}@{gone.Evidence.WarcOffset}");
            Assert.Equal(gone.Evidence.Status, record.Http?.Status);
        }
    }

    /// <summary>The checks the watcher reported finishing (<c>--json</c>: one line per check, after its schedule is committed).</summary>
    private static IEnumerable<Completion> Completions(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            if (!line.StartsWith("{\"check\"", StringComparison.Ordinal)) continue;
            using var doc = JsonDocument.Parse(line);
            var check = doc.RootElement.GetProperty("check");
            yield return new Completion(check.GetProperty("id").GetString()!, check.GetProperty("last_check_at").GetDateTime());
        }
    }

    /// <summary>
    /// The replica's changes seen from the watch list: which entry each belongs to, which event stands for it, and
    /// whether the entry's checks (their end times; a check of an entry starts after its previous one ended) had to see it.
    /// </summary>
    private sealed class WeekTruth
    {
        private readonly Dictionary<ReplicaChange, string> _entryOf = [];
        private readonly Dictionary<string, DateTime> _published = new(StringComparer.Ordinal);
        private readonly Dictionary<string, DateTime> _deleted = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<(DateTime From, DateTime? Until)>> _gone = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<DateTime>> _checks;
        private readonly List<ReplicaChange> _changes;

        public WeekTruth(List<ReplicaChange> changes, Dictionary<string, string> entries, Dictionary<string, List<DateTime>> checks)
        {
            _changes = changes;
            _checks = checks;
            foreach (var c in changes)
            {
                var entry = entries.Single(e => Belongs(c, e.Value)).Key;
                _entryOf[c] = entry;
                if (c.Type == ArchiveEventType.NewPost) _published[c.Key!] = c.Time;
                if (c.Type == ArchiveEventType.Deleted) _deleted[c.Key!] = c.Time;
                if (c.Type == ArchiveEventType.ChannelGone)
                    (_gone.TryGetValue(entry, out var list) ? list : _gone[entry] = []).Add((c.Time, null));
                if (c.Type == ArchiveEventType.ChannelBack) _gone[entry][^1] = (_gone[entry][^1].From, c.Time);
            }
        }

        private static bool Belongs(ReplicaChange c, string seed) => c.Platform switch
        {
            "site" => seed.StartsWith("site:replica-forum:", StringComparison.Ordinal),
            "telegram" => seed.StartsWith("telegram:", StringComparison.Ordinal) && seed.EndsWith("/s/" + c.Channel, StringComparison.OrdinalIgnoreCase),
            _ => seed.StartsWith(c.Platform + ":", StringComparison.Ordinal) && seed.EndsWith("/@" + c.Channel.TrimStart('@').Split('@')[0], StringComparison.OrdinalIgnoreCase),
        };

        public string EntryOf(ReplicaChange change) => _entryOf[change];

        public int Windows(string entry) => _gone.TryGetValue(entry, out var w) ? w.Count : 0;

        /// <summary>The change an event stands for: same type and post, or same type and watched channel (the takedown window it falls in).</summary>
        public ReplicaChange? Match(ArchiveEvent e) => e.Type switch
        {
            ArchiveEventType.NewPost or ArchiveEventType.Edited or ArchiveEventType.Deleted =>
                // Any entry's check may see it first (a reply or a reblog shows one account's post in another's check).
                _changes.FirstOrDefault(c => c.Type == e.Type && c.Key == e.PostKey),
            ArchiveEventType.ChannelGone or ArchiveEventType.ChannelBack =>
                _changes.Where(c => c.Type == e.Type && _entryOf[c] == e.WatchId && c.Time <= e.ObservedAt).OrderBy(c => c.Time).LastOrDefault(),
            _ => null,
        };

        /// <summary>
        /// Whether the entry's checks had to see the change: it came after the baseline, the second check ending after it ran wholly after it, and
        /// (for an edit or deletion) a check ran wholly between the post's publication and the change, and nothing
        /// (a deletion, a takedown) hid the post or the channel from the change until that second check ended.
        /// </summary>
        public bool MustBeSeen(ReplicaChange c)
        {
            var entry = _entryOf[c];
            var checks = _checks[entry];
            // What happened before the baseline ended is part of the baseline (a kill during the baseline delays it).
            if (c.Time <= checks[0]) return false;
            var after = checks.Where(t => t > c.Time).Take(2).ToList();
            if (after.Count < 2) return false;
            var until = after[1];
            switch (c.Type)
            {
                case ArchiveEventType.ChannelGone:
                    return Window(entry, c.Time) is { } w && (w.Until is null || w.Until > until);
                case ArchiveEventType.ChannelBack:
                    var gone = _gone[entry].Single(g => g.Until == c.Time);
                    return MustBeSeen(_changes.Single(x => x.Type == ArchiveEventType.ChannelGone && _entryOf[x] == entry && x.Time == gone.From))
                        && !Hidden(entry, c.Time, until);
            }
            if (Hidden(entry, c.Time, until)) return false;
            if (c.Type != ArchiveEventType.Deleted && _deleted.TryGetValue(c.Key!, out var deleted) && deleted <= until) return false;
            if (c.Type == ArchiveEventType.NewPost) return true;
            // Seen before the change: by the baseline (a version-1 post), or by a check that ran wholly after it was published.
            if (!_published.TryGetValue(c.Key!, out var published)) return checks[0] < c.Time;
            for (var k = 1; k < checks.Count && checks[k] < c.Time; k++)
                if (checks[k - 1] > published && !Hidden(entry, checks[k - 1], checks[k])) return true;
            return false;
        }

        private (DateTime From, DateTime? Until)? Window(string entry, DateTime at) =>
            _gone.TryGetValue(entry, out var windows) ? windows.FirstOrDefault(w => w.From <= at && (w.Until is null || w.Until > at)) : null;

        /// <summary>Whether the channel was gone at some moment of [from, until].</summary>
        private bool Hidden(string entry, DateTime from, DateTime until) =>
            _gone.TryGetValue(entry, out var windows) && windows.Any(w => w.From <= until && (w.Until is null || w.Until > from));
    }
}
