using System.Text.Json;
using System.Text.RegularExpressions;
using Archiver.Tests.Export;
using Archiver.Tests.Support;
using Microsoft.Playwright;

namespace Archiver.Tests.Serve;

/// <summary>
/// The web app in the system Chromium, as a journalist would use it: search, narrow by a facet, open a post and
/// read its edit as a diff. No page may request another host, and archived markup must never run.
/// Screenshots go to <c>$ARCHIVER_SCREENSHOTS</c> when set (the README's come from there).
/// </summary>
public sealed partial class ServeBrowserTests : IAsyncDisposable
{
    private readonly TempArchive _archive = new();
    private System.Diagnostics.Process? _server;

    [Fact]
    public async Task A_search_narrowed_by_a_facet_leads_to_a_post_and_its_edit()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.True(File.Exists(ReplayWebPageTests.Chromium()), $"Chromium not found at {ReplayWebPageTests.Chromium()}");
        var data = _archive.File("data");
        await ImportAsync(data, "v1.jsonl", "Le conseil municipal vote le budget des écoles ce soir");
        await ImportAsync(data, "v2.jsonl", "Le conseil municipal reporte le vote du budget des écoles à lundi");
        var origin = await StartServerAsync(data, ct);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        var requests = new List<string>();
        var dialogs = new List<string>();
        page.Request += (_, r) => { lock (requests) requests.Add(r.Url); };
        page.Dialog += async (_, d) => { lock (dialogs) dialogs.Add(d.Message); await d.DismissAsync(); };

        await page.GotoAsync(origin.ToString());
        await page.FillAsync("input[name=q]", "budget");
        await page.PressAsync("input[name=q]", "Enter");
        await page.WaitForSelectorAsync("p.total");
        Assert.Equal("13 matches, showing 1-13", await page.InnerTextAsync("p.total"));
        Assert.Equal(13, await page.Locator("article.hit").CountAsync());
        Assert.Contains("q=budget", page.Url, StringComparison.Ordinal);
        await HeadlessChromium.ScreenshotAsync(page, "search.png");

        // Narrow to one channel by clicking its facet.
        await page.ClickAsync("a.facet[data-field=channel] >> text=conseil_lyon");
        await page.WaitForSelectorAsync("p.total");
        Assert.StartsWith("7 matches", await page.InnerTextAsync("p.total"));
        Assert.Contains("channel%3A%22conseil_lyon%22", page.Url, StringComparison.Ordinal);

        // The edited post: its page shows the versions as a word diff.
        await page.FillAsync("input[name=q]", "reporte");
        await page.PressAsync("input[name=q]", "Enter");
        await page.WaitForSelectorAsync("article.hit");
        await page.ClickAsync("article.hit .meta a");
        await page.WaitForSelectorAsync("pre.text");
        Assert.Contains("reporte le vote du budget", await page.InnerTextAsync("pre.text"));
        Assert.Contains("edited (2 versions)", await page.InnerTextAsync("p.meta"));
        var deleted = await page.Locator("section.version del").AllInnerTextsAsync();
        var inserted = await page.Locator("section.version ins").AllInnerTextsAsync();
        Assert.Contains(deleted, d => d.Contains("soir", StringComparison.Ordinal));
        Assert.Contains(inserted, i => i.Contains("reporte", StringComparison.Ordinal));
        await HeadlessChromium.ScreenshotAsync(page, "post.png");

        // The hostile post: shown as text, nothing ran.
        await page.GotoAsync(new Uri(origin, "/?q=author:mallory").ToString());
        await page.WaitForSelectorAsync("article.hit");
        Assert.Contains("<img src=x onerror=alert(1)>", await page.InnerTextAsync("article.hit"));
        Assert.Empty(dialogs);
        lock (requests) Assert.All(requests, url => Assert.StartsWith(origin.GetLeftPart(UriPartial.Authority), url, StringComparison.Ordinal));
    }

    private async Task ImportAsync(string data, string name, string edited)
    {
        var lines = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            lines.Add(JsonSerializer.Serialize(new
            {
                id = $"te-{i:D4}",
                platform = "telegram",
                channel = i % 2 == 0 ? "conseil_lyon" : "mairie_paris",
                author = $"redaction{i % 3}",
                created_at = new DateTime(2024, 5, 1, 8, 0, 0, DateTimeKind.Utc).AddDays(i * 3).ToString("yyyy-MM-ddTHH:mm:ssZ"),
                lang = "fr",
                text = i == 0 ? edited : $"Réunion {i} du conseil : le budget de la ville en débat",
                hashtags = new[] { "budget" },
                urls = Array.Empty<string>(),
            }));
        }
        lines.Add(HostilePosts.Line("conseil_lyon"));
        var file = _archive.File(name);
        await File.WriteAllLinesAsync(file, lines, TestContext.Current.CancellationToken);
        var import = await Support.Cli.RunAsync("--data", data, "--quiet", "import", file);
        Assert.True(import.ExitCode == 0, import.Error);
    }

    private async Task<Uri> StartServerAsync(string data, CancellationToken ct)
    {
        (_server, var url, _) = await ServeProcess.StartAsync(data, "127.0.0.1:0", 0, ct);
        return url;
    }


    public ValueTask DisposeAsync()
    {
        ArchiverProcess.KillAndDispose(_server);
        _archive.Dispose();
        return ValueTask.CompletedTask;
    }
}
