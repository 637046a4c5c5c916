using Archiver.Replica;

namespace Archiver.Tests.Support;

/// <summary>Archives for import tests to start from: a small replica (seed 3) crawled through the CLI.</summary>
internal static class ReplicaCrawl
{
    /// <summary>Crawls the replica's seeds of these platforms ("telegram", "mastodon", ...) into <paramref name="data"/>, without media or index.</summary>
    public static async Task IntoAsync(string data, params string[] platforms)
    {
        await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 3, Size = ReplicaSize.Small, LogRequests = false }, TestContext.Current.CancellationToken);
        var seeds = replica.Seeds.Where(s => platforms.Any(p => s.StartsWith(p + ":", StringComparison.Ordinal))).ToList();
        Assert.NotEmpty(seeds);
        var crawl = await Cli.RunAsync(["crawl", "--data", data, "--allow-private", "--rate", "0", "--no-media", "--no-index", "-q", .. seeds]);
        Assert.True(crawl.ExitCode == 0, crawl.Error);
    }
}
