using System.Text.Json;
using Archiver.Capturing;
using Archiver.Model;
using Archiver.Replica;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.EndToEnd;

/// <summary>
/// The claims a re-check makes, on every platform of the replica, against its ground truth: a crawl of version 1,
/// then one <c>crawl --recheck</c> of version 2 with a Telegram channel (451), a Mastodon account (410) and a Gab
/// account (404) taken down. Every deletion and takedown the archive records must be true and carry its evidence;
/// every deletion and edit the replica made must be recorded.
/// </summary>
public sealed class ChangeTrackingTruthTests
{
    private static Task<Support.Cli.Result> Crawl(string data, IEnumerable<string> seeds, params string[] extra) =>
        Support.Cli.RunAsync(["crawl", "--data", data, "--allow-private", "--rate", "0", "--per-host", "4", "--no-media", "--no-index", "-q", "--json", .. extra, .. seeds]);

    [Fact]
    public async Task A_recheck_of_version_2_records_exactly_the_deletions_edits_and_takedowns_the_replica_made_with_evidence()
    {
        using var dir = new TempArchive();
        await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 16, Size = ReplicaSize.Small, LogRequests = false }, TestContext.Current.CancellationToken);
        // JavaScript pages are read through the browser with their own profile (the replica's seed names the forum's).
        var seeds = replica.Seeds.Select(s => s.Contains("/js/", StringComparison.Ordinal) ? s.Replace("site:replica-forum:", "site:replica-js:", StringComparison.Ordinal) : s).ToList();
        // Every platform of the replica is crawled: Telegram, Mastodon, Truth Social, Gab, feeds, forum and JS pages.
        foreach (var prefix in new[] { "telegram:", "mastodon:", "truthsocial:", "gab:", "feed:", "site:" })
            Assert.Contains(seeds, s => s.StartsWith(prefix, StringComparison.Ordinal));

        var first = await Crawl(dir.Path, seeds);
        Assert.True(first.ExitCode == 0, first.Error + first.Out);
        var v1Truth = replica.Truth(1);
        var v1 = v1Truth.Posts().Concat(v1Truth.FeedPosts()).ToDictionary(p => p.Key);
        HashSet<string> archivedInV1;
        using (var store = ArchiveStore.Open(dir.Path, readOnly: true))
        {
            archivedInV1 = store.ScanPosts().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            // A first crawl claims nothing: no deletion, no takedown (edit histories that answer 404 included).
            Assert.Empty(store.ScanPosts().Where(p => p.IsDeleted).Select(p => p.Key));
            Assert.Empty(store.ScanAuthors().Where(a => a.Status == AuthorStatus.Gone).Select(a => a.Author.Key));
        }
        var notArchived = v1.Keys.Where(k => !archivedInV1.Contains(k) && !k.StartsWith("feed:", StringComparison.Ordinal)).ToList();
        Assert.True(notArchived.Count == 0, "not archived in version 1: " + string.Join(", ", notArchived.Take(10)));

        var takenDownPosts = ReplicaTakedowns.ApplyVersion2WithTakedowns(replica, v1Truth);

        var recheck = await Crawl(dir.Path, seeds, "--recheck");

        Assert.True(recheck.ExitCode is 0 or 1, recheck.Error + recheck.Out);
        var v2Truth = replica.Truth(2);
        var v2 = v2Truth.Posts().Concat(v2Truth.FeedPosts()).ToDictionary(p => p.Key);
        var takedowns = v2Truth.Takedowns().ToList();
        Assert.Equal(3, takedowns.Count);
        // Deleted: served in version 1 (and archived then), gone from version 2, and not merely behind a takedown.
        var deleted = v1Truth.Posts().Select(p => p.Key)
            .Where(k => archivedInV1.Contains(k) && !v2.ContainsKey(k) && !takenDownPosts.Contains(k)).ToHashSet(StringComparer.Ordinal);
        var edited = v2.Values.Where(p => v1.TryGetValue(p.Key, out var old) && archivedInV1.Contains(p.Key) && old.Text != p.Text).ToList();
        var byPlatform = string.Join(", ", new[] { "telegram", "mastodon", "truthsocial", "gab", "feed", "site" }
            .Select(p => $"{p}: {deleted.Count(k => k.StartsWith(p + ":", StringComparison.Ordinal))} deleted, {edited.Count(e => e.Platform == p)} edited"));
        TestContext.Current.SendDiagnosticMessage(byPlatform);
        foreach (var platform in new[] { "telegram", "mastodon", "truthsocial", "gab", "site" })
        {
            Assert.True(deleted.Any(k => k.StartsWith(platform + ":", StringComparison.Ordinal)), byPlatform);
            Assert.True(edited.Any(p => p.Platform == platform), byPlatform);
        }

        using (var store = ArchiveStore.Open(dir.Path, readOnly: true))
        {
            var markedDeleted = store.ScanPosts().Where(p => p.IsDeleted).ToList();
            var falseDeletions = markedDeleted.Where(p => !deleted.Contains(p.Key)).Select(p => $"{p.Key} ({p.DeletedStatus}: {p.DeletedReason})").ToList();
            var missedDeletions = deleted.Where(k => store.GetPost(k) is not { IsDeleted: true }).ToList();
            var missedEdits = edited.Where(p => store.GetPost(p.Key) is not { } s || s.Post.Text != p.Text
                || store.GetVersions(p.Key) is not [.., var before] || before.Post.Text != v1[p.Key].Text).Select(p => p.Key).ToList();
            Assert.True(falseDeletions.Count == 0, $"{falseDeletions.Count} false deletions of {markedDeleted.Count}: " + string.Join("\n", falseDeletions.Take(10)));
            Assert.True(missedDeletions.Count == 0, $"{missedDeletions.Count} of {deleted.Count} deletions missed: " + string.Join("\n", missedDeletions.Take(10)));
            Assert.True(missedEdits.Count == 0, $"{missedEdits.Count} of {edited.Count} edits missed: " + string.Join("\n", missedEdits.Take(10)));

            // Each deletion keeps its evidence: the status and the WARC record of the response that showed it.
            foreach (var post in markedDeleted)
            {
                Assert.True(post.DeletedStatus is 200 or 404 or 410 or 451, $"{post.Key}: status {post.DeletedStatus}");
                Assert.False(string.IsNullOrEmpty(post.DeletedReason));
                AssertResponseRecord(store, post.DeletedCapture, post.DeletedStatus!.Value, post.Key);
            }

            // Every takedown is recorded at this first re-check, with the status and the response that said so.
            foreach (var takedown in takedowns)
            {
                var author = store.GetAuthor(takedown.Key);
                Assert.True(author is not null, $"{takedown.Key} was never archived");
                Assert.True(author.Status == AuthorStatus.Gone, $"{takedown.Platform} {takedown.Name} answered {takedown.Status} but is {author.Status}");
                Assert.Equal(takedown.Status, author.GoneStatus);
                Assert.False(string.IsNullOrEmpty(author.GoneReason));
                AssertResponseRecord(store, author.GoneCapture, takedown.Status, takedown.Key);
            }
            var falseTakedowns = store.ScanAuthors().Where(a => a.Status == AuthorStatus.Gone && takedowns.All(t => t.Key != a.Author.Key)).Select(a => a.Author.Key).ToList();
            Assert.Empty(falseTakedowns);
        }

        // The CLI shows the same: `channels --json` lists the takedowns with their evidence, `show --json` a deletion's.
        var channels = await Support.Cli.RunAsync("channels", "--data", dir.Path, "--json");
        Assert.True(channels.ExitCode == 0, channels.Error);
        using var list = JsonDocument.Parse(channels.Out);
        var gone = list.RootElement.EnumerateArray().Where(c => c.GetProperty("status").GetString() == "gone").ToList();
        Assert.Equal(takedowns.Select(t => t.Key).Order(), gone.Select(c => c.GetProperty("key").GetString()!).Order());
        foreach (var c in gone)
        {
            var evidence = c.GetProperty("evidence");
            Assert.Contains(evidence.GetProperty("http_status").GetInt32(), new[] { 404, 410, 451 });
            Assert.False(string.IsNullOrEmpty(evidence.GetProperty("warc_file").GetString()));
            Assert.True(evidence.GetProperty("warc_offset").GetInt64() >= 0);
        }
        var totalDeleted = list.RootElement.EnumerateArray().Sum(c => c.GetProperty("deleted").GetInt64());
        Assert.Equal(deleted.Count, totalDeleted);

        var oneDeleted = deleted.First(k => k.StartsWith("mastodon:", StringComparison.Ordinal));
        var show = await Support.Cli.RunAsync("show", oneDeleted, "--data", dir.Path, "--json");
        Assert.True(show.ExitCode == 0, show.Error);
        using var shown = JsonDocument.Parse(show.Out);
        var deletion = shown.RootElement.GetProperty("deletion");
        Assert.False(string.IsNullOrEmpty(deletion.GetProperty("reason").GetString()));
        Assert.False(string.IsNullOrEmpty(deletion.GetProperty("warc_file").GetString()));
    }

    [Fact]
    public async Task A_takedown_is_recorded_at_the_first_recheck_even_when_the_crawl_before_it_stopped_early()
    {
        using var dir = new TempArchive();
        await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 16, Size = ReplicaSize.Small, LogRequests = false }, TestContext.Current.CancellationToken);
        var channel = replica.Network.Channels.First(c => c.Stream.BaseCount > 0);
        var seeds = replica.Seeds.Where(s => s.StartsWith("telegram:", StringComparison.Ordinal)).ToList();
        // A crawl that stops at its page limit leaves its frontier generation unfinished.
        var first = await Crawl(dir.Path, seeds, "--max-pages", "8");
        Assert.True(first.ExitCode is 0 or 1, first.Error + first.Out);
        replica.SetVersion(2);
        replica.TakeDown(channel.Name, 451, OriginKind.Telegram);

        var recheck = await Crawl(dir.Path, seeds, "--recheck");

        Assert.True(recheck.ExitCode is 0 or 1, recheck.Error + recheck.Out);
        using var store = ArchiveStore.Open(dir.Path, readOnly: true);
        var key = replica.Truth().Takedowns().Single().Key;
        var author = store.GetAuthor(key);
        Assert.True(author is not null, $"{key} was never archived");
        Assert.True(author.Status == AuthorStatus.Gone, $"{channel.Name} answered 451 at the first re-check but is {author.Status}");
        Assert.Equal(451, author.GoneStatus);
    }

    /// <summary>The capture names a response record in the archive's WARC files that answered with this status.</summary>
    private static void AssertResponseRecord(ArchiveStore store, Archiver.Model.Capture? capture, int status, string what)
    {
        Assert.True(capture is { WarcFile: not null, WarcOffset: not null }, $"{what}: no WARC record kept as evidence");
        var record = WarcReader.Read(Path.Combine(store.Paths.Warc, capture.WarcFile)).FirstOrDefault(r => r.Offset == capture.WarcOffset);
        Assert.True(record is not null, $"{what}: no record at {capture.WarcFile}@{capture.WarcOffset}");
        Assert.Equal("response", record.Type);
        Assert.Equal(status, record.Http?.Status);
        Assert.Equal(capture.Url, record.TargetUri);
    }
}
