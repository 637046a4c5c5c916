using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Archiver.Crawling;
using Archiver.Platforms;
using Archiver.Storage;
using Archiver.Tests.Crawling.Support;
using Archiver.Tests.Support;
using CliRunner = Archiver.Tests.Support.Cli;

namespace Archiver.Tests.Crawling;

/// <summary>Issue 15, network safety: robots for every request, proxies, the browser's guard, loopback spellings.</summary>
public sealed class NetworkSafetyTests
{
    private static readonly string Plugin = Path.Combine(AppContext.BaseDirectory, "Archiver.Tests.dll");

    private static string[] CrawlArgs(string data, string seed, params string[] extra) =>
        ["--data", data, "--json", "crawl", seed, "--rate", "0", "--no-index", "--platform-plugin", Plugin, .. extra];

    private static JsonElement SeedOutcome(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Assert.Single(doc.RootElement.GetProperty("seed_outcomes").EnumerateArray()).Clone();
    }

    [Fact]
    public async Task Media_on_a_host_whose_robots_txt_disallows_everything_are_not_fetched()
    {
        await using var pages = await TestSite.StartAsync(pages: 3, postsPerPage: 2);
        await using var images = await TestSite.StartAsync(pages: 0);
        images.Robots = "User-agent: *\nDisallow: /\n";
        pages.ImageOrigin = images.Root;
        using var archive = new TempArchive();

        var result = await CliRunner.RunAsync(CrawlArgs(archive.Path, "testsite:" + pages.Url("pages/0.html"), "--allow-private"));

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        Assert.Equal(1, images.Count("/robots.txt"));
        Assert.DoesNotContain(images.Requests, r => r.Path.StartsWith("/img/", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(6, json.RootElement.GetProperty("posts").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("media").GetInt64());
        Assert.Equal(3, json.RootElement.GetProperty("robots_blocked").GetInt64());
        Assert.False(Directory.Exists(Path.Combine(archive.Path, "media")) && Directory.EnumerateFiles(Path.Combine(archive.Path, "media"), "*", SearchOption.AllDirectories).Any());

        // --ignore-robots fetches them.
        using var other = new TempArchive();
        var ignoring = await CliRunner.RunAsync(CrawlArgs(other.Path, "testsite:" + pages.Url("pages/0.html"), "--allow-private", "--ignore-robots"));
        Assert.True(ignoring.ExitCode == 0, ignoring.Error);
        Assert.Contains(images.Requests, r => r.Path == "/img/0.png");
    }

    [Fact]
    public async Task Requests_a_browser_page_makes_obey_robots_txt()
    {
        await using var site = await TestSite.StartAsync();
        site.Robots = "User-agent: *\nDisallow: /data.json\n";
        using var archive = new TempArchive();
        await using (var probe = BrowserFetcher.Create(new CrawlOptions { DataDir = archive.Path }))
            Assert.SkipWhen(probe.Unavailable is not null, probe.Unavailable ?? "");

        var result = await CliRunner.RunAsync(CrawlArgs(archive.Path, "testsite:" + site.Url("js.html"), "--allow-private", "--no-media"));

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        Assert.Equal(1, site.Count("/js.html"));
        Assert.Equal(0, site.Count("/data.json"));
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(1, json.RootElement.GetProperty("robots_blocked").GetInt64());
        using var store = ArchiveStore.Open(archive.Path, readOnly: true);
        Assert.Equal("Rendered by script", store.GetPost($"testsite:{site.Root.Authority}:js-1")!.Post.Text);
    }

    [Fact]
    public async Task Proxy_environment_variables_are_ignored_unless_proxy_is_given()
    {
        await using var site = await TestSite.StartAsync(pages: 3, postsPerPage: 2);
        await using var proxy = await RecordingProxy.StartAsync();
        using var archive = new TempArchive();

        var (code, stdout, stderr) = await RunChildAsync(new() { ["HTTP_PROXY"] = proxy.Url, ["http_proxy"] = proxy.Url, ["ALL_PROXY"] = proxy.Url },
            CrawlArgs(archive.Path, "testsite:" + site.Url("pages/0.html"), "--allow-private", "--no-media"));

        Assert.True(code == 0, stderr + stdout);
        Assert.Empty(proxy.RequestLines);
        Assert.Contains("HTTP_PROXY is set but not used: pass --proxy URL", stderr);
        Assert.Equal(1, site.Count("/pages/0.html"));
        Assert.Equal(6, JsonDocument.Parse(stdout).RootElement.GetProperty("posts").GetInt64());
    }

    [Fact]
    public async Task Through_proxy_the_target_is_checked_before_the_request_reaches_the_proxy()
    {
        await using var site = await TestSite.StartAsync(pages: 3, postsPerPage: 2);
        await using var proxy = await RecordingProxy.StartAsync();
        using var archive = new TempArchive();

        // The proxy itself is on loopback, as a user's local proxy would be: naming it is allowed; the target is not.
        var refused = await CliRunner.RunAsync(CrawlArgs(archive.Path, "testsite:" + site.Url("pages/0.html"), "--proxy", proxy.Url, "--no-media"));

        Assert.Equal(1, refused.ExitCode);
        var outcome = SeedOutcome(refused.Out);
        Assert.Equal("refused_private", outcome.GetProperty("outcome").GetString());
        Assert.Contains($"127.0.0.1", outcome.GetProperty("detail").GetString());
        Assert.Empty(proxy.RequestLines);
        Assert.Empty(site.Requests);

        // With the target allowed, every request goes through the proxy.
        var allowed = await CliRunner.RunAsync(CrawlArgs(archive.Path, "testsite:" + site.Url("pages/0.html"), "--proxy", proxy.Url, "--no-media", "--allow-private"));
        Assert.True(allowed.ExitCode == 0, allowed.Error + allowed.Out);
        Assert.Contains($"GET {site.Url("pages/0.html")} HTTP/1.1", proxy.RequestLines);
        Assert.Contains($"GET {site.Url("robots.txt")} HTTP/1.1", proxy.RequestLines);
        Assert.Equal(6, JsonDocument.Parse(allowed.Out).RootElement.GetProperty("posts").GetInt64());
    }

    [Fact]
    public async Task The_browser_refuses_a_redirect_hop_into_a_private_address_naming_it()
    {
        await using var site = await TestSite.StartAsync();
        using var archive = new TempArchive();
        // 127.0.0.1 is allowed (the test site); 127.0.0.2 is not, and nothing listens there.
        var options = new CrawlOptions { DataDir = archive.Path, RatePerHost = 0, NoMedia = true, IgnoreRobots = true, MaxPageAttempts = 1, AllowedPrivateAddresses = [IPAddress.Loopback] };
        await using var browser = BrowserFetcher.Create(options);
        Assert.SkipWhen(browser.Unavailable is not null, browser.Unavailable ?? "");
        var registry = new PlatformRegistry([new TestPagesPlatform()]);

        var summary = await new Crawler(options, registry, browser)
            .RunAsync(Crawler.ResolveSeeds(registry, ["testsite:" + site.Url("js-to-private.html")]), TestContext.Current.CancellationToken);

        var failure = Assert.Single(summary.Failures);
        Assert.Contains("Refused to connect to 127.0.0.2", failure.Reason);
        var outcome = Assert.Single(summary.SeedOutcomes);
        Assert.Equal(SeedOutcomeKind.RefusedPrivate, outcome.Outcome);
        Assert.Equal(1, site.Count("/js-to-private.html"));
        using var store = ArchiveStore.Open(archive.Path, readOnly: true);
        Assert.Empty(store.ScanPosts());
    }

    [Fact]
    public async Task The_browser_still_archives_a_page_and_its_requests_through_the_guard()
    {
        await using var site = await TestSite.StartAsync();
        using var archive = new TempArchive();
        var options = new CrawlOptions { DataDir = archive.Path, RatePerHost = 0, NoMedia = true, AllowedPrivateAddresses = [IPAddress.Loopback] };
        await using var browser = BrowserFetcher.Create(options);
        Assert.SkipWhen(browser.Unavailable is not null, browser.Unavailable ?? "");
        var registry = new PlatformRegistry([new TestPagesPlatform()]);

        var summary = await new Crawler(options, registry, browser)
            .RunAsync(Crawler.ResolveSeeds(registry, ["testsite:" + site.Url("js.html")]), TestContext.Current.CancellationToken);

        Assert.True(summary.Errors == 0, string.Join("; ", summary.Failures.Select(f => f.Reason)));
        Assert.Equal(1, site.Count("/data.json"));
        using var store = ArchiveStore.Open(archive.Path, readOnly: true);
        Assert.Equal("Rendered by script", store.GetPost($"testsite:{site.Root.Authority}:js-1")!.Post.Text);
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("127.1", "127.0.0.1")]
    [InlineData("0x7f.1", "127.0.0.1")]
    [InlineData("0x7f000001", "127.0.0.1")]
    [InlineData("2130706433", "127.0.0.1")]
    [InlineData("0177.0.0.1", "127.0.0.1")]
    [InlineData("017700000001", "127.0.0.1")]
    [InlineData("127.000.000.001", "127.0.0.1")]
    [InlineData("127.0.0.1.", "127.0.0.1")]
    [InlineData("[::ffff:127.0.0.1]", "::ffff:127.0.0.1")]
    [InlineData("[::ffff:7f00:1]", "::ffff:127.0.0.1")]
    [InlineData("[::127.0.0.1]", "::127.0.0.1")]
    [InlineData("[::1]", "::1")]
    [InlineData("[0:0:0:0:0:0:0:1]", "::1")]
    [InlineData("localhost", "127.0.0.1")]
    [InlineData("LOCALHOST", "127.0.0.1")]
    [InlineData("localhost.", "127.0.0.1")]
    [InlineData("foo.localhost", "127.0.0.1")]
    [InlineData("foo.localhost.", "127.0.0.1")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("0", "0.0.0.0")]
    [InlineData("[::]", "::")]
    public async Task A_loopback_spelling_is_refused_naming_the_address_and_exits_1(string host, string address)
    {
        await using var site = await TestSite.StartAsync(pages: 1, postsPerPage: 1);
        using var archive = new TempArchive();

        var result = await CliRunner.RunAsync(CrawlArgs(archive.Path, $"testsite:http://{host}:{site.Root.Port}/pages/0.html", "--no-media"));

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.Out}{result.Error}");
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(0, json.RootElement.GetProperty("robots_blocked").GetInt64());
        var outcome = SeedOutcome(result.Out);
        Assert.Equal("refused_private", outcome.GetProperty("outcome").GetString());
        Assert.Contains($"({address})", outcome.GetProperty("detail").GetString());
        Assert.Empty(site.Requests);
    }

    private static async Task<(int Code, string Out, string Error)> RunChildAsync(Dictionary<string, string> environment, string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(ArchiverProcess.Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }
}
