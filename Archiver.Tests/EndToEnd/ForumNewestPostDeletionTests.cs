using Archiver.Model;
using Archiver.Replica;
using Archiver.Storage;
using Archiver.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Archiver.Tests.EndToEnd;

/// <summary>
/// A forum thread's newest post deleted before anything newer is posted: it falls in no window of ids between two
/// posts the thread still shows, so only the last page can say it is gone (it shows every post after the page before
/// it). Against the evolving replica's truth: a recheck soon after the deletion records it, from the thread's last
/// page, and claims no deletion the truth does not make.
/// </summary>
public sealed class ForumNewestPostDeletionTests
{
    private static readonly DateTimeOffset Start = new(2025, 9, 15, 0, 0, 0, TimeSpan.Zero);
    private static readonly EvolveSettings Week = new() { Start = Start, Days = 7 };

    [Fact]
    public async Task A_threads_newest_post_deleted_with_nothing_after_it_is_recorded_deleted_by_the_next_recheck()
    {
        var ct = TestContext.Current.CancellationToken;
        // The first seed whose week deletes a thread's newest post, published well before, with no new post in that thread for an hour after.
        var (seed, planned) = Enumerable.Range(1, 40).Select(s => ((ulong)s, NewestPostDeleted((ulong)s))).First(x => x.Item2 is not null);
        using var dir = new TempArchive();
        var clock = new FakeTimeProvider(new DateTimeOffset(planned!.Time).AddMinutes(-1));
        await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = seed, Size = ReplicaSize.Small, Evolve = Week, Time = clock, LogRequests = false }, ct);
        // The same change, keyed with the running replica's ports.
        var deletion = replica.Changes().Single(c => c.Type == ArchiveEventType.Deleted && c.Time == planned.Time && c.NativeId == planned.NativeId);
        var forum = Assert.Single(replica.Seeds, s => s.StartsWith("site:replica-forum:", StringComparison.Ordinal) && s.EndsWith("/forum/", StringComparison.Ordinal));
        Task<Support.Cli.Result> Crawl(params string[] extra) =>
            Support.Cli.RunAsync(["crawl", "--data", dir.Path, "--allow-private", "--rate", "0", "--no-media", "--no-index", "-q", .. extra, forum]);

        // A minute before the deletion the post is the thread's newest, on its last page.
        var first = await Crawl();
        Assert.True(first.ExitCode == 0, first.Error + first.Out);
        using (var store = ArchiveStore.Open(dir.Path, readOnly: true))
            Assert.True(store.GetPost(deletion.Key!) is { IsDeleted: false }, $"{deletion.Key} ({deletion.Url}) not stored; the thread's: " + string.Join(", ", store.ScanPosts().Where(p => p.Post.Channel == deletion.Channel).Select(p => p.Key)));

        // A minute after it, the thread shows every post it showed before but that one.
        clock.SetUtcNow(new DateTimeOffset(deletion.Time).AddMinutes(1));
        var recheck = await Crawl("--recheck");
        Assert.True(recheck.ExitCode == 0, recheck.Error + recheck.Out);
        using (var store = ArchiveStore.Open(dir.Path, readOnly: true))
        {
            var post = Assert.IsType<StoredPost>(store.GetPost(deletion.Key!));
            Assert.True(post.IsDeleted, $"{deletion.Key}, deleted at {deletion.Time:O}, is not marked deleted");
            Assert.Equal(200, post.DeletedCapture?.Status);
            Assert.StartsWith(deletion.Channel, post.DeletedCapture?.Url);
            // Every post marked deleted was deleted by then (the truth's deletions up to now).
            var deletedInTruth = replica.Changes(clock.GetUtcNow()).Where(c => c.Type == ArchiveEventType.Deleted).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
            var claimed = store.ScanPosts().Where(p => p.IsDeleted).Select(p => p.Key).ToList();
            Assert.All(claimed, k => Assert.Contains(k, deletedInTruth));
        }
    }

    /// <summary>
    /// A deletion of a forum post that is then its thread's newest (no later post of the thread published before it),
    /// published at least an hour before, and followed by no new post of the thread for an hour; null if the week has none.
    /// </summary>
    private static ReplicaChange? NewestPostDeleted(ulong seed)
    {
        var changes = new ReplicaTruth(new ReplicaNetwork(seed, ReplicaSize.Small, Week), ReplicaEndpoints.FromPort(8470), 1).Changes()
            .Where(c => c.Platform == "site").ToList();
        foreach (var d in changes.Where(c => c.Type == ArchiveEventType.Deleted))
        {
            var thread = changes.Where(c => c.ChannelKey == d.ChannelKey && c.Type == ArchiveEventType.NewPost).ToList();
            var published = thread.FirstOrDefault(c => c.Key == d.Key);
            if (published is null || published.Time > d.Time.AddHours(-1)) continue;
            var id = long.Parse(d.NativeId!, System.Globalization.CultureInfo.InvariantCulture);
            if (thread.Any(c => c.Time < d.Time && long.Parse(c.NativeId!, System.Globalization.CultureInfo.InvariantCulture) > id)) continue;
            if (thread.Any(c => c.Time > d.Time && c.Time < d.Time.AddHours(1))) continue;
            return d;
        }
        return null;
    }
}
