using System.Net;
using System.Text.Json;
using Archiver.Replica;
using Archiver.Storage;
using Archiver.Tests.Crawling.Support;
using Archiver.Tests.Indexing;
using Archiver.Tests.Support;
using CliRunner = Archiver.Tests.Support.Cli;

namespace Archiver.Tests.Crawling;

/// <summary>Issue 14: every crawl ends with what became of each seed, and the exit code says whether one failed.</summary>
public sealed class CrawlOutcomeTests
{
    private static readonly string Plugin = Path.Combine(AppContext.BaseDirectory, "Archiver.Tests.dll");

    private static Task<CliRunner.Result> CrawlTestSite(string data, string seed, params string[] extra) =>
        CliRunner.RunAsync(["--data", data, "--json", "crawl", seed, "--rate", "0", "--no-media", "--no-index", "--platform-plugin", Plugin, .. extra]);

    /// <summary>The one seed outcome of a --json crawl summary.</summary>
    private static JsonElement SeedOutcome(CliRunner.Result result)
    {
        using var json = JsonDocument.Parse(result.Out);
        return Assert.Single(json.RootElement.GetProperty("seed_outcomes").EnumerateArray()).Clone();
    }

    private static async Task<ReplicaHost> Replica() =>
        await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 3, Size = ReplicaSize.Small, LogRequests = false }, TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_misspelt_channel_is_not_found_and_exits_1_while_a_channel_taken_down_since_is_gone()
    {
        await using var replica = await Replica();
        using var archive = new TempArchive();
        var seed = replica.Seeds.First(s => s.StartsWith("telegram:", StringComparison.Ordinal));
        var channel = seed[(seed.LastIndexOf('/') + 1)..];
        var misspelt = seed[..(seed.LastIndexOf('/') + 1)] + channel + "x";

        var typo = await CliRunner.RunAsync("--data", archive.Path, "--json", "crawl", misspelt, "--allow-private", "--rate", "0", "--no-media", "--no-index");
        Assert.Equal(1, typo.ExitCode);
        var outcome = SeedOutcome(typo);
        Assert.Equal(misspelt, outcome.GetProperty("seed").GetString());
        Assert.Equal("not_found", outcome.GetProperty("outcome").GetString());

        // A seed that was not found is not "done": the next run asks again. The text summary says it in words, one line per seed.
        var text = await CliRunner.RunAsync("--data", archive.Path, "crawl", misspelt, "--allow-private", "--rate", "0", "--no-media", "--no-index");
        Assert.Equal(1, text.ExitCode);
        Assert.Contains($"{misspelt}: not found", text.Out);

        var first = await CliRunner.RunAsync("--data", archive.Path, "--json", "crawl", seed, "--allow-private", "--rate", "0", "--no-media", "--no-index");
        Assert.True(first.ExitCode == 0, first.Error + first.Out);
        var archived = SeedOutcome(first);
        Assert.Equal("archived", archived.GetProperty("outcome").GetString());
        var expected = replica.Truth().TelegramPosts().Count(p => p.Channel == channel);
        Assert.True(expected > 0);
        Assert.Equal(expected, archived.GetProperty("posts").GetInt64());

        replica.TakeDown(channel, 404, OriginKind.Telegram);
        var recheck = await CliRunner.RunAsync("--data", archive.Path, "--json", "crawl", seed, "--allow-private", "--rate", "0", "--no-media", "--no-index", "--recheck");
        Assert.True(recheck.ExitCode == 0, recheck.Error + recheck.Out);
        Assert.Equal("gone", SeedOutcome(recheck).GetProperty("outcome").GetString());

    }

    [Fact]
    public async Task An_unreachable_host_is_an_error_not_a_robots_refusal()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var archive = new TempArchive();

        var result = await CrawlTestSite(archive.Path, $"testsite:http://127.0.0.1:{port}/pages/0.html", "--allow-private");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(0, json.RootElement.GetProperty("robots_blocked").GetInt64());
        var outcome = SeedOutcome(result);
        Assert.Equal("unreachable", outcome.GetProperty("outcome").GetString());
        Assert.Contains("Connection refused", outcome.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Seeds_refused_by_robots_or_the_address_guard_say_so_and_exit_1()
    {
        await using var site = await TestSite.StartAsync(pages: 3, postsPerPage: 2);
        using var archive = new TempArchive();
        site.Robots = "User-agent: *\nDisallow: /\n";

        var robots = await CrawlTestSite(archive.Path, "testsite:" + site.Url("pages/0.html"), "--allow-private");
        Assert.Equal(1, robots.ExitCode);
        Assert.Equal("refused_robots", SeedOutcome(robots).GetProperty("outcome").GetString());

        var privateAddress = await CrawlTestSite(archive.Path, "testsite:" + site.Url("pages/1.html"));
        Assert.Equal(1, privateAddress.ExitCode);
        var outcome = SeedOutcome(privateAddress);
        Assert.Equal("refused_private", outcome.GetProperty("outcome").GetString());
        Assert.Contains("127.0.0.1", outcome.GetProperty("detail").GetString());
        Assert.DoesNotContain(site.Requests, r => r.Path.StartsWith("/pages/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_seed_refused_without_allow_private_is_crawled_by_the_next_run()
    {
        await using var site = await TestSite.StartAsync(pages: 3, postsPerPage: 2);
        using var archive = new TempArchive();
        var seed = "testsite:" + site.Url("pages/0.html");

        var refused = await CrawlTestSite(archive.Path, seed);
        Assert.Equal(1, refused.ExitCode);

        var allowed = await CrawlTestSite(archive.Path, seed, "--allow-private");
        Assert.True(allowed.ExitCode == 0, allowed.Error + allowed.Out);
        using (var json = JsonDocument.Parse(allowed.Out))
        {
            Assert.Equal(3, json.RootElement.GetProperty("pages").GetInt64());
            Assert.Equal(6, json.RootElement.GetProperty("posts").GetInt64());
        }
        Assert.Equal("archived", SeedOutcome(allowed).GetProperty("outcome").GetString());
        using var store = ArchiveStore.Open(archive.Path, readOnly: true);
        Assert.Equal(6, store.ScanPosts().Count());
    }

    [Fact]
    public async Task An_at_sign_seed_is_a_telegram_channel_not_a_response_file()
    {
        using var archive = new TempArchive();

        // --max-pages 0: the seed is resolved and queued, but nothing is fetched (no traffic leaves this machine).
        var result = await CliRunner.RunAsync("--data", archive.Path, "--json", "crawl", "@somechannel", "--max-pages", "0", "--no-index");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.DoesNotContain("Response file", result.Error);
        var outcome = SeedOutcome(result);
        Assert.Equal("@somechannel", outcome.GetProperty("seed").GetString());
        Assert.Equal("pending", outcome.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Searching_for_an_at_mention_finds_the_post_that_mentions_it()
    {
        using var archive = new TempArchive();
        using (var store = ArchiveStore.Open(archive.Path))
            store.Write(StorePosts.Batch(StorePosts.Make("1", "Thanks @alice for the link") with { Mentions = ["alice"] }, StorePosts.Make("2", "Nothing about anyone")));

        var result = await CliRunner.RunAsync("search", "--data", archive.Path, "--json", "@alice");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.DoesNotContain("Response file", result.Error);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(1, json.RootElement.GetProperty("total").GetInt64());
    }
}
