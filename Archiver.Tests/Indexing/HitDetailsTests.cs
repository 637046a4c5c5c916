using Archiver.Cli;
using Archiver.Indexing;
using Archiver.Model;
using Archiver.Search;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Indexing;

public sealed class HitDetailsTests
{
    [Fact]
    public void What_the_index_keeps_reads_back_as_it_was_written()
    {
        var details = new HitDetails("https://t.me/новости/5", "telegram", "новости", "Новости \"дня\" <b>", "новости", "Тема: выборы", "ru-RU",
            ["photo", "photo", "video"], HasText: false);
        Assert.Equal(details with { MediaKinds = [] }, HitDetails.FromDisplay(details.ToDisplay())! with { MediaKinds = [] });
        Assert.Equal(["photo", "photo", "video"], HitDetails.FromDisplay(details.ToDisplay())!.MediaKinds);

        var bare = new HitDetails(null, "site", null, null, null, null, null, [], HasText: true);
        Assert.Equal(bare with { MediaKinds = [] }, HitDetails.FromDisplay(bare.ToDisplay())! with { MediaKinds = [] });
        Assert.Empty(HitDetails.FromDisplay(bare.ToDisplay())!.MediaKinds);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("{\"p\":\"telegram\"")]
    [InlineData("[1,2]")]
    [InlineData("{\"p\":\"telegram\",\"x\":\"yes\"}")]
    [InlineData("{\"p\":\"telegram\",\"x\":true,\"m\":\"photo\"}")]
    public void A_display_value_not_in_its_form_is_no_details_so_the_store_is_asked(string? display) =>
        Assert.Null(HitDetails.FromDisplay(display));

    [Fact]
    public void Hits_show_the_same_details_from_the_index_as_the_store_would_give()
    {
        using var archive = new TempArchive();
        using var store = ArchiveStore.Open(archive.Path);
        var withMedia = StorePosts.Make("1", "") with
        {
            AuthorName = "Новости",
            Media = [new MediaRef { Kind = "photo" }, new MediaRef { Kind = "photo" }, new MediaRef { Kind = "video" }],
        };
        var forum = StorePosts.Make("2", "budget participatif", channel: "1001") with
        {
            Platform = "forum",
            Url = null,
            Extra = new Dictionary<string, string> { [SearchDocuments.ChannelTitleKey] = "Budget 2025" },
        };
        var capture = new Capture { Url = "https://forum.example/t/1001?page=3", FetchedAt = StorePosts.Seen, Status = 200 };
        var edited = StorePosts.Make("3", "first words", lang: "fr-CA");
        var batch = StorePosts.Batch(withMedia, forum, edited);
        store.Write(batch with { Posts = [batch.Posts[0], batch.Posts[1] with { Capture = capture }, batch.Posts[2]] });
        store.Write(StorePosts.Batch(edited with { Text = "second words", AuthorName = "Renamed" }));

        using var index = ArchiveIndex.Open(store, ct: TestContext.Current.CancellationToken);
        var results = index.Search(new SearchRequest { Query = "*:*", Limit = 10 });
        Assert.Equal(3, results.Hits.Count);
        Assert.All(results.Hits, hit => Assert.NotNull(hit.Display));
        var details = SearchOutput.Details(store, results);
        foreach (var hit in results.Hits)
            Assert.Equal(Comparable(HitDetails.Of(store.GetPost(hit.Key)!)), Comparable(details[hit.Key]));
        Assert.Equal(capture.Url, details[forum.Key].Url);
        Assert.Equal("Renamed", details[edited.Key].AuthorName);
        Assert.Equal("[2 photos, video]", SearchOutput.From(new SearchRequest { Query = "*:*" }, results, details).Hits.Single(h => h.Key == withMedia.Key).SnippetText);
    }

    [Fact]
    public void Hits_indexed_before_details_were_kept_are_read_from_the_store()
    {
        using var archive = new TempArchive();
        using var store = ArchiveStore.Open(archive.Path);
        var post = StorePosts.Make("1", "old words") with { AuthorName = "Someone" };
        store.Write(StorePosts.Batch(post));
        var results = new SearchResults { Total = 1, Hits = [new SearchHit { Key = post.Key, Display = null }] };

        var details = SearchOutput.Details(store, results);

        Assert.Equal(Comparable(HitDetails.Of(store.GetPost(post.Key)!)), Comparable(details[post.Key]));
        Assert.Equal("Someone", details[post.Key].AuthorName);
    }

    /// <summary>Records compare lists by reference: every field, the kinds as text.</summary>
    private static string Comparable(HitDetails d) => (d with { MediaKinds = [] }) + " " + string.Join(",", d.MediaKinds);
}
