using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Archiver.Model;
using Archiver.Platforms.Parler;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Platforms.Parler;

/// <summary>
/// Issue 14, Parler: every card of a real profile page keeps its own identity; <c>crawl parler:FILE</c> works and
/// exits; dates estimated from "2 weeks ago" are measured from the capture time (the option, the page, the WARC),
/// never from the day the file happens to be read, and are marked as estimated.
/// </summary>
public sealed class ParlerFileCrawlTests
{
    private const string Mule = "parler_parser/00Mule_posts_index.html";
    private static readonly DateTime Captured = new(2021, 1, 10, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Every_card_of_a_profile_page_keeps_its_own_identity_stable_across_parses()
    {
        // The real page shows 12 cards without Parler ids: three say only "#Stopthesteal", two are image-only.
        var page = TestPages.Page("https://parler.com/profile/00Mule/posts", RepoFiles.Bytes(Mule), "text/html", fetchedAt: Captured);

        var first = new ParlerPlatform().Parse(page);
        var second = new ParlerPlatform().Parse(page);

        Assert.Equal(12, first.Posts.Count);
        Assert.Equal(12, first.Posts.Select(p => p.NativeId).Distinct().Count());
        Assert.Equal(first.Posts.Select(p => p.NativeId), second.Posts.Select(p => p.NativeId));
        Assert.Equal(3, first.Posts.Count(p => p.Text == "#Stopthesteal"));
        Assert.Equal(2, first.Posts.Count(p => p.Text.Length == 0 && p.Media.Any(m => m.Kind == "photo")));
        Assert.All(first.Posts, p => Assert.Equal("00Mule", p.AuthorHandle));
    }

    private static async Task<(int Code, string Out, string Error, TimeSpan Took)> RunAsync(params string[] args)
    {
        var clock = Stopwatch.StartNew();
        using var process = ArchiverProcess.Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var exited = process.WaitForExit(TimeSpan.FromSeconds(120));
        if (!exited) ArchiverProcess.KillHard(process);
        Assert.True(exited, "archiver did not exit within 120 s: " + string.Join(' ', args));
        return (process.ExitCode, await stdout, await stderr, clock.Elapsed);
    }

    [Fact]
    public async Task Crawling_a_saved_profile_page_from_a_file_archives_every_post_dated_from_the_given_capture_time()
    {
        using var archive = new TempArchive();

        var crawl = await RunAsync("--data", archive.Path, "crawl", "parler:" + RepoFiles.Path(Mule), "--captured-at", "2021-01-10T12:00:00Z", "--no-index");

        Assert.True(crawl.Code == 0, crawl.Error + crawl.Out);
        using (var store = ArchiveStore.Open(archive.Path, readOnly: true))
        {
            var posts = store.ScanPosts().Select(p => p.Post).ToList();
            Assert.Equal(12, posts.Count);
            Assert.All(posts, p => Assert.Equal("parler.com", p.Host));
            var tucker = posts.Single(p => p.Text.StartsWith("VIP Tucker", StringComparison.Ordinal));
            Assert.Equal(("1 week ago", "true"), (tucker.Extra["timestamp"], tucker.Extra["created_at_estimated"]));
            Assert.Equal(Captured - TimeSpan.FromDays(7), tucker.CreatedAt);
            Assert.All(posts, p => Assert.True(p.CreatedAt < Captured, $"{p.NativeId} {p.CreatedAt:O}"));
        }
        // The file is captured as a WARC resource record of its file: URL (no HTTP exchange was made up).
        var warc = Assert.Single(Directory.GetFiles(Path.Combine(archive.Path, "warc"), "*.warc.gz"));
        var text = ReadGzipMembers(warc);
        Assert.Contains("WARC-Type: resource", text);
        Assert.Contains("WARC-Target-URI: " + new Uri(RepoFiles.Path(Mule)).AbsoluteUri, text);
        Assert.DoesNotContain("WARC-Type: request", text);
    }

    [Fact]
    public async Task Without_a_capture_time_a_file_crawl_leaves_dates_unknown_instead_of_counting_back_from_today()
    {
        using var archive = new TempArchive();

        var crawl = await RunAsync("--data", archive.Path, "crawl", "parler:" + RepoFiles.Path(Mule), "--no-index");

        Assert.True(crawl.Code == 0, crawl.Error + crawl.Out);
        using var store = ArchiveStore.Open(archive.Path, readOnly: true);
        var posts = store.ScanPosts().Select(p => p.Post).ToList();
        Assert.Equal(12, posts.Count);
        Assert.All(posts, p => Assert.Null(p.CreatedAt));
        Assert.All(posts, p => Assert.Equal("no capture time: give --captured-at", p.Extra["created_at_unknown"]));
    }

    [Fact]
    public async Task A_missing_file_seed_fails_clearly_and_the_crawl_exits()
    {
        using var archive = new TempArchive();

        var crawl = await RunAsync("--data", archive.Path, "crawl", "parler:" + archive.File("nope.html"), "--no-index");

        Assert.Equal(1, crawl.Code);
        Assert.Contains("nope.html", crawl.Out + crawl.Error);
        Assert.DoesNotContain("internal error", crawl.Error);
    }

    [Fact]
    public void A_page_saved_with_singlefile_dates_its_posts_from_the_saved_date()
    {
        var saved = "<!--\n Page saved with SingleFile \n url: https://parler.com/profile/00Mule/posts \n saved date: Sun Jan 10 2021 13:00:00 GMT+0100 (Central European Standard Time)\n-->\n";
        var bytes = System.Text.Encoding.UTF8.GetBytes(saved).Concat(RepoFiles.Bytes(Mule)).ToArray();
        var page = TestPages.Page(new Uri(Path.Combine(Path.GetTempPath(), "00Mule.html")).AbsoluteUri, bytes, "text/html", fetchedAt: DateTime.UtcNow);

        var posts = new ParlerPlatform().Parse(page).Posts;

        Assert.Equal(Captured - TimeSpan.FromDays(7), posts.Single(p => p.Text.StartsWith("VIP Tucker", StringComparison.Ordinal)).CreatedAt);
        Assert.All(posts, p => Assert.Equal("true", p.Extra["created_at_estimated"]));
    }

    [Fact]
    public async Task An_imported_capture_is_dated_from_its_warc_date()
    {
        using var archive = new TempArchive();
        var input = archive.File("in");
        using (var writer = new Archiver.Capturing.WarcWriter(new Archiver.Capturing.WarcWriterOptions { Directory = input }))
        {
            writer.WriteExchange(new Archiver.Capturing.HttpExchange
            {
                Url = new Uri("https://parler.com/profile/00Mule/posts"),
                Status = 200,
                Reason = "OK",
                ResponseHeaders = new Archiver.Capturing.WarcHeaders().Add("Content-Type", "text/html; charset=utf-8"),
                Body = RepoFiles.Bytes(Mule),
                Date = new DateTimeOffset(Captured),
            });
        }

        var import = await Support.Cli.RunAsync(["import", "--data", archive.File("a"), "--no-index", .. Directory.GetFiles(input, "*.warc.gz")]);

        Assert.True(import.ExitCode == 0, import.Error + import.Out);
        using var store = ArchiveStore.Open(archive.File("a"), readOnly: true);
        var posts = store.ScanPosts().Select(p => p.Post).ToList();
        Assert.Equal(12, posts.Count);
        var tucker = posts.Single(p => p.Text.StartsWith("VIP Tucker", StringComparison.Ordinal));
        Assert.Equal(Captured - TimeSpan.FromDays(7), tucker.CreatedAt);
        Assert.Equal(("2021-01-10T12:00:00Z", "capture record (WARC-Date)"), (tucker.Extra["captured_at"], tucker.Extra["captured_at_source"]));
    }

    private static string ReadGzipMembers(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, System.Text.Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
