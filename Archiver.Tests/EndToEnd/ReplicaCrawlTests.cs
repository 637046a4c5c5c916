using Archiver.Model;
using Archiver.Replica;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.EndToEnd;

/// <summary>The real crawler, the real parsers and the real store against the replica, compared with its ground truth.</summary>
public sealed class ReplicaCrawlTests
{
    private static async Task<ReplicaHost> StartReplica(string? faults = null) =>
        await ReplicaHost.StartAsync(new ReplicaOptions
        {
            Seed = 7,
            Size = ReplicaSize.Small,
            Faults = FaultSettings.Parse(faults),
            LogRequests = false,
        }, TestContext.Current.CancellationToken);

    private static async Task<Support.Cli.Result> Crawl(string data, IEnumerable<string> seeds, params string[] extra) =>
        await Support.Cli.RunAsync(["crawl", "--data", data, "--allow-private", "--rate", "0", "--per-host", "4", "-q", "--json", .. extra, .. seeds]);

    [Fact]
    public async Task Every_served_telegram_and_mastodon_post_is_archived_once_with_the_served_fields()
    {
        using var dir = new TempArchive();
        await using var replica = await StartReplica();
        var seeds = replica.Seeds.Where(s => !s.StartsWith("site:", StringComparison.Ordinal) && !s.StartsWith("feed:", StringComparison.Ordinal)).ToList();

        var result = await Crawl(dir.Path, seeds);

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        var truth = replica.Truth();
        var served = truth.TelegramPosts().Concat(truth.ApiPosts(Flavor.Mastodon)).Concat(truth.ApiPosts(Flavor.TruthSocial)).Concat(truth.ApiPosts(Flavor.Gab)).ToList();
        using var store = ArchiveStore.Open(dir.Path, readOnly: true);
        var mismatches = new List<string>();
        foreach (var expected in served)
        {
            var stored = store.GetPost(expected.Key);
            if (stored is null)
            {
                mismatches.Add($"{expected.Key}: not archived");
                continue;
            }
            mismatches.AddRange(Differences(expected, stored.Post).Select(d => $"{expected.Key}: {d}"));
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} differences, first: " + string.Join("\n", mismatches.Take(15)));
        var keys = store.ScanPosts().Select(p => p.Key).ToList();
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task A_crawl_through_injected_faults_still_archives_every_telegram_post()
    {
        using var dir = new TempArchive();
        await using var replica = await StartReplica("error=0.1,429=0.05,reset=0.03");
        var seeds = replica.Seeds.Where(s => s.StartsWith("telegram:", StringComparison.Ordinal)).ToList();

        var result = await Crawl(dir.Path, seeds);

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        using var store = ArchiveStore.Open(dir.Path, readOnly: true);
        var missing = replica.Truth().TelegramPosts().Where(p => store.GetPost(p.Key) is null).Select(p => p.Key).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public async Task A_recrawl_of_version_2_records_edits_and_deletions()
    {
        using var dir = new TempArchive();
        await using var replica = await StartReplica();
        var seeds = replica.Seeds.Where(s => s.StartsWith("telegram:", StringComparison.Ordinal)).ToList();
        Assert.Equal(0, (await Crawl(dir.Path, seeds)).ExitCode);
        var v1 = replica.Truth(1).TelegramPosts().ToDictionary(p => p.Key);

        replica.SetVersion(2);
        var recrawl = await Crawl(dir.Path, seeds, "--recheck");

        Assert.True(recrawl.ExitCode == 0, recrawl.Error + recrawl.Out);
        var v2 = replica.Truth(2).TelegramPosts().ToDictionary(p => p.Key);
        var edited = v2.Values.Where(p => v1.TryGetValue(p.Key, out var old) && old.Text != p.Text).ToList();
        var deleted = v1.Keys.Where(k => !v2.ContainsKey(k)).ToList();
        Assert.NotEmpty(edited);
        Assert.NotEmpty(deleted);
        using var store = ArchiveStore.Open(dir.Path, readOnly: true);
        foreach (var post in edited)
        {
            var stored = store.GetPost(post.Key)!;
            Assert.Equal(post.Text, stored.Post.Text);
            Assert.Equal(v1[post.Key].Text, Assert.Single(store.GetVersions(post.Key)).Post.Text);
        }
        foreach (var key in deleted)
        {
            var stored = store.GetPost(key);
            Assert.NotNull(stored);
            Assert.True(stored.IsDeleted, $"{key} was deleted on the server but is not marked deleted");
        }
    }

    private static IEnumerable<string> Differences(Post expected, Post actual)
    {
        if (expected.Text != actual.Text) yield return $"text '{Cut(expected.Text)}' != '{Cut(actual.Text)}'";
        if (expected.CreatedAt != actual.CreatedAt) yield return $"created {expected.CreatedAt:o} != {actual.CreatedAt:o}";
        if (expected.Channel != actual.Channel) yield return $"channel {expected.Channel} != {actual.Channel}";
        if (expected.AuthorHandle != actual.AuthorHandle) yield return $"author {expected.AuthorHandle} != {actual.AuthorHandle}";
        if (expected.Kind != actual.Kind) yield return $"kind {expected.Kind} != {actual.Kind}";
        if (expected.ReplyTo != actual.ReplyTo) yield return $"reply_to {expected.ReplyTo} != {actual.ReplyTo}";
        if (!expected.Hashtags.SequenceEqual(actual.Hashtags)) yield return $"hashtags [{string.Join(',', expected.Hashtags)}] != [{string.Join(',', actual.Hashtags)}]";
        if (!expected.Mentions.SequenceEqual(actual.Mentions)) yield return $"mentions [{string.Join(',', expected.Mentions)}] != [{string.Join(',', actual.Mentions)}]";
        if (expected.Views != actual.Views) yield return $"views {expected.Views} != {actual.Views}";
        if (expected.Likes != actual.Likes) yield return $"likes {expected.Likes} != {actual.Likes}";
        if (!expected.Media.Select(m => m.Kind).SequenceEqual(actual.Media.Select(m => m.Kind))) yield return $"media [{string.Join(',', expected.Media.Select(m => m.Kind + " " + m.Url))}] != [{string.Join(',', actual.Media.Select(m => m.Kind + " " + m.Url))}]";
    }

    private static string Cut(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
