using System.Text.Json;
using Archiver.Benchmarks;
using Archiver.Model;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Commands;

/// <summary><c>archiver events</c>: oldest first, filters, --json, bad input, and reading while a writer runs.</summary>
public sealed class EventsCommandTests
{
    private static readonly DateTime Day1 = new(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Day2 = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    private static Capture Cap(string url, int status, long offset) =>
        new() { Url = url, FetchedAt = Day1, Status = status, WarcFile = "w.warc.gz", WarcOffset = offset, PayloadSha256 = new string('b', 64) };

    /// <summary>Day 1: 3 new posts of channel0..2 (watch w1); day 2: an edit, a deletion and channel1 gone (watch w2), and a failed check.</summary>
    private static async Task<ArchiveSession> ArchiveWithEvents(string dir)
    {
        var session = ArchiveSession.Open(dir, ct: TestContext.Current.CancellationToken);
        var author = new Author { Platform = "telegram", Host = "t.me", NativeId = "channel1", Handle = "channel1", Kind = "channel" };
        await session.Writer.WriteAsync(new StoreBatch { Authors = [new AuthorObservation(author, Day1.AddHours(-1), Cap("https://t.me/s/channel1", 200, 1))] });
        await session.Writer.WriteAsync(new StoreBatch
        {
            RecordEvents = true,
            WatchId = "w1",
            Posts = Enumerable.Range(0, 3).Select(i => new PostObservation(SyntheticPosts.Make(i), Day1.AddMinutes(i), Cap($"https://t.me/s/channel{i}", 200, 10 + i))).ToList(),
        });
        await session.Writer.WriteAsync(new StoreBatch
        {
            RecordEvents = true,
            WatchId = "w2",
            Posts = [new PostObservation(SyntheticPosts.Make(0, edition: 1), Day2, Cap("https://t.me/s/channel0", 200, 20))],
            Disappearances =
            [
                new Disappearance(SyntheticPosts.Make(2).Key, DisappearanceKind.Post, Day2.AddMinutes(1), 404, "post not found", Cap("https://t.me/channel2/2", 404, 21)),
                new Disappearance(author.Key, DisappearanceKind.Author, Day2.AddMinutes(2), 451, "blocked", Cap("https://t.me/s/channel1", 451, 22)),
            ],
            Events = [new ArchiveEvent { Id = "ev-failed-1", Type = ArchiveEventType.CheckFailed, ObservedAt = Day2.AddMinutes(3), Platform = "mastodon", Channel = "alice", Detail = "connection refused" }],
        });
        return session;
    }

    [Fact]
    public async Task Lists_events_oldest_first_with_filters_while_the_writer_still_runs()
    {
        using var dir = new TempArchive();
        // The session stays open (the writer lock held) while `events` reads its snapshot.
        await using var session = await ArchiveWithEvents(dir.Path);

        var all = await Support.Cli.RunAsync("events", "--data", dir.Path);
        Assert.True(all.ExitCode == 0, all.Error);
        var lines = all.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(7, lines.Length);
        Assert.StartsWith("2026-03-01 09:00:00Z  new-post  telegram:channel0", lines[0]);
        Assert.Contains("edited  telegram:channel0", lines[3]);
        Assert.Contains("deleted  telegram:channel2", lines[4]);
        Assert.Contains("HTTP 404: post not found", lines[4]);
        Assert.Contains("evidence w.warc.gz@21", lines[4]);
        Assert.Contains("channel-gone  telegram:channel1", lines[5]);
        Assert.Contains("check-failed  mastodon:alice", lines[6]);

        var json = await Support.Cli.RunAsync("events", "--data", dir.Path, "--json", "--type", "deleted,channel-gone");
        Assert.True(json.ExitCode == 0, json.Error);
        using var doc = JsonDocument.Parse(json.Out);
        var items = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(["deleted", "channel-gone"], items.Select(i => i.GetProperty("type").GetString()));
        var gone = items[1];
        Assert.Equal("channel1", gone.GetProperty("channel").GetString());
        Assert.Equal("w2", gone.GetProperty("watch_id").GetString());
        Assert.Equal(451, gone.GetProperty("evidence").GetProperty("http_status").GetInt32());
        Assert.Equal(22, gone.GetProperty("evidence").GetProperty("warc_offset").GetInt64());
        Assert.StartsWith("ev-", gone.GetProperty("id").GetString());

        Assert.Equal(3, Count(await Support.Cli.RunAsync("events", "--data", dir.Path, "--json", "--until", "2026-03-01")));
        Assert.Equal(4, Count(await Support.Cli.RunAsync("events", "--data", dir.Path, "--json", "--since", "2026-03-02")));
        // The failed check was stated in w2's batch: it carries that watch too.
        Assert.Equal(4, Count(await Support.Cli.RunAsync("events", "--data", dir.Path, "--json", "--watch", "w2")));
        Assert.Equal(2, Count(await Support.Cli.RunAsync("events", "--data", dir.Path, "--json", "--channel", "telegram:channel0")));
        // channel1: its new post and its takedown.
        Assert.Equal(2, Count(await Support.Cli.RunAsync("events", "--data", dir.Path, "--json", "--channel", "@channel1")));
        var last = await Support.Cli.RunAsync("events", "--data", dir.Path, "--json", "--limit", "2");
        using var lastDoc = JsonDocument.Parse(last.Out);
        Assert.Equal(["channel-gone", "check-failed"], lastDoc.RootElement.EnumerateArray().Select(i => i.GetProperty("type").GetString()));
        Assert.Equal(1, Count(await Support.Cli.RunAsync("events", "--data", dir.Path, "--json", "--type", "NewPost", "--since", "2026-03-01T09:01:00Z", "--until", "2026-03-01T09:01:30Z")));
    }

    private static int Count(Support.Cli.Result result)
    {
        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        return doc.RootElement.GetArrayLength();
    }

    [Theory]
    [InlineData("--type", "renamed", "--type 'renamed' is not an event type")]
    [InlineData("--since", "yesterday-ish", "--since 'yesterday-ish' is not a date")]
    [InlineData("--until", "2026-13-45", "--until '2026-13-45' is not a date")]
    [InlineData("--limit", "0", "--limit must be at least 1")]
    public async Task Bad_input_is_a_usage_error_naming_the_option(string option, string value, string message)
    {
        using var dir = new TempArchive();
        await (await ArchiveWithEvents(dir.Path)).DisposeAsync();

        var result = await Support.Cli.RunAsync("events", "--data", dir.Path, option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task An_archive_without_events_says_so()
    {
        using var dir = new TempArchive();
        using (var store = ArchiveStore.Open(dir.Path)) store.Write(new StoreBatch { Posts = [new PostObservation(SyntheticPosts.Make(1), Day1)] });

        var text = await Support.Cli.RunAsync("events", "--data", dir.Path);
        var json = await Support.Cli.RunAsync("events", "--data", dir.Path, "--json");

        Assert.Equal(0, text.ExitCode);
        Assert.Contains("No events", text.Out);
        Assert.Equal(0, Count(json));
    }

    [Fact]
    public async Task An_archive_from_before_events_lists_none_and_records_them_once_a_writer_opens_it()
    {
        using var dir = new TempArchive();
        using (var store = ArchiveStore.Open(dir.Path)) store.Write(new StoreBatch { Posts = [new PostObservation(SyntheticPosts.Make(1), Day1)] });
        // As an archive written before this change: no events collection in any file.
        foreach (var file in Directory.GetFiles(dir.Path, "*.db").Where(f => !f.EndsWith("frontier.db", StringComparison.Ordinal)))
        {
            using var db = new LiteDB.LiteDatabase(new LiteDB.ConnectionString { Filename = file, Connection = LiteDB.ConnectionType.Direct, Collation = new LiteDB.Collation("en-US/Ordinal") });
            db.DropCollection("events");
            Assert.DoesNotContain("events", db.GetCollectionNames());
        }

        var before = await Support.Cli.RunAsync("events", "--data", dir.Path, "--json");
        Assert.Equal(0, Count(before));

        using (var store = ArchiveStore.Open(dir.Path))
            store.Write(new StoreBatch { RecordEvents = true, Posts = [new PostObservation(SyntheticPosts.Make(2), Day2)] });
        var after = await Support.Cli.RunAsync("events", "--data", dir.Path, "--json");
        Assert.Equal(1, Count(after));
    }
}
