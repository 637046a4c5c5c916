using System.Text.Json;
using Archiver.Storage;
using Archiver.Tests.Indexing;
using Archiver.Tests.Support;

namespace Archiver.Tests.Export;

/// <summary>What export options mean, as a user types them: dates, names, streaming to stdout, the summary.</summary>
public sealed class ExportOptionTests : IDisposable
{
    private readonly ExportFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private static string[] Keys(string dir) => File.ReadAllLines(Path.Combine(dir, "ids.txt")).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task Until_a_day_includes_that_whole_day_in_export_as_in_search()
    {
        using var archive = new TempArchive();
        using (var store = ArchiveStore.Open(archive.Path))
            store.Write(StorePosts.Batch(StorePosts.Make("1", "vaccine day four", day: 4), StorePosts.Make("2", "vaccine day five", day: 5), StorePosts.Make("3", "vaccine day six", day: 6)));

        var search = await Support.Cli.RunAsync("search", "--data", archive.Path, "--json", "vaccine", "--since", "2021-01-05", "--until", "2021-01-05");
        Assert.Equal(0, search.ExitCode);
        using var json = JsonDocument.Parse(search.Out);
        Assert.Equal(1, json.RootElement.GetProperty("total").GetInt64());

        var dir = archive.File("until");
        var export = await Support.Cli.RunAsync("--data", archive.Path, "-q", "export", "--format", "ids", "--out", dir, "--since", "2021-01-05", "--until", "2021-01-05");
        Assert.True(export.ExitCode == 0, export.Error);
        Assert.Equal(["telegram:t.me:news/2"], Keys(dir));

        var upTo = archive.File("up-to");
        Assert.Equal(0, (await Support.Cli.RunAsync("--data", archive.Path, "-q", "export", "--format", "ids", "--out", upTo, "--until", "2021-01-05")).ExitCode);
        Assert.Equal(["telegram:t.me:news/1", "telegram:t.me:news/2"], Keys(upTo));
    }

