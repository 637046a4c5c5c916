using System.Text.Json;
using Archiver.Indexing;
using Archiver.Model;
using Archiver.Search;
using Archiver.Storage;
using Archiver.Tests.Support;
using static Archiver.Tests.Support.IndexCounts;

namespace Archiver.Tests.Indexing;

/// <summary>The index built beside the store (import and writer paths): complete, committed, and right about edits.</summary>
public sealed class PipelinedIndexingTests
{

    [Fact]
    public async Task An_import_leaves_the_index_complete_and_committed_at_the_store_sequence()
    {
        using var dir = new TempArchive();
        var input = dir.File("corpus.jsonl");
        await File.WriteAllTextAsync(input, CorpusSample.Lines(12_000), TestContext.Current.CancellationToken);

        var result = await Support.Cli.RunAsync("import", input, "--data", dir.File("a"));

        Assert.Equal(0, result.ExitCode);
        using var store = ArchiveStore.Open(dir.File("a"), readOnly: true);
        // Read-only: what the last index commit holds, with no catch-up on open.
        using var index = PostIndex.OpenReadOnly(store.Paths.Index);
        Assert.Equal(12_000, store.Counters.Posts);
        Assert.Equal(12_000, index.DocumentCount);
        Assert.Equal(store.Sequence, index.StoreSequence);
        Assert.Equal(4_000, Count(index, "harbour"));
        Assert.Equal(6_000, Count(index, "lantern"));
        Assert.Equal(2_400, Count(index, "#tag3"));
    }

    [Fact]
    public async Task Posts_edited_by_a_later_import_are_found_by_their_new_text_and_not_the_old()
    {
        using var dir = new TempArchive();
        var first = dir.File("v1.jsonl");
        var second = dir.File("v2.jsonl");
        await File.WriteAllTextAsync(first, CorpusSample.Lines(6_000), TestContext.Current.CancellationToken);
        // Version 2 rewords the odd posts and adds 500 new ones.
        await File.WriteAllTextAsync(second, CorpusSample.Lines(6_500, oddWord: "zeppelin"), TestContext.Current.CancellationToken);

        Assert.Equal(0, (await Support.Cli.RunAsync("import", first, "--data", dir.Path)).ExitCode);
        var again = await Support.Cli.RunAsync("import", second, "--data", dir.Path, "--json");

        Assert.Equal(0, again.ExitCode);
        Assert.Contains("\"edited\": 3000", again.Out);
        Assert.Contains("\"inserted\": 500", again.Out);
        using var store = ArchiveStore.Open(dir.Path, readOnly: true);
        using var index = PostIndex.OpenReadOnly(store.Paths.Index);
        Assert.Equal(6_500, index.DocumentCount);
        Assert.Equal(store.Sequence, index.StoreSequence);
        Assert.Equal(0, Count(index, "lantern"));
        Assert.Equal(3_250, Count(index, "zeppelin"));
        Assert.Equal(3_250, Count(index, "pebble"));
    }

    [Fact]
    public async Task A_batch_mixing_new_edited_and_deleted_posts_is_indexed_like_the_store_holds_it()
    {
        var ct = TestContext.Current.CancellationToken;
        using var archive = new TempArchive();
        using var store = ArchiveStore.Open(archive.Path);
        long sequence;
        await using (var follower = IndexFollower.Open(store, ct: ct))
        {
            var first = StorePosts.Batch(StorePosts.Make("1", "original wording"), StorePosts.Make("2", "doomed post"), StorePosts.Make("3", "steady post"));
            follower.Follow(first, store.Write(first));
            var mixed = new StoreBatch
            {
                Posts = [new PostObservation(StorePosts.Make("1", "corrected wording"), StorePosts.Seen), new PostObservation(StorePosts.Make("4", "fresh post"), StorePosts.Seen)],
                Disappearances = [new Disappearance(StorePosts.Make("2", "").Key, DisappearanceKind.Post, StorePosts.Seen, 404, "gone")],
            };
            var result = store.Write(mixed);
            follower.Follow(mixed, result);
            sequence = result.Sequence;
            await follower.CompleteAsync();
            // New posts of a batch of only new posts come from the batch; a mixed batch is read back from the store.
            Assert.Equal(3, follower.Added);
            Assert.Equal(3, follower.Reread);
        }

        using var index = PostIndex.OpenReadOnly(store.Paths.Index);
        Assert.Equal(4, index.DocumentCount);
        Assert.Equal(0, Count(index, "original"));
        Assert.Equal(1, Count(index, "corrected"));
        Assert.Equal(1, Count(index, "fresh"));
        Assert.Equal(1, Count(index, "doomed is:deleted"));
        Assert.Equal(1, Count(index, "corrected is:edited"));
        Assert.Equal(sequence, index.StoreSequence);
    }

    [Fact]
    public void A_new_post_is_indexed_from_the_batch_exactly_as_from_the_store()
    {
        using var archive = new TempArchive();
        using var store = ArchiveStore.Open(archive.Path);
        var rich = StorePosts.Make("9", "a reply with media", lang: "de") with
        {
            Kind = PostKinds.Reply,
            ReplyTo = "8",
            ForwardedFrom = "elsewhere",
            Hashtags = ["Wahl", "wahl"],
            Mentions = ["@someone"],
            Links = ["https://www.example.org/a", "https://news.example.com/b", "not a url"],
            Media = [new MediaRef { Kind = "photo", Url = "https://cdn.example/a.jpg" }, new MediaRef { Kind = "photo" }, new MediaRef { Kind = "video" }],
            Views = 1234,
            Likes = 5,
            EditedAt = new DateTime(2021, 1, 2, 0, 0, 0, DateTimeKind.Utc),
        };
        // Without a URL of its own, a post is shown with the page it was archived from (a forum post).
        var plain = StorePosts.Make("10", "plain") with { AuthorHandle = null, AuthorId = "id-10", Language = null, Links = [], Url = null };
        var capture = new Capture { Url = "https://forum.example/thread/7?page=2", FetchedAt = StorePosts.Seen, Status = 200 };
        var batch = StorePosts.Batch(rich, plain);
        store.Write(batch with { Posts = [batch.Posts[0], batch.Posts[1] with { Capture = capture }] });

        foreach (var observation in batch.Posts)
        {
            var fromBatch = SearchDocuments.FromNew(observation.Post, observation.Post == plain ? capture : null);
            var fromStore = SearchDocuments.From(store.GetPost(observation.Post.Key)!);
            Assert.Equal(JsonSerializer.Serialize(fromStore), JsonSerializer.Serialize(fromBatch));
        }
        Assert.Equal(capture.Url, HitDetails.FromDisplay(SearchDocuments.From(store.GetPost(plain.Key)!).Display)!.Url);
    }
}
