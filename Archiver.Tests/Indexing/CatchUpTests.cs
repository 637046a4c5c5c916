using Archiver.Indexing;
using Archiver.Search;
using Archiver.Storage;
using Archiver.Tests.Support;
using static Archiver.Tests.Support.IndexCounts;

namespace Archiver.Tests.Indexing;

public sealed class CatchUpTests
{

    [Fact]
    public void Posts_stored_after_the_last_index_commit_are_indexed_when_the_index_is_opened()
    {
        using var archive = new TempArchive();
        using var store = ArchiveStore.Open(archive.Path);
        store.Write(StorePosts.Batch(StorePosts.Make("1", "first vaccine post"), StorePosts.Make("2", "second vaccine post")));
        using (var index = ArchiveIndex.Open(store, ct: TestContext.Current.CancellationToken))
        {
            Assert.Equal(2, Count(index, "vaccine"));
            Assert.Equal(store.Sequence, index.StoreSequence);
        }

        // The crash window: the store committed, the index never heard of it.
        var missed = store.Write(StorePosts.Batch(StorePosts.Make("3", "third vaccine post, written while no index followed")));

        using var reopened = ArchiveIndex.Open(store, ct: TestContext.Current.CancellationToken);
        Assert.Equal(missed.Sequence, reopened.StoreSequence);
        Assert.Equal(3, Count(reopened, "vaccine"));
        Assert.Equal(1, Count(reopened, "followed"));
        Assert.Equal(3, reopened.DocumentCount);
    }

    [Fact]
    public void Catching_up_replaces_edited_posts_and_flags_deleted_ones()
    {
        using var archive = new TempArchive();
        using var store = ArchiveStore.Open(archive.Path);
        var post = StorePosts.Make("1", "original wording");
        store.Write(StorePosts.Batch(post, StorePosts.Make("2", "other")));
        using (ArchiveIndex.Open(store, ct: TestContext.Current.CancellationToken))
        {
        }
        store.Write(new StoreBatch { Posts = [new PostObservation(post with { Text = "corrected wording" }, StorePosts.Seen.AddHours(1))] });
        store.Write(new StoreBatch { Disappearances = [new Disappearance(StorePosts.Make("2", "other").Key, DisappearanceKind.Post, StorePosts.Seen.AddHours(2), 404, "not found")] });

        using var index = ArchiveIndex.Open(store, ct: TestContext.Current.CancellationToken);
        Assert.Equal(0, Count(index, "original"));
        Assert.Equal(1, Count(index, "corrected AND is:edited"));
        var deleted = Assert.Single(index.Search(new SearchRequest { Query = "is:deleted" }).Hits);
        Assert.Equal(StorePosts.Make("2", "other").Key, deleted.Key);
        Assert.True(deleted.Deleted);
        Assert.Equal(2, index.DocumentCount);
    }

    [Fact]
    public void A_rebuild_indexes_every_post_once_and_snippets_come_from_the_store()
    {
        using var archive = new TempArchive();
        using var store = ArchiveStore.Open(archive.Path);
        store.Write(StorePosts.Batch(Enumerable.Range(0, 30).Select(i => StorePosts.Make($"{i}", $"post number {i} about élections", day: 1 + i % 10)).ToArray()));
        using var index = ArchiveIndex.Open(store, ct: TestContext.Current.CancellationToken);
        Assert.Equal(30, ArchiveIndex.Rebuild(store, index, ct: TestContext.Current.CancellationToken));
        Assert.Equal(30, index.DocumentCount);
        var hit = Assert.Single(index.Search(new SearchRequest { Query = "\"number 7 about\"" }).Hits);
        Assert.Equal("post [number] [7] [about] élections", hit.Snippet!.Render(t => t, m => "[" + m + "]"));
        Assert.Equal([("example.org", 30L)], index.Search(new SearchRequest { Query = "elections", CountBy = [IndexFields.Domain] }).Counts[0].Top.Select(v => (v.Value, v.Count)));
    }
}