    [Fact]
    public async Task Until_a_day_includes_that_whole_day_in_crawl_too()
    {
        using var archive = new TempArchive();
        await using var replica = await Archiver.Replica.ReplicaHost.StartAsync(new Archiver.Replica.ReplicaOptions { Seed = 3, Size = Archiver.Replica.ReplicaSize.Small, LogRequests = false }, TestContext.Current.CancellationToken);
        var truth = replica.Truth();
        var channel = replica.Network.Channels.OrderByDescending(c => truth.TelegramPosts(c).Count()).First();
        var posts = truth.TelegramPosts(channel).Where(p => p.CreatedAt is not null).ToList();
        // A day in the middle of the channel's history, with posts before and after it.
        var day = posts.Select(p => p.CreatedAt!.Value.Date).Distinct().Order().ElementAt(posts.Select(p => p.CreatedAt!.Value.Date).Distinct().Count() / 2);
        var expected = posts.Where(p => p.CreatedAt!.Value.Date == day).Select(p => Archiver.Model.PostKey.Of(p.Platform, p.Host, p.NativeId)).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        var seed = replica.Seeds.Single(s => s.EndsWith("/s/" + channel.Name, StringComparison.Ordinal));
        var date = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var crawl = await Support.Cli.RunAsync("crawl", "--data", archive.Path, "--allow-private", "--rate", "0", "--no-media", "--no-index", "-q", "--since", date, "--until", date, seed);

        Assert.True(crawl.ExitCode == 0, crawl.Error);
        using var store = ArchiveStore.Open(archive.Path, readOnly: true);
        var archived = store.ScanPosts().Where(p => p.Post.Platform == "telegram").Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, archived);
    }

    [Theory]
    [InlineData("export")]
    [InlineData("search")]
    public async Task Help_of_search_and_export_says_until_includes_the_whole_day(string command)
    {
        var help = await Support.Cli.RunAsync(command, "--help");
        var line = help.Out.Split('\n').Single(l => l.Contains("--until", StringComparison.Ordinal));
        Assert.Contains("inclusive", line, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("whole day", line);
    }

    [Theory]
    [InlineData("--platform", "telegrm", "telegram")]
    [InlineData("--channel", "alice_nws", "alice_news")]
    [InlineData("--fields", "text,txet", "author_handle")]
    public async Task Unknown_platform_channel_or_field_is_an_error_listing_the_known_ones(string option, string value, string known)
    {
        var dir = _fixture.Out("unknown");
        var result = await Support.Cli.RunAsync("--data", _fixture.Data, "export", "--format", "jsonl", "--out", dir, option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(value.Split(',').Last(), result.Error);
        Assert.Contains(known, result.Error);
        Assert.False(Directory.Exists(dir));
        Assert.Empty(Directory.EnumerateDirectories(_fixture.Archive.Path, ".unknown.partial-*"));
    }

    [Fact]
    public async Task Out_dash_streams_jsonl_posts_to_stdout_and_the_summary_to_stderr()
    {
        var result = await Support.Cli.RunAsync("--data", _fixture.Data, "export", "--format", "jsonl", "--out", "-");
        Assert.True(result.ExitCode == 0, result.Error);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var keys = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("key").GetString()).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal([ExportFixture.BobKey, ExportFixture.AliceKey, ExportFixture.GoneKey], keys);
        Assert.Contains("Exported 3 posts", result.Error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_fixture.Archive.Path, "*manifest*", SearchOption.AllDirectories));
        Assert.False(File.Exists("-") || Directory.Exists("-"));
    }

    [Fact]
    public async Task Out_dash_streams_csv_that_python_reads_back()
    {
        var result = await Support.Cli.RunAsync("--data", _fixture.Data, "-q", "export", "--format", "csv", "--out", "-");
        Assert.True(result.ExitCode == 0, result.Error);
        var file = _fixture.Out("streamed.csv");
        await File.WriteAllTextAsync(file, result.Out, TestContext.Current.CancellationToken);
        var rows = await CsvReadBackTests.PythonCsvAsync(file);
        Assert.Equal(3, rows.Count);
        Assert.Equal(ExportFixture.Alice.Text.Insert(0, "'"), rows.Single(r => r["key"] == ExportFixture.AliceKey)["text"]);
    }

    [Theory]
    [InlineData("parquet")]
    [InlineData("warc")]
    public async Task Out_dash_is_refused_for_formats_that_are_not_a_stream_of_lines(string format)
    {
        var result = await Support.Cli.RunAsync("--data", _fixture.Data, "export", "--format", format, "--out", "-");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--out -", result.Error);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_summary_counts_agree_with_the_files_it_lists(bool withMedia)
    {
        var dir = _fixture.Out("summary-" + withMedia);
        var result = await Support.Cli.RunAsync(["--data", _fixture.Data, "export", "--format", "jsonl", "--out", dir, .. withMedia ? new[] { "--with-media" } : []]);
        Assert.True(result.ExitCode == 0, result.Error);
        var mediaRows = File.ReadAllLines(Path.Combine(dir, "media.jsonl")).Length;
        var mediaFiles = Directory.Exists(Path.Combine(dir, "media")) ? Directory.GetFiles(Path.Combine(dir, "media")).Length : 0;
        Assert.Equal(1, mediaRows);
        Assert.Equal(withMedia ? 1 : 0, mediaFiles);
        var summary = result.Out.Split('\n')[0];
        Assert.Contains("3 posts", summary);
        Assert.Contains($"2 authors", summary);
        Assert.Contains($"{mediaRows} media", summary);
        Assert.Contains(withMedia ? $"{mediaFiles} file copied" : "files not copied", summary);
        Assert.DoesNotContain("0 media", summary);
        using var package = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "datapackage.json"), TestContext.Current.CancellationToken));
        var counts = package.RootElement.GetProperty("archiver").GetProperty("counts");
        Assert.Equal(mediaRows, counts.GetProperty("media").GetInt64());
        Assert.Equal(mediaFiles, counts.GetProperty("media_files").GetInt64());
    }
}
