using System.Text.RegularExpressions;
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
public sealed partial class ServeReplayBrowserTests : IAsyncDisposable
{
    private static readonly TimeSpan ReplayTimeout = TimeSpan.FromSeconds(90);
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
            var post = store.ScanPosts().First(p => p.Capture?.WarcFile is not null && Normalize(p.Post.Text).Length >= 24 && p.Post.Media.Any(m => m.Sha256 is { } s && images.Contains(s)));
            (key, pageUrl) = (post.Key, post.Capture!.Url);
            // Images of other posts on the same captured page: the replay has them too (the page's resources).
            var mine = post.Post.Media.Select(m => m.Url).ToHashSet(StringComparer.Ordinal);
            var onPage = store.ScanPosts().Where(p => p.Capture?.Url == pageUrl && p.Key != key).SelectMany(p => p.Post.Media)
                .Where(m => m.Url is not null && !mine.Contains(m.Url) && m.Sha256 is { } s && images.Contains(s)).Select(m => m.Sha256!).ToHashSet(StringComparer.OrdinalIgnoreCase);
            others = store.ScanMedia().Where(m => onPage.Contains(m.Sha256)).Take(3).ToDictionary(m => m.SourceUrl, m => m.Sha256.ToLowerInvariant());
            var text = Normalize(post.Post.Text);
            snippet = (char.IsHighSurrogate(text[23]) ? text[..23] : text[..24]).TrimEnd();
        }

        (_server, var app, var lines) = await ServeProcess.StartAsync(data, "127.0.0.1:0", 1, ct, "--replayweb", package!, "--replay-port", "0");
        var replayPort = int.Parse(PortLine().Match(lines[^1]).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var appOrigin = app.GetLeftPart(UriPartial.Authority);
        var replayOrigin = $"http://127.0.0.1:{replayPort}";

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 1000 } });
        var requests = new List<string>();
        var dialogs = new List<string>();
        context.Request += (_, r) => { lock (requests) requests.Add(r.Url); };
        var page = await context.NewPageAsync();
        page.Dialog += async (_, d) => { lock (dialogs) dialogs.Add(d.Message); await d.DismissAsync(); };
        string Diagnostics()
        {
            lock (requests) return $"frames: {string.Join(" | ", page.Frames.Select(f => f.Url))}\nrequests:\n{string.Join('\n', requests.TakeLast(30))}";
        }

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
        // ReplayWeb.page's service worker must be active before the replay loads (as in ReplayWebPageTests): wait for it
        // in the replay origin's frame, then load the page again.
        var active = false;
        for (var i = 0; i < 600 && !active; i++)
        {
            if (page.Frames.FirstOrDefault(f => f.Url.StartsWith(replayOrigin + "/view/", StringComparison.Ordinal)) is { } view)
            {
                try
                {
                    active = await view.EvaluateAsync<bool>("async () => (await navigator.serviceWorker.getRegistrations()).some(r => r.active)");
                }
                catch (PlaywrightException)
                {
                    // Still loading.
                }
            }
            if (!active) await Task.Delay(100, ct);
        }
        Assert.True(active, $"ReplayWeb.page's service worker did not become active in the replay origin within 60 s.\n{Diagnostics()}");
        await page.ReloadAsync();
        var replayed = await WaitForReplayAsync(page, replayOrigin, pageUrl, snippet, ct);
        Assert.True(replayed is not null, $"the replay did not show \"{snippet}\" of {pageUrl} within {ReplayTimeout.TotalSeconds} s.\n{Diagnostics()}");
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
        lock (requests)
        {
            // Both origins were used (so the check below is about real traffic), and nothing else was.
            Assert.Contains(requests, url => url.StartsWith(appOrigin + "/media/", StringComparison.Ordinal));
            Assert.Contains(requests, url => url.StartsWith(replayOrigin + "/", StringComparison.Ordinal));
            Assert.All(requests, url => Assert.True(
                url.StartsWith(appOrigin + "/", StringComparison.Ordinal) || url.StartsWith(replayOrigin + "/", StringComparison.Ordinal)
                || url.StartsWith("data:", StringComparison.Ordinal) || url.StartsWith("blob:", StringComparison.Ordinal),
                $"a page requested {url}"));
        }
    }

    /// <summary>Polls the replay frames (the archived page, served by the service worker under mp_/) for the text.</summary>
    private static async Task<IFrame?> WaitForReplayAsync(IPage page, string replayOrigin, string pageUrl, string snippet, CancellationToken ct)
    {
        var path = new Uri(pageUrl).AbsolutePath;
        var deadline = DateTime.UtcNow + ReplayTimeout;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var frame in page.Frames.Where(f => f.Url.StartsWith(replayOrigin, StringComparison.Ordinal) && f.Url.Contains("mp_/", StringComparison.Ordinal) && f.Url.Contains(path, StringComparison.Ordinal)))
            {
                try
                {
                    if (Normalize(await frame.InnerTextAsync("body", new FrameInnerTextOptions { Timeout = 2000 })).Contains(snippet, StringComparison.Ordinal))
                        return frame;
                }
                catch (PlaywrightException)
                {
                    // The frame navigated or is still loading: look again.
                }
            }
            await Task.Delay(250, ct);
        }
        return null;
    }

    private static string Normalize(string text) => Spaces().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"on port (\d+)")]
    private static partial Regex PortLine();


    public ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            ArchiverProcess.KillHard(_server);
            _server.Dispose();
        }
        _archive.Dispose();
        return ValueTask.CompletedTask;
    }
}
