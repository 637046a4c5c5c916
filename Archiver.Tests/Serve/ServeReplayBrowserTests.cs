using Archiver.Replica;
using Archiver.Storage;
using Archiver.Tests.Export;
using Archiver.Tests.Support;
using Microsoft.Playwright;

namespace Archiver.Tests.Serve;

/// <summary>
/// A post page in the system Chromium as a journalist opens it: its image loads from the app's media store, and
/// "view the original capture" replays the page it was archived from (ReplayWeb.page, from the archive's WARCs, in
/// a sandboxed frame of the replay origin) with the post's text. The replica is stopped before serve starts, so
/// everything shown comes from the archive; no request may go anywhere but the app and its replay origin, and no
/// dialog may open. Skipped like <see cref="ReplayWebPageTests"/> when ReplayWeb.page is not installed.
/// </summary>
public sealed class ServeReplayBrowserTests : IAsyncDisposable
{
    private readonly TempArchive _archive = new();
    private System.Diagnostics.Process? _server;

    [Fact]
    public async Task A_post_shows_its_archived_image_and_its_original_capture_replays_with_the_post_text()
    {
        var package = ReplayWebPageTests.FindReplayWebPage();
        Assert.SkipWhen(package is null,
            "ReplayWeb.page not found: set ARCHIVER_REPLAYWEB to the unpacked npm 'replaywebpage' package (with ui.js and sw.js), as .ci/run does.");
        Assert.True(File.Exists(ReplayWebPageTests.Chromium()), $"Chromium not found at {ReplayWebPageTests.Chromium()}");
        var ct = TestContext.Current.CancellationToken;
        var data = _archive.File("data");
        await using (var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 5, Size = ReplicaSize.Small, LogRequests = false }, ct))
        {
            var seed = replica.Seeds.First(s => s.StartsWith("telegram:", StringComparison.Ordinal));
            var crawl = await Support.Cli.RunAsync("crawl", "--data", data, "--allow-private", "--rate", "0", "--no-index", "-q", seed);
            Assert.True(crawl.ExitCode == 0, crawl.Error);
        }
        // A post with an archived image and enough text to recognise on the replayed page.
        string key, snippet, pageUrl;
        Dictionary<string, string> others;
        using (var store = ArchiveStore.Open(data, readOnly: true))
        {
            var images = store.ScanMedia().Where(m => m.Mime.StartsWith("image/", StringComparison.Ordinal)).Select(m => m.Sha256).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var posts = store.ScanPosts().ToList();
            var media = store.ScanMedia().ToList();
            // Images of other posts on the same captured page: the replay has them too (the page's resources). The post
            // is the first whose page has some: which posts' images a crawl archives can vary with its timing.
            Dictionary<string, string> OthersOnPage(StoredPost post)
            {
                var mine = post.Post.Media.Select(m => m.Url).ToHashSet(StringComparer.Ordinal);
                var onPage = posts.Where(p => p.Capture?.Url == post.Capture!.Url && p.Key != post.Key).SelectMany(p => p.Post.Media)
                    .Where(m => m.Url is not null && !mine.Contains(m.Url) && m.Sha256 is { } s && images.Contains(s)).Select(m => m.Sha256!).ToHashSet(StringComparer.OrdinalIgnoreCase);
                return media.Where(m => onPage.Contains(m.Sha256)).Take(3).ToDictionary(m => m.SourceUrl, m => m.Sha256.ToLowerInvariant());
            }
            var candidates = posts.Where(p => p.Capture?.WarcFile is not null && ReplayFrames.Normalize(p.Post.Text).Length >= 24 && p.Post.Media.Any(m => m.Sha256 is { } s && images.Contains(s))).ToList();
            Assert.NotEmpty(candidates);
            var post = candidates.FirstOrDefault(p => OthersOnPage(p).Count > 0) ?? candidates[0];
            (key, pageUrl) = (post.Key, post.Capture!.Url);
            others = OthersOnPage(post);
            var text = ReplayFrames.Normalize(post.Post.Text);
            snippet = (char.IsHighSurrogate(text[23]) ? text[..23] : text[..24]).TrimEnd();
        }

        (_server, var app, var lines) = await ServeProcess.StartAsync(data, "127.0.0.1:0", 1, ct, "--replayweb", package!, "--replay-port", "0");
        var appOrigin = app.GetLeftPart(UriPartial.Authority);
        var replayOrigin = ReplayFrames.Origin(lines);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 1000 } });
        var requests = new List<string>();
        var dialogs = new List<string>();
        context.Request += (_, r) => { lock (requests) requests.Add(r.Url); };
        var page = await context.NewPageAsync();
        page.Dialog += async (_, d) => { lock (dialogs) dialogs.Add(d.Message); await d.DismissAsync(); };

        // The post page: its image comes from the app's media store, and it has loaded.
        await page.GotoAsync(new Uri(app, "/posts/" + Uri.EscapeDataString(key)).ToString());
        var image = page.Locator("div.media img").First;
        await image.WaitForAsync();
        await page.WaitForFunctionAsync("img => img.complete", await image.ElementHandleAsync());
        Assert.True(await image.EvaluateAsync<int>("img => img.naturalWidth") > 0, "the archived image did not load");
        Assert.StartsWith(appOrigin + "/media/", await image.EvaluateAsync<string>("img => img.currentSrc"), StringComparison.Ordinal);
        Assert.Contains("record id", await page.InnerTextAsync("table.provenance"));

        // View the original capture: the replay frame is the replay origin's, sandboxed.
        await page.ClickAsync("a.capture");
        await page.WaitForSelectorAsync("iframe.replay");
        Assert.Equal(Archiver.Serve.ReplayEndpoints.Sandbox, await page.GetAttributeAsync("iframe.replay", "sandbox"));
        // ReplayWeb.page's service worker must be active before the replay loads: wait for it, then load the page again.
        Assert.True(await ReplayFrames.WaitForServiceWorkerAsync(page, replayOrigin, ct),
            $"ReplayWeb.page's service worker did not become active in the replay origin within 60 s.\n{ReplayFrames.Diagnostics(page, requests)}");
        await page.ReloadAsync();
        var replayed = await ReplayFrames.WaitForTextAsync(page, replayOrigin, pageUrl, snippet, ct);
        Assert.True(replayed is not null, $"the replay did not show \"{snippet}\" of {pageUrl} within {ReplayFrames.ReplayTimeout.TotalSeconds} s.\n{ReplayFrames.Diagnostics(page, requests)}");
        await HeadlessChromium.ScreenshotAsync(page, "capture.png");
        Assert.True(others.Count > 0, $"no image of another post on {pageUrl}");
        var answers = await replayed!.EvaluateAsync<string[]>("""
            async urls => {
              const out = [];
              for (const url of urls) {
                try {
                  const response = await fetch(url);
                  const digest = await crypto.subtle.digest('SHA-256', await response.arrayBuffer());
                  out.push(response.status + ' ' + [...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, '0')).join(''));
                } catch (e) {
                  out.push('error ' + e);
                }
              }
              return out;
            }
            """, others.Keys.ToArray());
        Assert.Equal(others.Values.Select(sha => "200 " + sha), answers);

        Assert.Empty(dialogs);
        ReplayFrames.AssertOnlyAppAndReplay(requests, appOrigin, replayOrigin);
    }

    public ValueTask DisposeAsync()
    {
        ArchiverProcess.KillAndDispose(_server);
        _archive.Dispose();
        return ValueTask.CompletedTask;
    }
}
