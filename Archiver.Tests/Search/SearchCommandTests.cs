using System.Text.Json;
using Archiver.Indexing;
using Archiver.Storage;
using Archiver.Tests.Indexing;
using Archiver.Tests.Support;

namespace Archiver.Tests.Search;

public sealed class SearchCommandTests
{
    private static TempArchive ArchiveWith(params Archiver.Model.Post[] posts)
    {
        var archive = new TempArchive();
        using var store = ArchiveStore.Open(archive.Path);
        store.Write(StorePosts.Batch(posts));
        return archive;
    }

    [Theory]
    [InlineData("vaccin AND", "error: Query error at character 11: found the end of the query but expected")]
    [InlineData("\"covid vaccine", "error: Query error at character 1: this \"phrase\" is never closed")]
    [InlineData("colour:red", "error: Unknown field 'colour:'")]
    [InlineData("date:[2021-13-45 TO 2022-01-01}", "error: 'date:2021-13-45' is not a date")]
    public async Task A_malformed_query_exits_2_with_a_clear_message_and_no_stack_trace(string query, string message)
    {
        using var archive = ArchiveWith(StorePosts.Make("1", "vaccine"));
        var result = await Support.Cli.RunAsync("search", "--data", archive.Path, query);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith(message, result.Error);
        Assert.DoesNotContain(" at Archiver", result.Error);
        Assert.DoesNotContain("Exception", result.Error);
    }

    [Theory]
    [InlineData("--by", "colour", "error: --by 'colour': can count by author, channel, platform, lang, hashtag, domain.")]
    [InlineData("--histogram", "year", "error: --histogram 'year': expected one of day, week, month.")]
    [InlineData("--sort", "best", "error: --sort 'best': expected one of relevance, newest, oldest.")]
    [InlineData("--since", "last week", "error: --since 'last week' is not a date: expected a date like 2021-01-06, 2021-01, 2021 or 2021-01-06T10:00:00Z.")]
    public async Task Bad_options_exit_2(string option, string value, string message)
    {
        using var archive = ArchiveWith(StorePosts.Make("1", "vaccine"));
        var result = await Support.Cli.RunAsync("search", "--data", archive.Path, "vaccine", option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(message, result.Error.Trim());
    }

    [Fact]
    public async Task Searching_an_archive_whose_index_fell_behind_catches_up_first_and_prints_json()
    {
        using var archive = ArchiveWith(StorePosts.Make("1", "Vaccine rollout starts", channel: "health", day: 4), StorePosts.Make("2", "No news today", day: 5));
        var first = await Support.Cli.RunAsync("search", "--data", archive.Path, "--json", "vaccine");
        Assert.Equal(0, first.ExitCode);
        using (var store = ArchiveStore.Open(archive.Path))
            store.Write(StorePosts.Batch(StorePosts.Make("3", "Second vaccine dose", channel: "health", day: 11)));

        var result = await Support.Cli.RunAsync("search", "--data", archive.Path, "--json", "vaccine", "--sort", "newest", "--by", "channel", "--histogram", "week");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("total").GetInt64());
        var hits = root.GetProperty("hits").EnumerateArray().ToList();
        Assert.Equal(["telegram:t.me:health/3", "telegram:t.me:health/1"], hits.Select(h => h.GetProperty("key").GetString()));
        Assert.Equal("Second <mark>vaccine</mark> dose", hits[0].GetProperty("snippet").GetString());
        Assert.Equal(2, root.GetProperty("counts").GetProperty("channel")[0].GetProperty("count").GetInt64());
        Assert.Equal(["2021-01-04T00:00:00Z", "2021-01-11T00:00:00Z"], root.GetProperty("histogram").EnumerateArray().Select(b => b.GetProperty("start").GetDateTime().ToString("yyyy-MM-ddTHH:mm:ssZ")));
    }

    [Fact]
    public async Task The_terminal_output_lists_the_total_the_hits_and_the_counts()
    {
        using var archive = ArchiveWith(StorePosts.Make("1", "Riot at the capitol", channel: "dc"), StorePosts.Make("2", "Calm capitol", channel: "dc"));
        var result = await Support.Cli.RunAsync("search", "--data", archive.Path, "capitol", "--by", "channel", "--limit", "1");
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("2 matches, showing 1-1 (", result.Out);
        Assert.Contains("telegram:t.me:dc/", result.Out);
        Assert.Contains("│ dc      │ 2       │", result.Out);
    }

    [Fact]
    public async Task Index_rebuild_reports_what_it_indexed_and_a_second_writer_is_refused()
    {
        using var archive = ArchiveWith(StorePosts.Make("1", "one"), StorePosts.Make("2", "two"), StorePosts.Make("3", "three"));
        var rebuilt = await Support.Cli.RunAsync("index", "--data", archive.Path, "--rebuild", "--quiet");
        Assert.Equal(0, rebuilt.ExitCode);
        Assert.StartsWith("rebuilt: 3 posts indexed in ", rebuilt.Out);
        // The rebuild first records where the posts' languages came from (one relabelling batch: sequence 2).
        Assert.Contains("the index holds 3 posts at store sequence 2", rebuilt.Out);

        var upToDate = await Support.Cli.RunAsync("index", "--data", archive.Path);
        Assert.StartsWith("up to date: 0 posts indexed in ", upToDate.Out);

        using (var store = ArchiveStore.Open(archive.Path, readOnly: true))
        using (ArchiveIndex.OpenWriter(store))
        {
            var busy = await Support.Cli.RunAsync("index", "--data", archive.Path);
            Assert.Equal(1, busy.ExitCode);
            Assert.Contains("is in use by another archiver process", busy.Error);
            var search = await Support.Cli.RunAsync("search", "--data", archive.Path, "two");
            Assert.Equal(0, search.ExitCode);
            Assert.StartsWith("1 match, showing 1-1", search.Out);
            Assert.StartsWith("note: the index is being written by another archiver process", search.Error);
        }
    }
}
