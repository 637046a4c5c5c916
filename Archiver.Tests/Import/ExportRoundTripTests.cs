using System.Text.Json;
using Archiver.Model;
using Archiver.Storage;
using Archiver.Tests.Export;

namespace Archiver.Tests.Import;

/// <summary>
/// Archiver's own JSONL export imported into a new archive and exported again gives the same bytes: posts
/// (with their earlier versions), authors and media, also as CSV.
/// </summary>
public sealed class ExportRoundTripTests : IDisposable
{
    private static readonly DateTime Seen4 = new(2024, 3, 4, 9, 30, 15, 250, DateTimeKind.Utc);
    private readonly ExportFixture _fixture = new();

    public ExportRoundTripTests()
    {
        // More variety than the export fixture: other platforms, unicode, markup, forwards, full media details,
        // an author seen again later (last_seen after first_seen), a post with a null text-like field set.
        using var store = ArchiveStore.Open(_fixture.Data);
        store.Write(new StoreBatch
        {
            Posts =
            [
                new(new Post
                {
                    Platform = "parler", Host = "parler.com", NativeId = "a1b2c3", Url = "https://parler.com/post/a1b2c3", AuthorId = "u-77",
                    AuthorHandle = "patriot_joe", AuthorName = "Joe 🇺🇸", CreatedAt = new DateTime(2021, 1, 6, 18, 30, 2, DateTimeKind.Utc),
                    Text = "Stop the count! «кавычки» حرية 🗳️\nzweite Zeile\ttab", Hashtags = ["election2020", "ünïcode"], Likes = 120, Views = 5400,
                    Media = [new MediaRef { Kind = "video", Url = "https://video.parler.com/x.mp4", Mime = "video/mp4", Width = 640, Height = 360, DurationSeconds = 12.345, Title = "clip \"one\"" }],
                }, Seen4),
                new(new Post
                {
                    Platform = "telegram", Host = "t.me", NativeId = "канал/12", Url = "https://t.me/канал/12", Channel = "канал", AuthorHandle = "канал",
                    CreatedAt = new DateTime(2023, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc), Kind = PostKinds.Forward, ForwardedFrom = "Источник",
                    ForwardedUrl = "https://t.me/source/5", Text = "", Html = "<b>жирный</b> &amp; <a href=\"https://x.org\">x</a>", Links = ["https://x.org/"],
                    Media = [new MediaRef { Kind = "photo" }, new MediaRef { Kind = "link_preview", Url = "https://x.org/", Title = "X", Description = "d|e\\f" }],
                    Extra = new Dictionary<string, string> { ["z"] = "last", ["a"] = "first", ["ünï"] = "{\"nested\":[1,2]}" },
                }, Seen4, ExportFixture.AliceCapture with { Url = "https://t.me/s/канал", WarcOffset = 99_000 }),
            ],
            Authors =
            [
                new(new Author { Platform = "telegram", Host = "t.me", NativeId = "alice_news", Handle = "alice_news", DisplayName = "Alice Newsroom", Kind = "channel", Followers = 5100, Url = "https://t.me/alice_news" }, Seen4),
                new(new Author { Platform = "parler", Host = "parler.com", NativeId = "u-77", Handle = "patriot_joe", DisplayName = "Joe 🇺🇸", Followers = 1500, CreatedAt = new DateTime(2020, 5, 5, 0, 0, 0, DateTimeKind.Utc), Extra = new Dictionary<string, string> { ["verified"] = "false" } }, Seen4,
                    ExportFixture.AliceCapture with { Url = "https://parler.com/profile/patriot_joe" }),
            ],
            Disappearances = [new Disappearance("parler:parler.com:u-77", DisappearanceKind.Author, Seen4, 404, "HTTP 404")],
        });
    }

    public void Dispose() => _fixture.Dispose();

    private async Task<string> ExportAsync(string data, string name, string format, params string[] extra)
    {
        var dir = _fixture.Out(name);
        var result = await Support.Cli.RunAsync(["--data", data, "--quiet", "export", "--format", format, "--out", dir, .. extra]);
        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        return dir;
    }

    private static async Task<Support.Cli.Result> ImportAsync(string data, params string[] args)
    {
        var result = await Support.Cli.RunAsync(["import", .. args, "--data", data, "--no-index", "--json"]);
        // Rows that could not be imported make the import exit 1 (the tests check which ones).
        var expected = result.Out.Contains("\"bad_lines\": 0", StringComparison.Ordinal) ? 0 : 1;
        Assert.True(result.ExitCode == expected, result.Error + result.Out);
        return result;
    }

    private static void AssertSameFiles(string first, string second, params string[] files)
    {
        foreach (var file in files)
        {
            var a = File.ReadAllBytes(Path.Combine(first, file));
            var b = File.ReadAllBytes(Path.Combine(second, file));
            Assert.True(a.AsSpan().SequenceEqual(b), $"{file} differs:\n--- first\n{System.Text.Encoding.UTF8.GetString(a)}\n--- second\n{System.Text.Encoding.UTF8.GetString(b)}");
        }
    }

