using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Archiver.Replica;
using Archiver.Tests.Export;
using Archiver.Tests.Support;
using Microsoft.Playwright;

namespace Archiver.Tests.Serve;

/// <summary>
/// Watching from the browser, in the system Chromium: a journalist adds a replica channel on the watch page, the
/// watcher inside serve takes its baseline at once, the channel then changes (posts edited, deleted, published), the
/// next check records it, and the events page lists exactly those changes, filterable by type and linked to the posts.
/// The watcher's clock runs 600 times faster (serve's hidden --time-scale, as watch run's), so "every hour" is 6 s.
/// </summary>
public sealed class ServeWatchBrowserTests : IAsyncDisposable
{
    private readonly TempArchive _archive = new();
    private Process? _server;

    [Fact]
    public async Task A_watch_added_in_the_browser_is_checked_by_serve_and_its_changes_show_as_events()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.True(File.Exists(ReplayWebPageTests.Chromium()), $"Chromium not found at {ReplayWebPageTests.Chromium()}");
        await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 16, Size = ReplicaSize.Small, LogRequests = false }, ct);
        var v1 = replica.Truth(1);
        var v2 = replica.Truth(2);
        // A channel version 2 changes in every way: posts edited, deleted and new.
        var channel = replica.Network.Channels.First(c =>
        {
            var before = v1.TelegramPosts(c).ToDictionary(p => p.Key);
            var after = v2.TelegramPosts(c).ToDictionary(p => p.Key);
            return before.Keys.Any(k => !after.ContainsKey(k)) && after.Values.Any(p => before.TryGetValue(p.Key, out var old) && old.Text != p.Text)
                && after.Keys.Any(k => !before.ContainsKey(k));
        });
        var seed = replica.Seeds.Single(s => s.StartsWith("telegram:", StringComparison.Ordinal) && s.EndsWith("/s/" + channel.Name, StringComparison.Ordinal));
        var beforeKeys = v1.TelegramPosts(channel).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var afterKeys = v2.TelegramPosts(channel).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var deleted = beforeKeys.Except(afterKeys).Order(StringComparer.Ordinal).ToList();
        var fresh = afterKeys.Except(beforeKeys).Order(StringComparer.Ordinal).ToList();

        var data = _archive.File("data");
        var origin = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        (_server, var url, _) = await ServeProcess.StartAsync(data, "127.0.0.1:0", 0,
            ["--allow-private", "--rate", "0", "--no-media", "--recheck-window", "36500d", "--recheck-pages", "1000", "--time-scale", "600", "--time-origin", origin], ct);
        var output = _server.StandardOutput.ReadToEndAsync(ct);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1300, Height = 900 } });
        var requests = new List<string>();
        var dialogs = new List<string>();
        page.Request += (_, r) => { lock (requests) requests.Add(r.Url); };
        page.Dialog += async (_, d) => { lock (dialogs) dialogs.Add(d.Message); await d.DismissAsync(); };

        // From the channels page to the watch list; a seed no platform knows is refused with watch add's message.
        await page.GotoAsync(new Uri(url, "/channels").ToString());
        await page.ClickAsync("main a[href='/watch']");
        await page.WaitForSelectorAsync("form.watch-add");
        Assert.Contains("The watch list is empty", await page.InnerTextAsync("main"));
        await page.FillAsync("textarea[name=seeds]", "nosuch:thing");
        await page.ClickAsync("form.watch-add button[type=submit]");
        Assert.Contains("No platform recognises the seed 'nosuch:thing'; nothing was added.", await page.InnerTextAsync("p.error"));

        await page.FillAsync("textarea[name=seeds]", seed);
        await page.FillAsync("input[name=every]", "1h");
        await page.FillAsync("input[name=tag]", "press");
        await page.ClickAsync("form.watch-add button[type=submit]");
        // POST/redirect/GET: back on /watch, the entry listed.
        Assert.EndsWith("/watch", page.Url, StringComparison.Ordinal);
        var row = page.Locator("table.watch tr", new() { HasText = seed });
        Assert.Equal(1, await row.CountAsync());
        Assert.Contains("press", await row.InnerTextAsync());

        // The watcher inside serve takes the baseline at once (no events), then the channel changes.
        await ReloadUntilAsync(page, async () => await row.GetAttributeAsync("data-status") == "active", "the baseline check");
        Assert.Equal(beforeKeys.Count.ToString("N0", CultureInfo.InvariantCulture), await row.Locator("td").Nth(6).InnerTextAsync());
        replica.SetVersion(2);

        await page.ClickAsync("header nav a[href='/events']");
        await ReloadUntilAsync(page, async () => await page.Locator("li.event[data-type=deleted]").CountAsync() == deleted.Count
            && await page.Locator("li.event[data-type=new-post]").CountAsync() == fresh.Count, "the check after the change");
        Assert.True(await page.Locator("li.event[data-type=edited]").CountAsync() > 0, "no edit event");
        Assert.Equal("/events.atom", await page.GetAttributeAsync("a[type='application/atom+xml']", "href"));

        // Filter by type, then open a deleted post from its event.
        await page.SelectOptionAsync("select[name=type]", "deleted");
        await page.ClickAsync("form.event-filter button[type=submit]");
        Assert.Contains("type=deleted", page.Url, StringComparison.Ordinal);
        Assert.Equal(deleted.Count, await page.Locator("li.event").CountAsync());
        Assert.Equal(deleted.Count, await page.Locator("li.event[data-type=deleted]").CountAsync());
        var keys = (await page.Locator("li.event a.post").AllInnerTextsAsync()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(deleted, keys);
        await page.Locator("li.event a.post").First.ClickAsync();
        await page.WaitForSelectorAsync("pre.text");
        Assert.Contains("deleted", await page.InnerTextAsync("main"));

        // Pause it from the watch page.
        await page.GotoAsync(new Uri(url, "/watch").ToString());
        await row.Locator("button", new() { HasText = "Pause" }).ClickAsync();
        Assert.EndsWith("/watch", page.Url, StringComparison.Ordinal);
        Assert.Equal("paused", await row.GetAttributeAsync("data-status"));
        Assert.Equal(1, await row.Locator("button", new() { HasText = "Resume" }).CountAsync());

        Assert.Empty(dialogs);
        lock (requests) Assert.All(requests, r => Assert.StartsWith(url.GetLeftPart(UriPartial.Authority), r, StringComparison.Ordinal));

        // After serve stops: the CLI sees what the browser did and what the watcher found.
        Stop(_server);
        await _server.WaitForExitAsync(ct);
        Assert.True(_server.ExitCode == 0, await output);
        var list = await Support.Cli.RunAsync("--data", data, "--json", "watch", "list");
        using var entries = JsonDocument.Parse(list.Out);
        var entry = Assert.Single(entries.RootElement.EnumerateArray().ToList());
        Assert.Equal(seed, entry.GetProperty("seed").GetString());
        Assert.True(entry.GetProperty("paused").GetBoolean());
        Assert.Equal("press", entry.GetProperty("tag").GetString());
        Assert.True(entry.GetProperty("checks").GetInt32() >= 2);
        Assert.Equal((fresh.Count, deleted.Count), ((int)entry.GetProperty("total_new").GetInt64(), (int)entry.GetProperty("total_deleted").GetInt64()));
        var events = await Support.Cli.RunAsync("--data", data, "--json", "events", "--type", "deleted");
        using var deletions = JsonDocument.Parse(events.Out);
        Assert.Equal(deleted, deletions.RootElement.EnumerateArray().Select(e => e.GetProperty("post_key").GetString()!).Order(StringComparer.Ordinal));
    }

    private static async Task ReloadUntilAsync(IPage page, Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(500, TestContext.Current.CancellationToken);
            await page.ReloadAsync();
        }
    }

    private static void Stop(Process process)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", process.Id.ToString(CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        ArchiverProcess.KillAndDispose(_server);
        _archive.Dispose();
        return ValueTask.CompletedTask;
    }
}
