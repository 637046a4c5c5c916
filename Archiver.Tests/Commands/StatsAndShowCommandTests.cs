using System.Text.Json;
using Archiver.Benchmarks;
using Archiver.Model;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Commands;

public sealed class StatsAndShowCommandTests : IDisposable
{
    private static readonly DateTime T0 = new(2026, 2, 1, 8, 0, 0, DateTimeKind.Utc);
    private readonly TempArchive _dir = new();

    public StatsAndShowCommandTests()
    {
        using var store = ArchiveStore.Open(_dir.Path);
        var capture = new Archiver.Model.Capture { Url = "https://t.me/s/channel1", FetchedAt = T0, Status = 200, PayloadSha256 = new string('b', 64), WarcFile = "archiver-0001.warc.gz", WarcOffset = 1234 };
        store.Write(new StoreBatch { Posts = Enumerable.Range(0, 20).Select(i => new PostObservation(SyntheticPosts.Make(i), T0, capture)).ToList() });
        store.Write(new StoreBatch { Posts = [new PostObservation(SyntheticPosts.Make(1, edition: 1), T0.AddDays(1), capture)] });
        store.Write(new StoreBatch { Disappearances = [new Disappearance(SyntheticPosts.Make(2).Key, DisappearanceKind.Post, T0.AddDays(2), 404, "gone from the channel page")] });
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Stats_as_json_gives_counts_by_platform_channel_and_status()
    {
        var result = await Support.Cli.RunAsync("stats", "--data", _dir.Path, "--json", "--top", "100");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal(20, root.GetProperty("posts").GetInt64());
        Assert.Equal(1, root.GetProperty("posts_deleted").GetInt64());
        Assert.Equal(1, root.GetProperty("versions").GetInt64());
        var platform = root.GetProperty("by_platform")[0];
        Assert.Equal("telegram", platform.GetProperty("key").GetString());
        Assert.Equal(20, platform.GetProperty("value").GetInt64());
        Assert.Equal(20, root.GetProperty("top_channels").EnumerateArray().Sum(c => c.GetProperty("value").GetInt64()));
    }

    [Fact]
    public async Task Stats_prints_a_readable_table()
    {
        var result = await Support.Cli.RunAsync("stats", "--data", _dir.Path);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("telegram", result.Out);
        Assert.Contains("deleted", result.Out);
    }

    [Fact]
    public async Task Show_by_key_prints_the_versions_and_the_provenance()
    {
        var key = SyntheticPosts.Make(1).Key;

        var result = await Support.Cli.RunAsync("show", key, "--data", _dir.Path, "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var current = json.RootElement.GetProperty("current");
        Assert.Equal(2, current.GetProperty("version").GetInt32());
        Assert.Equal("archiver-0001.warc.gz", current.GetProperty("capture").GetProperty("warc_file").GetString());
        Assert.Equal(1234, current.GetProperty("capture").GetProperty("warc_offset").GetInt64());
        var history = json.RootElement.GetProperty("history");
        Assert.Equal(1, history.GetArrayLength());
        Assert.Equal(SyntheticPosts.Make(1).Text, history[0].GetProperty("post").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Show_by_url_finds_the_post_and_marks_deletions()
    {
        var result = await Support.Cli.RunAsync("show", SyntheticPosts.Make(2).Url!, "--data", _dir.Path);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("deleted", result.Out);
        Assert.Contains("HTTP 404", result.Out);
    }

    [Fact]
    public async Task Show_of_an_unknown_post_fails_with_exit_1_and_says_what_to_use()
    {
        var result = await Support.Cli.RunAsync("show", "telegram:t.me:nope/1", "--data", _dir.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No post", result.Error);
    }

    [Fact]
    public async Task An_unknown_flag_is_bad_usage_with_exit_2()
    {
        var result = await Support.Cli.RunAsync("stats", "--no-such-flag");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--no-such-flag", result.Error);
    }

    [Fact]
    public async Task Stats_on_a_missing_archive_fails_with_a_hint()
    {
        var result = await Support.Cli.RunAsync("stats", "--data", _dir.File("missing"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No archive", result.Error);
    }
}
