using System.Globalization;
using System.Text.Json;
using Archiver.Tests.Export;
using Archiver.Tests.Support;
using Microsoft.Playwright;

namespace Archiver.Tests.Serve;

/// <summary>
/// Exporting from the browser as a journalist would, in the system Chromium: search, "export these results", pick
/// CSV, wait for the export, download the zip; the CSV in it reads back in Python's csv with as many rows as the
/// search found. No page may request another host, and the page's script must run under the app's CSP.
/// </summary>
public sealed class ServeExportBrowserTests : IAsyncDisposable
{
    private readonly TempArchive _archive = new();
    private System.Diagnostics.Process? _server;

    [Fact]
    public async Task A_search_exported_as_CSV_downloads_as_a_zip_whose_CSV_has_the_search_total_of_rows()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.True(File.Exists(ReplayWebPageTests.Chromium()), $"Chromium not found at {ReplayWebPageTests.Chromium()}");
        var data = _archive.File("data");
        await ImportAsync(data);
        (_server, var origin, _) = await ServeProcess.StartAsync(data, "127.0.0.1:0", 0, ct);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true });
        var page = await context.NewPageAsync();
        var requests = new List<string>();
        var problems = new List<string>();
        page.Request += (_, r) => { lock (requests) requests.Add(r.Url); };
        // Script errors and CSP violations show on the console; failed loads are recorded with their URL below
        // (the browser's own /favicon.ico request is a 404: the app has no icon).
        page.Console += (_, m) => { if (m.Type is "error" or "warning" && !m.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) lock (problems) problems.Add(m.Text); };
        page.Response += (_, r) => { if (r.Status >= 400 && !r.Url.EndsWith("/favicon.ico", StringComparison.Ordinal)) lock (problems) problems.Add($"{r.Status} {r.Url}"); };
        page.PageError += (_, e) => { lock (problems) problems.Add(e); };

        await page.GotoAsync(origin.ToString());
        await page.FillAsync("input[name=q]", "budget");
        await page.PressAsync("input[name=q]", "Enter");
        await page.WaitForSelectorAsync("p.total");
        var total = int.Parse(await page.InnerTextAsync("p.total strong"), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        Assert.Equal(13, total);

        await page.ClickAsync("text=export these results");
        await page.WaitForSelectorAsync("form.export");
        Assert.Equal("budget", await page.InputValueAsync("input[name=query]"));
        await page.CheckAsync("input[name=format][value=csv]");
        await page.ClickAsync("form.export button[type=submit]");
        // The export's page: progress while it runs (the script polls and reloads), then the download.
        var csv = await ExportDownloads.DownloadCsvAsync(page, _archive);
        Assert.Contains($"Exported {total} posts", await page.InnerTextAsync("p.done"));
        Assert.Matches(@"^archiver-export-csv-\d{8}-\d{6}\.zip$", csv.SuggestedFilename);
        Assert.Equal(total, csv.Rows.Count);
        Assert.All(csv.Rows, r => Assert.Contains("budget", r["text"], StringComparison.Ordinal));
        Assert.Contains(csv.Rows, r => r["text"].StartsWith("<img src=x onerror=alert(1)>", StringComparison.Ordinal));
        var verify = await Support.Cli.RunAsync("verify", csv.Folder);
        Assert.True(verify.ExitCode == 0, verify.Out + verify.Error);

        // The export is listed on the export page.
        await page.ClickAsync("header nav >> text=Export");
        await page.WaitForSelectorAsync("table.exports");
        Assert.Contains("budget", await page.InnerTextAsync("table.exports"));

        lock (problems) Assert.True(problems.Count == 0, string.Join("\n", problems));
        // When the export still ran as its page loaded (it usually does: the manifest is synced to disk), the page's
        // script polled the status API under the app's CSP, and reloaded the page when the export was done.
        lock (requests)
        {
            if (requests.Any(r => r.EndsWith("/static/export.js", StringComparison.Ordinal)))
                Assert.Contains(requests, r => r.Contains("/api/exports/", StringComparison.Ordinal));
        }
        lock (requests) Assert.All(requests, url => Assert.StartsWith(origin.GetLeftPart(UriPartial.Authority), url, StringComparison.Ordinal));
    }

    private async Task ImportAsync(string data)
    {
        var lines = new List<string>();
        for (var i = 0; i < 24; i++)
        {
            lines.Add(JsonSerializer.Serialize(new
            {
                id = $"te-{i:D4}",
                platform = "telegram",
                channel = i % 2 == 0 ? "conseil_lyon" : "mairie_paris",
                author = $"redaction{i % 3}",
                created_at = new DateTime(2024, 5, 1, 8, 0, 0, DateTimeKind.Utc).AddDays(i * 3).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                lang = "fr",
                // Half the posts are about the budget; the other half must not be exported.
                text = i % 2 == 0 ? $"Réunion {i} du conseil : le budget de la ville, \"voté\", en débat\net voté" : $"Séance {i} : les écoles",
                hashtags = Array.Empty<string>(),
                urls = Array.Empty<string>(),
            }));
        }
        lines.Add(HostilePosts.Line("conseil_lyon"));
        var file = _archive.File("posts.jsonl");
        await File.WriteAllLinesAsync(file, lines, TestContext.Current.CancellationToken);
        var import = await Support.Cli.RunAsync("--data", data, "--quiet", "import", file);
        Assert.True(import.ExitCode == 0, import.Error);
    }

    public ValueTask DisposeAsync()
    {
        ArchiverProcess.KillAndDispose(_server);
        _archive.Dispose();
        return ValueTask.CompletedTask;
    }
}
