using System.Diagnostics;
using System.Text.Json;
using Archiver.Replica;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.EndToEnd;

/// <summary>
/// <c>watch run</c> against the replica: a pass stores the watched channels' posts and their schedule, a later pass
/// counts the edits and deletions version 2 made and sees a takedown; the watcher holds the archive's writer lock for
/// its whole life, and SIGTERM ends it with exit 0 and its state committed.
/// </summary>
public sealed class WatchRunTests
{
    private static Task<Support.Cli.Result> Watch(string data, params string[] args) => Support.Cli.RunAsync(["watch", .. args, "--data", data]);

    private static List<JsonElement> Entries(Support.Cli.Result result)
    {
        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        using var doc = JsonDocument.Parse(result.Out);
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static string[] RunArgs => ["--allow-private", "--rate", "0", "--no-media"];

    [Fact]
    public async Task Watch_run_once_stores_the_channels_then_a_later_pass_counts_the_edits_deletions_and_new_posts_and_sees_a_takedown()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempArchive();
        await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 16, Size = ReplicaSize.Small, LogRequests = false }, ct);
        var v1 = replica.Truth(1);
        var v2 = replica.Truth(2);
        // A channel version 2 changes in every way: some posts edited, some deleted, some new.
        var channel = replica.Network.Channels.First(c =>
        {
            var before = v1.TelegramPosts(c).ToDictionary(p => p.Key);
            var after = v2.TelegramPosts(c).ToDictionary(p => p.Key);
            return before.Keys.Any(k => !after.ContainsKey(k)) && after.Values.Any(p => before.TryGetValue(p.Key, out var old) && old.Text != p.Text)
                && after.Keys.Any(k => !before.ContainsKey(k));
        });
        var account = replica.Network.AccountsOf(Flavor.Mastodon)[0];
        var telegramSeed = replica.Seeds.Single(s => s.StartsWith("telegram:", StringComparison.Ordinal) && s.EndsWith("/s/" + channel.Name, StringComparison.Ordinal));
        var mastodonSeed = replica.Seeds.Single(s => s.StartsWith("mastodon:", StringComparison.Ordinal) && s.EndsWith("/@" + account.Username, StringComparison.Ordinal));
        var added = Entries(await Watch(dir.Path, "add", telegramSeed, mastodonSeed, "--every", "1h", "--json"));
        var telegramId = added[0].GetProperty("id").GetString()!;
        var mastodonId = added[1].GetProperty("id").GetString()!;

        var first = await Watch(dir.Path, ["run", "--once", .. RunArgs]);

        Assert.True(first.ExitCode == 0, first.Error + first.Out);
        Assert.Contains("watch: one pass over 2 of 2 entries", first.Out);
        Assert.Contains("2 checks (2 read, 0 gone, 0 failed, 0 interrupted)", first.Out);
        var afterFirst = Entries(await Watch(dir.Path, "list", "--json")).ToDictionary(e => e.GetProperty("id").GetString()!);
        var channelKeys = v1.TelegramPosts(channel).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var accountKeys = v1.ApiPosts(account).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        using (var store = ArchiveStore.Open(dir.Path, readOnly: true))
        {
            var stored = store.ScanPosts().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            var missing = channelKeys.Concat(accountKeys).Where(k => !stored.Contains(k)).ToList();
            Assert.True(missing.Count == 0, "not stored: " + string.Join(", ", missing.Take(10)));
        }
        foreach (var (id, expectedPosts) in new[] { (telegramId, channelKeys.Count), (mastodonId, accountKeys.Count) })
        {
            var e = afterFirst[id];
            Assert.Equal("active", e.GetProperty("status").GetString());
            Assert.Equal(1, e.GetProperty("checks").GetInt32());
            // Posts read by the baseline: the account's own, and for Mastodon the replies of its threads too.
            if (id == telegramId) Assert.Equal(expectedPosts, e.GetProperty("posts").GetInt64());
            else Assert.True(e.GetProperty("posts").GetInt64() >= expectedPosts, $"{e.GetProperty("posts").GetInt64()} posts, {expectedPosts} of its own");
            // The baseline records no changes.
            Assert.Equal((0, 0, 0), (e.GetProperty("new").GetInt64(), e.GetProperty("edited").GetInt64(), e.GetProperty("deleted").GetInt64()));
            var last = e.GetProperty("last_check_at").GetDateTime();
            Assert.InRange(DateTime.UtcNow - last, TimeSpan.Zero, TimeSpan.FromMinutes(5));
            Assert.InRange(e.GetProperty("next_check_at").GetDateTime() - last, TimeSpan.FromMinutes(54) - TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(66) + TimeSpan.FromSeconds(1));
            Assert.StartsWith("archived", e.GetProperty("last_outcome").GetString());
        }

        // Nothing is due an hour early: a cron pass does nothing.
        var idle = await Watch(dir.Path, ["run", "--once", .. RunArgs]);
        Assert.True(idle.ExitCode == 0, idle.Error);
        Assert.Contains("one pass over 0 of 2 entries", idle.Out);
        Assert.Equal(1, Entries(await Watch(dir.Path, "list", "--json")).First().GetProperty("checks").GetInt32());

        replica.SetVersion(2);
        replica.TakeDown(account.Username, 410, OriginKind.Mastodon);
        var second = await Watch(dir.Path, ["run", "--once", "--all", "--recheck-window", "36500d", "--recheck-pages", "1000", .. RunArgs]);

        Assert.True(second.ExitCode == 0, second.Error + second.Out);
        var before = v1.TelegramPosts(channel).ToDictionary(p => p.Key);
        var now = v2.TelegramPosts(channel).ToDictionary(p => p.Key);
        var deleted = before.Keys.Count(k => !now.ContainsKey(k));
        var edited = now.Values.Count(p => before.TryGetValue(p.Key, out var old) && old.Text != p.Text);
        var fresh = now.Keys.Count(k => !before.ContainsKey(k));
        var list = Entries(await Watch(dir.Path, "list", "--json")).ToDictionary(e => e.GetProperty("id").GetString()!);
        var telegram = list[telegramId];
        Assert.Equal(2, telegram.GetProperty("checks").GetInt32());
        Assert.Equal((fresh, deleted), ((int)telegram.GetProperty("new").GetInt64(), (int)telegram.GetProperty("deleted").GetInt64()));
        // Edits: each post the check stored a new version of (text edits, and edits of other fields version 2 made).
        using (var store = ArchiveStore.Open(dir.Path, readOnly: true))
        {
            var versioned = store.ScanPosts().Where(p => channelKeys.Contains(p.Key) && p.Version > 1).Select(p => p.Key).ToList();
            Assert.Equal(versioned.Count, telegram.GetProperty("edited").GetInt64());
            Assert.Equal(edited, now.Values.Count(p => versioned.Contains(p.Key) && before[p.Key].Text != p.Text));
        }
        Assert.Equal(channelKeys.Count + fresh, telegram.GetProperty("posts").GetInt64());
        // A busy channel is checked sooner: the interval halved (1h -> 30m, the shortest of --every 1h).
        Assert.Equal("30m", telegram.GetProperty("interval").GetString());
        var gone = list[mastodonId];
        Assert.Equal("gone", gone.GetProperty("status").GetString());
        Assert.StartsWith("gone (", gone.GetProperty("last_outcome").GetString());
        Assert.Contains($"{mastodonId} {mastodonSeed}: gone", second.Out);
    }

    [Fact]
    public async Task A_second_writer_is_refused_while_watch_run_holds_the_archive_and_readers_still_work()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempArchive();
        await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 3, Size = ReplicaSize.Small, LogRequests = false }, ct);
        var seed = replica.Seeds.First(s => s.StartsWith("telegram:", StringComparison.Ordinal));
        Entries(await Watch(dir.Path, "add", seed, "--json"));
        using var watcher = ArchiverProcess.Start(["watch", "run", "--data", dir.Path, .. RunArgs]);
        var output = watcher.StandardOutput.ReadToEndAsync(ct);
        var errors = watcher.StandardError.ReadToEndAsync(ct);
        await WaitForWriterAsync(dir.Path, watcher, ct);

        var add = await Watch(dir.Path, "add", "telegram:another");
        var crawl = await Support.Cli.RunAsync("crawl", "--data", dir.Path, "--allow-private", seed);
        var list = await Watch(dir.Path, "list", "--json");

        Assert.False(watcher.HasExited, "the watcher ended before the second writer was tried: the test proves nothing");
        foreach (var refused in new[] { add, crawl })
        {
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("is being written by another archiver process", refused.Error);
            Assert.Contains($"pid {watcher.Id}", refused.Error);
            Assert.Contains("archiver watch run", refused.Error);
        }
        Assert.Single(Entries(list));
        await Task.Delay(3000, ct);
        Terminate(watcher);
        await watcher.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
        Assert.True(watcher.ExitCode == 0, $"exit {watcher.ExitCode}: " + await errors + await output);
        Assert.Equal(["telegram:" + seed["telegram:".Length..]], Entries(await Watch(dir.Path, "list", "--json")).Select(e => e.GetProperty("seed").GetString()));
    }

    [Fact]
    public async Task Sigterm_ends_watch_run_with_exit_0_and_every_finished_check_committed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempArchive();
        await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 3, Size = ReplicaSize.Small, LogRequests = false }, ct);
        // Two channels of one host: checked one after the other, at 4 requests a second (each takes a few seconds).
        var seeds = replica.Seeds.Where(s => s.StartsWith("telegram:", StringComparison.Ordinal)).Take(2).ToList();
        var ids = Entries(await Watch(dir.Path, ["add", .. seeds, "--json"])).Select(e => e.GetProperty("id").GetString()!).ToList();
        using var watcher = ArchiverProcess.Start(["watch", "run", "--data", dir.Path, "--allow-private", "--rate", "4", "--no-media"]);
        var output = watcher.StandardOutput.ReadToEndAsync(ct);
        var errors = watcher.StandardError.ReadToEndAsync(ct);
        await WaitForWriterAsync(dir.Path, watcher, ct);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (Entries(await Watch(dir.Path, "list", "--json")).All(e => e.GetProperty("checks").GetInt32() == 0))
        {
            if (watcher.HasExited) Assert.Fail($"the watcher ended (exit {watcher.ExitCode}): {await errors}");
            Assert.True(DateTime.UtcNow < deadline, "no check was committed in time");
            await Task.Delay(100, ct);
        }

        var stopwatch = Stopwatch.StartNew();
        Terminate(watcher);
        await watcher.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);

        Assert.True(watcher.ExitCode == 0, $"exit {watcher.ExitCode}: {await errors}{await output}");
        TestContext.Current.SendDiagnosticMessage($"stopped {stopwatch.Elapsed.TotalSeconds:0.0} s after SIGTERM");
        Assert.Contains("; stopped", await output);
        Assert.Null(ArchiveLock.CurrentWriter(dir.Path));
        var entries = Entries(await Watch(dir.Path, "list", "--json")).ToDictionary(e => e.GetProperty("id").GetString()!);
        var done = entries.Values.Where(e => e.GetProperty("checks").GetInt32() == 1).ToList();
        Assert.NotEmpty(done);
        foreach (var e in done)
        {
            Assert.True(e.GetProperty("next_check_at").GetDateTime() > DateTime.UtcNow, "a finished check's next one is in the future");
            Assert.True(e.GetProperty("posts").GetInt64() > 0);
        }
        // A check the stop cut short was not saved: it is still due, and the next pass runs it.
        foreach (var e in entries.Values.Where(e => e.GetProperty("checks").GetInt32() == 0))
            Assert.True(e.GetProperty("next_check_at").GetDateTime() <= DateTime.UtcNow);
        var resumed = await Watch(dir.Path, ["run", "--once", .. RunArgs]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.All(Entries(await Watch(dir.Path, "list", "--json")), e => Assert.True(e.GetProperty("checks").GetInt32() >= 1));
        Assert.Equal(ids.Order(), entries.Keys.Order());
    }

    /// <summary>SIGTERM, as systemd stops a service.</summary>
    private static void Terminate(Process process)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private static async Task WaitForWriterAsync(string data, Process writer, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (ArchiveLock.CurrentWriter(data)?.Pid != writer.Id)
        {
            Assert.False(writer.HasExited, $"the watcher ended (exit {(writer.HasExited ? writer.ExitCode : 0)}) before it took the archive");
            Assert.True(DateTime.UtcNow < deadline, "the watcher never took the archive's lock");
            await Task.Delay(20, ct);
        }
    }
}
