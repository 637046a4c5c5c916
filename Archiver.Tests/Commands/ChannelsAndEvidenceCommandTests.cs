using System.Text.Json;
using Archiver.Model;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Commands;

/// <summary><c>show</c> and <c>channels</c> state deletions and takedowns with the response that showed them.</summary>
public sealed class ChannelsAndEvidenceCommandTests : IDisposable
{
    private static readonly DateTime T0 = new(2026, 2, 1, 8, 0, 0, DateTimeKind.Utc);
    private readonly TempArchive _dir = new();

    private static Post Make(string channel, int id, string text) => new()
    {
        Platform = "telegram",
        Host = "t.me",
        NativeId = $"{channel}/{id}",
        Url = $"https://t.me/{channel}/{id}",
        Channel = channel,
        Text = text,
        CreatedAt = T0.AddHours(-id),
        Extra = id == 3 ? new Dictionary<string, string> { ["edited"] = "true" } : new Dictionary<string, string>(),
    };

    private static Archiver.Model.Capture CaptureOf(string url, int status, long offset) =>
        new() { Url = url, FetchedAt = T0.AddDays(1), Status = status, WarcFile = "archiver-0002.warc.gz", WarcOffset = offset };

    public ChannelsAndEvidenceCommandTests()
    {
        using var store = ArchiveStore.Open(_dir.Path);
        var first = CaptureOf("https://t.me/s/news", 200, 10);
        store.Write(new StoreBatch
        {
            Posts = [.. Enumerable.Range(1, 4).Select(i => new PostObservation(Make("news", i, $"post {i}"), T0, first)), new PostObservation(Make("closed", 1, "bye"), T0, first)],
            Authors = [new AuthorObservation(new Author { Platform = "telegram", Host = "t.me", NativeId = "news", Handle = "news", Kind = "channel" }, T0, first),
                new AuthorObservation(new Author { Platform = "telegram", Host = "t.me", NativeId = "closed", Handle = "closed", Kind = "channel" }, T0, first)],
        });
        store.Write(new StoreBatch { Posts = [new PostObservation(Make("news", 1, "post 1, corrected"), T0.AddDays(1), first)] });
        store.Write(new StoreBatch
        {
            Disappearances =
            [
                new Disappearance("telegram:t.me:news/2", DisappearanceKind.Post, T0.AddDays(1), 200, "missing from the listing of news (1-4)", CaptureOf("https://t.me/s/news", 200, 2048)),
                new Disappearance("telegram:t.me:closed", DisappearanceKind.Author, T0.AddDays(1), 451, "HTTP 451 from https://t.me/s/closed", CaptureOf("https://t.me/s/closed", 451, 4096)),
            ],
        });
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Show_gives_the_evidence_of_a_deletion_with_the_warc_record_of_the_response()
    {
        var json = await Support.Cli.RunAsync("show", "telegram:t.me:news/2", "--data", _dir.Path, "--json");
        var text = await Support.Cli.RunAsync("show", "telegram:t.me:news/2", "--data", _dir.Path);

        Assert.Equal(0, json.ExitCode);
        using var doc = JsonDocument.Parse(json.Out);
        var deletion = doc.RootElement.GetProperty("deletion");
        Assert.Equal(200, deletion.GetProperty("http_status").GetInt32());
        Assert.Equal("missing from the listing of news (1-4)", deletion.GetProperty("reason").GetString());
        Assert.Equal("archiver-0002.warc.gz", deletion.GetProperty("warc_file").GetString());
        Assert.Equal(2048, deletion.GetProperty("warc_offset").GetInt64());
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("missing from the listing of news (1-4)", text.Out);
        Assert.Contains("archiver-0002.warc.gz@2048", text.Out);
    }

    [Fact]
    public async Task Channels_lists_status_evidence_and_counts_of_every_channel()
    {
        var result = await Support.Cli.RunAsync("channels", "--data", _dir.Path, "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        var rows = doc.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        Assert.Equal(2, rows.Count);
        var news = rows["news"];
        Assert.Equal("active", news.GetProperty("status").GetString());
        Assert.Equal(4, news.GetProperty("posts").GetInt64());
        Assert.Equal(2, news.GetProperty("edited").GetInt64()); // one observed edit, one labelled "edited" by Telegram
        Assert.Equal(1, news.GetProperty("deleted").GetInt64());
        var closed = rows["closed"];
        Assert.Equal("gone", closed.GetProperty("status").GetString());
        Assert.Equal(T0.AddDays(1), closed.GetProperty("gone_at").GetDateTime());
        Assert.Equal(451, closed.GetProperty("evidence").GetProperty("http_status").GetInt32());
        Assert.Equal(4096, closed.GetProperty("evidence").GetProperty("warc_offset").GetInt64());
        Assert.Equal(1, closed.GetProperty("posts").GetInt64());
        Assert.Equal(0, closed.GetProperty("deleted").GetInt64());

        var table = await Support.Cli.RunAsync("channels", "--data", _dir.Path);
        Assert.Contains("gone", table.Out);
        Assert.Contains("2 channels and accounts, 1 gone.", table.Out);
    }

    [Fact]
    public async Task Channels_lists_each_crawled_feed_once_with_its_posts_and_last_check()
    {
        using var data = new TempArchive();
        await ReplicaCrawl.IntoAsync(data.Path, "feed");

        var result = await Support.Cli.RunAsync("channels", "--data", data.Path, "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        var feeds = doc.RootElement.EnumerateArray().Where(r => r.GetProperty("platform").GetString() == "feed").ToList();
        Assert.NotEmpty(feeds);
        using var store = ArchiveStore.Open(data.Path, readOnly: true);
        var titles = store.ScanPosts().Where(p => p.Post.Platform == "feed").Select(p => p.Post.Channel).Distinct().Order(StringComparer.Ordinal).ToList();
        // One row per feed, named by the title its items carry, with those items counted and the crawl's check on it.
        Assert.Equal(titles, feeds.Select(f => f.GetProperty("name").GetString()).Order(StringComparer.Ordinal).ToList());
        Assert.All(feeds, f => Assert.True(f.GetProperty("posts").GetInt64() > 0));
        Assert.All(feeds, f => Assert.Equal(JsonValueKind.String, f.GetProperty("last_check").ValueKind));
        Assert.Equal(store.ScanPosts().Count(p => p.Post.Platform == "feed"), feeds.Sum(f => f.GetProperty("posts").GetInt64()));
    }
}
