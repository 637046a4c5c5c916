using Archiver.Search;

namespace Archiver.Tests.Search;

public sealed class PostIndexTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "archiver-index-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_path)) Directory.Delete(_path, recursive: true);
    }

    private static SearchDocument Post(string key, string text) => new() { Key = key, Platform = "telegram", Text = text };

    [Fact]
    public void A_second_writer_gets_an_index_in_use_error()
    {
        using var first = PostIndex.Open(_path);
        var e = Assert.Throws<IndexBusyException>(() => PostIndex.Open(_path));
        Assert.Contains("is in use by another archiver process", e.Message);
    }

    [Fact]
    public void Small_commits_one_after_another_leave_few_segments()
    {
        // A watcher commits after each check: one tiny segment each, and every query pays per segment.
        using (var index = PostIndex.Open(_path))
        {
            for (var i = 0; i < 9; i++)
            {
                index.Upsert(Post("k" + i, "check " + i));
                index.Commit(storeSequence: i + 1);
            }
        }
        using var reader = Lucene.Net.Index.DirectoryReader.Open(Lucene.Net.Store.FSDirectory.Open(_path));
        Assert.InRange(reader.Leaves.Count, 1, 4);
        Assert.Equal(9, reader.NumDocs);
    }

    [Fact]
    public void A_commit_records_the_store_sequence_for_the_next_open()
    {
        using (var index = PostIndex.Open(_path))
        {
            Assert.Equal(0, index.StoreSequence);
            index.Upsert(Post("a", "hello"));
            index.Commit(storeSequence: 42);
        }
        using (var reopened = PostIndex.Open(_path)) Assert.Equal(42, reopened.StoreSequence);
        using var readOnly = PostIndex.OpenReadOnly(_path);
        Assert.Equal(42, readOnly.StoreSequence);
        Assert.Equal(1, readOnly.Search(new SearchRequest { Query = "hello" }).Total);
    }

    [Fact]
    public void Upserting_an_edited_post_replaces_it()
    {
        using var index = PostIndex.Open(_path);
        index.Upsert(Post("a", "first words"));
        index.Refresh();
        index.Upsert(Post("a", "second words"));
        index.Refresh();
        Assert.Equal(0, index.Search(new SearchRequest { Query = "first" }).Total);
        Assert.Equal(1, index.Search(new SearchRequest { Query = "second" }).Total);
        Assert.Equal(1, index.DocumentCount);
    }

    [Fact]
    public void A_read_only_index_sees_new_commits_of_the_writer()
    {
        using var writer = PostIndex.Open(_path);
        writer.Upsert(Post("a", "alpha"));
        writer.Commit(1);
        using var reader = PostIndex.OpenReadOnly(_path);
        Assert.Equal(0, reader.Search(new SearchRequest { Query = "beta" }).Total);
        writer.Upsert(Post("b", "beta"));
        writer.Commit(2);
        Assert.Equal(1, reader.Search(new SearchRequest { Query = "beta" }).Total);
    }
}
