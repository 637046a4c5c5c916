using Archiver.Model;
using Archiver.Replica;
using Archiver.Storage;
using Archiver.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Archiver.Tests.EndToEnd;

/// <summary>
/// A channel's newest post deleted (the "posted and quickly deleted" case a watch is for): the channel's first page,
/// which shows everything newer than its oldest post, no longer lists it, so the next recheck records the deletion,
/// on Telegram and on every Mastodon-API network; on a forum, the thread's last page (no next link) shows everything
/// after the page before it. Both were found by the simulated week of <see cref="WatchWeekTests"/>: the page counted
/// only up to its own newest post, so the deletion waited for a newer post to bound the range.
/// </summary>
public sealed class NewestPostDeletionTests
{
    private static readonly DateTimeOffset Start = new(2025, 9, 15, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("telegram")]
    [InlineData("mastodon")]
    [InlineData("truthsocial")]
    [InlineData("gab")]
    [InlineData("site")]
    public async Task A_recheck_records_the_deletion_of_a_channels_newest_post(string platform)
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempArchive();
        var week = new EvolveSettings { Start = Start, Days = 7 };
        // The first replica seed whose week deletes the newest post of a channel of this platform.
        var seed = Enumerable.Range(1, 200).Select(s => (ulong)s)
            .First(s => NewestDeleted(new ReplicaTruth(new ReplicaNetwork(s, ReplicaSize.Small, week), ReplicaEndpoints.FromPort(8470), 1).Changes().Where(c => c.Platform == platform).ToList()) is not null);
        var clock = new FakeTimeProvider(Start);
        await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = seed, Size = ReplicaSize.Small, Evolve = week, Time = clock, LogRequests = false }, ct);
        var deletion = NewestDeleted(replica.Changes().Where(c => c.Platform == platform).ToList())!;
        var name = deletion.Channel.TrimStart('@').Split('@')[0];
        // A forum's channel is its thread, a URL of the forum's profile.
        var channelSeed = platform == "site" ? "site:replica-forum:" + deletion.Channel : Assert.Single(replica.Seeds, s => s.StartsWith(platform + ":", StringComparison.Ordinal)
            && (s.EndsWith("/s/" + name, StringComparison.OrdinalIgnoreCase) || s.EndsWith("/@" + name, StringComparison.OrdinalIgnoreCase)));
        Task<Support.Cli.Result> Crawl(params string[] extra) =>
            Support.Cli.RunAsync(["crawl", "--data", dir.Path, "--allow-private", "--rate", "0", "--no-media", "--no-index", "-q", .. extra, channelSeed]);

        clock.SetUtcNow(deletion.Time - TimeSpan.FromMinutes(1));
        var first = await Crawl();
        Assert.True(first.ExitCode == 0, first.Error);
        using (var store = ArchiveStore.Open(dir.Path, readOnly: true))
            Assert.True(store.GetPost(deletion.Key!) is { IsDeleted: false }, $"{deletion.Key} was not archived live by the first crawl");

        clock.SetUtcNow(deletion.Time + TimeSpan.FromMinutes(1));
        var recheck = await Crawl("--recheck");
        Assert.True(recheck.ExitCode == 0, recheck.Error);

        using var after = ArchiveStore.Open(dir.Path, readOnly: true);
        var post = after.GetPost(deletion.Key!)!;
        Assert.True(post.IsDeleted, $"{deletion.Key}, deleted at {deletion.Time:O}, is not marked deleted after the recheck");
        Assert.StartsWith("missing from the listing", post.DeletedReason);
        // Nothing else was claimed deleted.
        Assert.Equal([deletion.Key!], after.ScanPosts().Where(p => p.IsDeleted).Select(p => p.Key));
    }

    /// <summary>A deletion of its channel's newest post, published a while before, with nothing new or gone on the channel around it.</summary>
    private static ReplicaChange? NewestDeleted(List<ReplicaChange> changes) =>
        changes.FirstOrDefault(d => d.Type == ArchiveEventType.Deleted
            && changes.LastOrDefault(c => c.ChannelKey == d.ChannelKey && c.Type == ArchiveEventType.NewPost && c.Time < d.Time) is { } newest
            && newest.Key == d.Key && d.Time - newest.Time > TimeSpan.FromMinutes(2)
            && !changes.Any(c => c.ChannelKey == d.ChannelKey && c.Type is ArchiveEventType.NewPost or ArchiveEventType.ChannelGone
                && c.Time > d.Time - TimeSpan.FromMinutes(2) && c.Time < d.Time + TimeSpan.FromMinutes(2)));
}
