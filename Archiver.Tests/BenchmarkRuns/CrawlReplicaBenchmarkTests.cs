namespace Archiver.Tests.BenchmarkRuns;

public sealed class CrawlReplicaBenchmarkTests
{
    [Fact]
    public async Task Bench_crawl_replica_crawls_every_telegram_channel_of_a_child_replica_and_matches_its_truth()
    {
        var result = await Support.Bench.RunAsync("crawl-replica", "--size", "small", "--concurrency", "4");

        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.Contains("6 Telegram channels", result.Out);
        Assert.Contains("server in a child process", result.Out);
        Assert.Contains("truth  280 telegram posts archived, the replica served 280; channels with a wrong count 0;", result.Out);
        Assert.Contains("0 missing, 0 with other text — OK", result.Out);
        Assert.Matches(@"stage store\s+\d+\.\d\d s busy", result.Out);
        // In-process, the peak is the test host's, which other tests may have pushed past 1 GiB.
        Assert.Matches(@"peak RSS crawler [\d.]+ [MG]iB", result.Out);
    }

    [Fact]
    public async Task Bench_crawl_replica_refuses_a_non_positive_channel_count()
    {
        var result = await Support.Bench.RunAsync("crawl-replica", "--size", "small", "--channels", "0");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--channels and --concurrency must be positive", result.Error);
    }
}
