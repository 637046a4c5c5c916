using Archiver.Replica;
using Archiver.Tests.Support;

namespace Archiver.Tests.EndToEnd;

/// <summary>
/// The watcher obeys <c>--rate</c> per host across its checks, not only inside one: each check is a crawl of its own,
/// and checks of one host follow each other at once.
/// </summary>
public sealed class WatchPolitenessTests
{
    [Fact]
    public async Task Back_to_back_checks_of_one_host_keep_its_rate()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempArchive();
        await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 4, Size = ReplicaSize.Small, LogRequests = true }, ct);
        var seeds = replica.Seeds.Where(s => s.StartsWith("telegram:", StringComparison.Ordinal)).Take(4).ToList();
        var add = await Support.Cli.RunAsync(["watch", "add", .. seeds, "--data", dir.Path]);
        Assert.True(add.ExitCode == 0, add.Error);

        // One page per check, 2 requests a second: four checks of one host take at least 1.5 s of its time.
        var run = await Support.Cli.RunAsync("watch", "run", "--once", "--data", dir.Path, "--allow-private", "--no-media", "--rate", "2", "--baseline-pages", "1");

        Assert.True(run.ExitCode == 0, run.Error + run.Out);
        Assert.Contains("4 checks (4 read, 0 gone, 0 failed, 0 interrupted)", run.Out);
        // The pages the checks fetched (robots.txt, shared by the checks, is not rate-limited, as in a crawl).
        var pages = replica.Log.Requests.Where(r => r.Origin == OriginKind.Telegram && r.PathAndQuery != "/robots.txt").OrderBy(r => r.At).ToList();
        Assert.Equal(4, pages.Count);
        var gaps = pages.Zip(pages.Skip(1), (a, b) => (b.At - a.At).TotalSeconds).ToList();
        // 0.5 s apart at 2 a second (a little less for the clock's and the server's timing).
        Assert.True(gaps.All(g => g >= 0.45), "seconds between a host's pages: " + string.Join(", ", gaps.Select(g => g.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture))));
    }
}