    private static Dictionary<string, long> RowCounts(string dir)
    {
        using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "datapackage.json")));
        return package.RootElement.GetProperty("resources").EnumerateArray()
            .Where(r => r.TryGetProperty("rows", out _)).ToDictionary(r => r.GetProperty("path").GetString()!, r => r.GetProperty("rows").GetInt64());
    }

    [Fact]
    public async Task Jsonl_export_imported_into_a_new_archive_exports_the_same_bytes_in_jsonl_and_csv()
    {
        var original = await ExportAsync(_fixture.Data, "a-jsonl", "jsonl", "--with-history", "--with-media");
        var copy = _fixture.Out("copy");

        var imported = await ImportAsync(copy, Path.Combine(original, "posts.jsonl"));

        Assert.Contains("\"bad_lines\": 0", imported.Out);
        var again = await ExportAsync(copy, "b-jsonl", "jsonl", "--with-history", "--with-media");
        AssertSameFiles(original, again, "posts.jsonl", "authors.jsonl", "media.jsonl", $"media/{ExportFixture.MediaSha}.jpg");
        Assert.Equal(RowCounts(original), RowCounts(again));
        Assert.Equal(new Dictionary<string, long> { ["posts.jsonl"] = 7, ["authors.jsonl"] = 3, ["media.jsonl"] = 1 }, RowCounts(again));
        AssertSameFiles(await ExportAsync(_fixture.Data, "a-csv", "csv", "--with-history", "--with-media"),
            await ExportAsync(copy, "b-csv", "csv", "--with-history", "--with-media"), "posts.csv", "authors.csv", "media.csv");

        // Importing it again (all of it, --again) adds nothing: earlier versions are not replayed as new edits.
        var second = await ImportAsync(copy, Path.Combine(original, "posts.jsonl"), "--again");
        Assert.Contains("\"inserted\": 0", second.Out);
        Assert.Contains("\"edited\": 0", second.Out);
        AssertSameFiles(original, await ExportAsync(copy, "c-jsonl", "jsonl", "--with-history", "--with-media"), "posts.jsonl", "authors.jsonl", "media.jsonl");
    }

    [Fact]
    public async Task Restored_posts_keep_versions_times_deletion_and_media_details()
    {
        var original = await ExportAsync(_fixture.Data, "a-jsonl", "jsonl", "--with-history", "--with-media");
        var copy = _fixture.Out("copy");
        await ImportAsync(copy, "--format", "jsonl", Path.Combine(original, "posts.jsonl"));

        using var store = ArchiveStore.Open(copy, readOnly: true);
        var bob = store.GetPost(ExportFixture.BobKey)!;
        Assert.Equal(3, bob.Version);
        Assert.Equal(ExportFixture.Seen1, bob.FirstSeen);
        Assert.Equal(ExportFixture.Seen3, bob.VersionSeen);
        Assert.Equal([3, 4], store.GetVersions(ExportFixture.BobKey).Select(v => (int)v.Post.Likes!.Value));
        var gone = store.GetPost(ExportFixture.GoneKey)!;
        Assert.Equal((ExportFixture.Seen2, 410, "HTTP 410 on re-check"), (gone.DeletedAt!.Value, gone.DeletedStatus!.Value, gone.DeletedReason!));
        var video = store.GetPost("parler:parler.com:a1b2c3")!.Post.Media.Single();
        Assert.Equal(("video/mp4", 640, 360, 12.345, "clip \"one\""), (video.Mime!, video.Width!.Value, video.Height!.Value, video.DurationSeconds!.Value, video.Title!));
        Assert.Equal(ExportFixture.AliceCapture, store.GetPost(ExportFixture.AliceKey)!.Capture);
        var joe = store.GetAuthor("parler:parler.com:u-77")!;
        Assert.Equal((AuthorStatus.Gone, Seen4, 404), (joe.Status, joe.GoneAt!.Value, joe.GoneStatus!.Value));
        Assert.Equal(ExportFixture.MediaBytes, File.ReadAllBytes(Path.Combine(copy, store.GetMedia(ExportFixture.MediaSha)!.LocalPath)));
    }

    [Fact]
    public async Task Media_rows_without_their_files_are_reported_and_skipped()
    {
        var original = await ExportAsync(_fixture.Data, "a-jsonl", "jsonl");
        var copy = _fixture.Out("copy");

        var imported = await ImportAsync(copy, Path.Combine(original, "posts.jsonl"));

        Assert.Contains("\"bad_lines\": 1", imported.Out);
        Assert.Contains("the file is not in this export (export with --with-media", imported.Out);
        using var store = ArchiveStore.Open(copy, readOnly: true);
        Assert.Null(store.GetMedia(ExportFixture.MediaSha));
        Assert.Equal(5, store.Counters.Posts);
    }
}
