using System.Text.Json;
using System.Text.RegularExpressions;
using Archiver.Tests.Support;
using Microsoft.Playwright;

namespace Archiver.Tests.Serve;

/// <summary>
/// Serving beyond this machine, as a colleague's browser meets it: every page leads to the login form, a wrong token
/// is refused, the right one lets the browser in (a cookie scripts cannot read) and back to the page it asked for.
/// The server listens on every address; the browser talks to it over loopback (tests never leave 127.0.0.1).
/// </summary>
public sealed partial class ServeLoginBrowserTests : IDisposable
{
    private readonly TempArchive _archive = new();
    private System.Diagnostics.Process? _server;

    [Fact]
    public async Task Beyond_loopback_the_browser_logs_in_with_the_printed_token_and_reaches_the_page_it_asked_for()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = _archive.File("data");
        var posts = _archive.File("posts.jsonl");
        await File.WriteAllLinesAsync(posts, Enumerable.Range(0, 5).Select(i => JsonSerializer.Serialize(new
        {
            id = $"p{i}",
            platform = "telegram",
            channel = "newsroom",
            author = "desk",
            created_at = $"2024-03-0{i + 1}T09:00:00Z",
            lang = "en",
            text = $"Council vote number {i} on the harbour budget",
            hashtags = Array.Empty<string>(),
            urls = Array.Empty<string>(),
        })), ct);
        var import = await Support.Cli.RunAsync("--data", data, "--quiet", "import", posts);
        Assert.True(import.ExitCode == 0, import.Error);

        (_server, var listening, var lines) = await ServeProcess.StartAsync(data, "0.0.0.0:0", 1, ct);
        var token = lines.Select(l => TokenLine().Match(l)).First(m => m.Success).Groups[1].Value;
        var origin = new UriBuilder(listening) { Host = "127.0.0.1" }.Uri;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var requests = new List<string>();
        page.Request += (_, r) => { lock (requests) requests.Add(r.Url); };

        await page.GotoAsync(new Uri(origin, "/?q=harbour").ToString());
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        Assert.Equal("This archive needs its token", await page.InnerTextAsync("h1"));

        await page.FillAsync("input[name=token]", "a-wrong-token-of-some-length");
        await page.ClickAsync("button[type=submit]");
        Assert.Equal("That is not the token.", await page.InnerTextAsync("p.error"));
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "archiver_token");

        await page.FillAsync("input[name=token]", token);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("p.total");
        Assert.EndsWith("/?q=harbour", page.Url, StringComparison.Ordinal);
        Assert.StartsWith("5 matches", await page.InnerTextAsync("p.total"));

        // The session cookie is the token, out of reach of any script and never sent by another site's page.
        var cookie = Assert.Single(await context.CookiesAsync(), c => c.Name == "archiver_token");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.DoesNotContain(token, await page.EvaluateAsync<string>("() => document.cookie"), StringComparison.Ordinal);

        // Another page of the app, and the API from the page's own origin, now answer.
        await page.GotoAsync(new Uri(origin, "/channels").ToString());
        Assert.DoesNotContain("/login", page.Url, StringComparison.Ordinal);
        var status = await page.EvaluateAsync<int>("async () => (await fetch('/api/search?q=vote')).status");
        Assert.Equal(200, status);

        // A fresh browser (no cookie) is still turned away.
        var stranger = await (await browser.NewContextAsync()).NewPageAsync();
        await stranger.GotoAsync(new Uri(origin, "/channels").ToString());
        Assert.Contains("/login", stranger.Url, StringComparison.Ordinal);
        lock (requests) Assert.All(requests, url => Assert.StartsWith(origin.GetLeftPart(UriPartial.Authority), url, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"log in with the token (\S+)")]
    private static partial Regex TokenLine();

    public void Dispose()
    {
        ArchiverProcess.KillAndDispose(_server);
        _archive.Dispose();
    }
}
