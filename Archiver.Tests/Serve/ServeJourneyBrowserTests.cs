using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Archiver.Model;
using Archiver.Replica;
using Archiver.Tests.Export;
using Archiver.Tests.Support;
using Microsoft.Playwright;

namespace Archiver.Tests.Serve;

/// <summary>
/// The whole journey of issue 18 in one browser session, as a journalist makes it, only by typing and clicking: search
/// for a word, narrow by the channel facet, open an edited post, read its edit as a diff and see its image, view the
/// original capture, then export the same search as CSV from the export page and download it. The archive is crawled
/// from the replica, which then edits and deletes posts and is crawled again; the post followed, its words and what
/// each page must show come from the replica's ground truth, not from the archive. The replica is stopped before serve
/// starts, so everything shown comes from the archive; no request may go to another host and no dialog may open.
/// </summary>
public sealed partial class ServeJourneyBrowserTests : IAsyncDisposable
{
    private readonly TempArchive _archive = new();
    private Process? _server;

    [Fact]
    public async Task A_journalist_searches_narrows_by_channel_reads_an_edit_replays_its_capture_and_exports_the_results_in_one_session()
    {
        var package = ReplayWebPageTests.FindReplayWebPage();
        Assert.SkipWhen(package is null,
            "ReplayWeb.page not found: set ARCHIVER_REPLAYWEB to the unpacked npm 'replaywebpage' package (with ui.js and sw.js), as .ci/run does.");
        Assert.True(File.Exists(ReplayWebPageTests.Chromium()), $"Chromium not found at {ReplayWebPageTests.Chromium()}");
        var ct = TestContext.Current.CancellationToken;
        var data = _archive.File("data");

        // Given: two Telegram channels crawled, then crawled again with --recheck once the replica (version 2) edited and deleted posts.
        Story story;
        await using (var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 5, Size = ReplicaSize.Small, LogRequests = false }, ct))
        {
            story = Story.From(replica);
            TestContext.Current.SendDiagnosticMessage($"following {story.Key}: \"{story.Word}\" in {story.Total} archived posts, {story.InChannel} of them in {story.Channel}");
            await CrawlAsync(data, story.Seeds);
            replica.SetVersion(2);
            await CrawlAsync(data, story.Seeds, "--recheck");
        }
        (_server, var app, var lines) = await ServeProcess.StartAsync(data, "127.0.0.1:0", 1, ct, "--replayweb", package!, "--replay-port", "0");
        var appOrigin = app.GetLeftPart(UriPartial.Authority);
        var replayOrigin = ReplayFrames.Origin(lines);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true, ViewportSize = new ViewportSize { Width = 1200, Height = 1000 } });
        var requests = new List<string>();
        var dialogs = new List<string>();
        context.Request += (_, r) => { lock (requests) requests.Add(r.Url); };
        var page = await context.NewPageAsync();
        page.Dialog += async (_, d) => { lock (dialogs) dialogs.Add(d.Message); await d.DismissAsync(); };

        // Search for a word of the edited post: every archived post with it, in both channels.
        await page.GotoAsync(app.ToString());
        await page.FillAsync("input[name=q]", story.Word);
        await page.PressAsync("input[name=q]", "Enter");
        await page.WaitForSelectorAsync("p.total");
        Assert.Contains("q=" + story.Word, page.Url, StringComparison.Ordinal);
        Assert.Equal(story.Total, await TotalAsync(page));

        // Narrow to the post's channel by its facet: the total becomes the count the facet showed.
        var clause = Uri.EscapeDataString($"channel:\"{story.Channel}\"");
        var facet = page.Locator($"a.facet[data-field=channel][href*='{clause}']");
        var facetCount = int.Parse(FacetCount().Match(await page.Locator("aside.facets li", new() { Has = facet }).InnerTextAsync()).Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        Assert.Equal(story.InChannel, facetCount);
        await facet.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains(clause, StringComparison.Ordinal));
        await page.WaitForSelectorAsync("p.total");
        Assert.Equal(facetCount, await TotalAsync(page));
        var query = await page.InputValueAsync("input[name=q]");
        Assert.Equal($"{story.Word} channel:\"{story.Channel}\"", query);

        // The edited post: its text is version 2's, and its versions diff shows exactly the replica's edit.
        await page.ClickAsync($"article.hit .meta a[href='/posts/{Uri.EscapeDataString(story.Key)}']");
        await page.WaitForSelectorAsync("pre.text");
        Assert.Equal(story.After, await page.InnerTextAsync("pre.text"));
        Assert.Contains("edited (2 versions)", await page.InnerTextAsync("p.meta"));
        Assert.Equal(story.Deleted, Words(await page.Locator("section.version del").AllInnerTextsAsync()));
        Assert.Equal(story.Inserted, Words(await page.Locator("section.version ins").AllInnerTextsAsync()));
        // Its photo: the bytes the replica served, from the app's media store, loaded.
        var image = page.Locator($"div.media img[src='/media/{story.ImageSha256}']");
        await image.ScrollIntoViewIfNeededAsync();
        await page.WaitForFunctionAsync("img => img.complete", await image.ElementHandleAsync());
        Assert.True(await image.EvaluateAsync<int>("img => img.naturalWidth") > 0, "the archived image did not load");
        var pageUrl = await page.Locator("table.provenance tr", new() { HasText = "this version" }).Locator("td").Nth(1).InnerTextAsync();

        // The original capture: the page it was archived from, replayed in the sandboxed frame, shows the post's text at
        // the first click, in a browser that never ran ReplayWeb.page's service worker before (no reload).
        await page.ClickAsync("a.capture");
        await page.WaitForSelectorAsync("iframe.replay");
        Assert.Equal(Archiver.Serve.ReplayEndpoints.Sandbox, await page.GetAttributeAsync("iframe.replay", "sandbox"));
        var text = ReplayFrames.Normalize(story.After);
        Assert.True(await ReplayFrames.WaitForTextAsync(page, replayOrigin, pageUrl, text, ct) is not null,
            $"the replay did not show \"{text}\" of {pageUrl} within {ReplayFrames.ReplayTimeout.TotalSeconds} s.\n{ReplayFrames.Diagnostics(page, requests)}");

        // Export the narrowed search as CSV from the export page, wait for it, download the zip.
        await page.ClickAsync("header nav >> text=Export");
        await page.WaitForSelectorAsync("form.export");
        await page.FillAsync("input[name=query]", query);
        await page.CheckAsync("input[name=format][value=csv]");
        await page.ClickAsync("form.export button[type=submit]");
        var csv = await ExportDownloads.DownloadCsvAsync(page, _archive);
        Assert.Contains($"Exported {facetCount} posts", await page.InnerTextAsync("p.done"));
        Assert.Equal(facetCount, csv.Rows.Count);
        Assert.All(csv.Rows, r => Assert.Equal(story.Channel, r["channel"]));
        Assert.Equal(story.After, Assert.Single(csv.Rows, r => r["key"] == story.Key)["text"]);

        Assert.Empty(dialogs);
        Assert.Single(context.Pages);
        ReplayFrames.AssertOnlyAppAndReplay(requests, appOrigin, replayOrigin);
    }

    private static async Task CrawlAsync(string data, IEnumerable<string> seeds, params string[] extra)
    {
        var crawl = await Support.Cli.RunAsync(["crawl", "--data", data, "--allow-private", "--rate", "0", "-q", .. extra, .. seeds]);
        Assert.True(crawl.ExitCode == 0, crawl.Error + crawl.Out);
    }

    private static async Task<int> TotalAsync(IPage page) =>
        int.Parse(await page.InnerTextAsync("p.total strong"), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    private static string[] Words(IEnumerable<string> texts) => texts.SelectMany(t => t.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToArray();

    /// <summary>
    /// What the journey must find, from the replica's truth of versions 1 and 2: a Telegram post version 2 edited that
    /// has a photo, a word of its text that posts of another channel also have, and how many archived posts (those of
    /// version 1 and version 2: deleted posts stay in the archive) have that word in its channel and in both.
    /// </summary>
    private sealed record Story(string Key, string Channel, string Before, string After, string ImageSha256, string Word, int Total, int InChannel, IReadOnlyList<string> Seeds)
    {
        public string[] Deleted => Middle(Before, After);
        public string[] Inserted => Middle(After, Before);

        public static Story From(ReplicaHost replica)
        {
            var v1 = replica.Truth(1).TelegramPosts().ToDictionary(p => p.Key);
            var v2 = replica.Truth(2);
            var archived = v1.Values.Concat(v2.TelegramPosts()).GroupBy(p => p.Key).Select(g => g.Last()).ToList();
            var photos = v2.Media().Where(m => m.Mime.StartsWith("image/", StringComparison.Ordinal)).ToDictionary(m => m.Url, m => m.Sha256, StringComparer.Ordinal);
            foreach (var post in v2.TelegramPosts())
            {
                if (!v1.TryGetValue(post.Key, out var before) || before.Text == post.Text) continue;
                if (post.Media is not [{ Kind: "photo", Url: { } url }] || !photos.TryGetValue(url, out var sha)) continue;
                foreach (var word in Letters().Matches(before.Text).Select(m => m.Value).Where(w => w.Length >= 4).Distinct().Order(StringComparer.Ordinal))
                {
                    var byChannel = archived.Where(p => Has(p, word)).GroupBy(p => p.Channel!).ToDictionary(g => g.Key, g => g.Count());
                    if (byChannel.Count < 2) continue;
                    var other = byChannel.Where(c => c.Key != post.Channel).MaxBy(c => c.Value).Key;
                    var seeds = new[] { post.Channel!, other }.Select(c => replica.Seeds.Single(s => s.StartsWith("telegram:", StringComparison.Ordinal) && s.EndsWith("/s/" + c, StringComparison.Ordinal))).ToList();
                    return new Story(post.Key, post.Channel!, before.Text, post.Text, sha, word, byChannel[post.Channel!] + byChannel[other], byChannel[post.Channel!], seeds);
                }
            }
            throw new InvalidOperationException("the replica's version 2 edits no Telegram post with a photo and a word another channel has");
        }

        private static bool Has(Post post, string word) =>
            Regex.IsMatch(post.Text, $@"(?<!\w){Regex.Escape(word)}(?!\w)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>The words of <paramref name="text"/> between what it shares with <paramref name="other"/> at both ends.</summary>
        private static string[] Middle(string text, string other)
        {
            var a = Words([text]);
            var b = Words([other]);
            var head = 0;
            while (head < a.Length && head < b.Length && a[head] == b[head]) head++;
            var tail = 0;
            while (tail < a.Length - head && tail < b.Length - head && a[^(tail + 1)] == b[^(tail + 1)]) tail++;
            return a[head..^tail];
        }
    }

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex Letters();

    [GeneratedRegex(@"(\d[\d,]*)\s*$")]
    private static partial Regex FacetCount();

    public ValueTask DisposeAsync()
    {
        ArchiverProcess.KillAndDispose(_server);
        _archive.Dispose();
        return ValueTask.CompletedTask;
    }
}
