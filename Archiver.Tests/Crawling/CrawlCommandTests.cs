using Archiver.Tests.Crawling.Support;
using Archiver.Tests.Support;
using CliRunner = Archiver.Tests.Support.Cli;

namespace Archiver.Tests.Crawling;

public sealed class CrawlCommandTests
{
    [Fact]
    public async Task An_unrecognised_seed_exits_2_and_lists_the_accepted_forms()
    {
        using var archive = new TempArchive();
        var result = await CliRunner.RunAsync("--data", archive.Path, "crawl", "nonsense-seed");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("No platform recognises the seed 'nonsense-seed'", result.Error);
        Assert.Contains("telegram:durov", result.Error);
    }

    [Fact]
    public async Task Prints_a_json_summary_of_a_crawl()
    {
        await using var site = await TestSite.StartAsync(pages: 3, postsPerPage: 2);
        using var archive = new TempArchive();
        var plugin = Path.Combine(AppContext.BaseDirectory, "Archiver.Tests.dll");
        var result = await CliRunner.RunAsync("--data", archive.Path, "--json", "crawl", "testsite:" + site.Url("pages/0.html"),
            "--allow-private", "--rate", "0", "--no-media", "--platform-plugin", plugin);
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = System.Text.Json.JsonDocument.Parse(result.Out);
        Assert.Equal(3, json.RootElement.GetProperty("pages").GetInt64());
        Assert.Equal(6, json.RootElement.GetProperty("posts").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("media").GetInt64());
        Assert.Equal("finished", json.RootElement.GetProperty("state").GetString());
    }
}
