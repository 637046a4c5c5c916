using Archiver.Import;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Import;

public sealed class WarcImportTests
{
    [Fact]
    public async Task The_warcs_of_a_crawl_import_into_a_new_archive_with_the_same_posts_and_provenance()
    {
        using var dir = new TempArchive();
        await ReplicaCrawl.IntoAsync(dir.File("a"), "telegram", "mastodon");
        // Named relative to the working directory, as a user types them: provenance must still find them later.
        var warcs = Directory.GetFiles(dir.File("a/warc"), "*.warc.gz").Select(f => Path.GetRelativePath(Environment.CurrentDirectory, f)).ToArray();

        var import = await Support.Cli.RunAsync(["import", "--data", dir.File("b"), "--no-index", .. warcs]);
        var again = await Support.Cli.RunAsync(["import", "--data", dir.File("b"), "--no-index", "--again", "--json", .. warcs]);

        Assert.True(import.ExitCode == 0, import.Error + import.Out);
        // Both imports ran before b is opened: its keys below are the state after the second (--again) import too.
        using var a = ArchiveStore.Open(dir.File("a"), readOnly: true);
        using var b = ArchiveStore.Open(dir.File("b"), readOnly: true);
        var crawled = a.ScanPosts().Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        var imported = b.ScanPosts().ToList();
        Assert.Equal(crawled, imported.Select(p => p.Key).Order(StringComparer.Ordinal));
        foreach (var post in imported.Take(50))
        {
            Assert.Equal(a.GetPost(post.Key)!.Post.Text, post.Post.Text);
            Assert.NotNull(post.Capture?.WarcFile);
            Assert.EndsWith(".warc.gz", post.Capture!.WarcFile);
            Assert.True(Path.IsPathRooted(post.Capture.WarcFile) && File.Exists(post.Capture.WarcFile), post.Capture.WarcFile);
            Assert.True(post.Capture.WarcOffset >= 0);
        }
        Assert.Contains("\"inserted\": 0", again.Out);
    }

    [Fact]
    public async Task Captures_of_forks_feeds_and_profiled_sites_on_unknown_hosts_import_under_the_platform_they_were_crawled_as()
    {
        using var dir = new TempArchive();
        // The replica serves Truth Social and Gab from 127.0.0.1, where the host alone would say "mastodon".
        await ReplicaCrawl.IntoAsync(dir.File("a"), "truthsocial", "gab", "feed", "site");
        var warcs = Directory.GetFiles(dir.File("a/warc"), "*.warc.gz");

        var import = await Support.Cli.RunAsync(["import", "--data", dir.File("b"), "--no-index", .. warcs]);

        Assert.True(import.ExitCode == 0, import.Error + import.Out);
        using var a = ArchiveStore.Open(dir.File("a"), readOnly: true);
        using var b = ArchiveStore.Open(dir.File("b"), readOnly: true);
        var crawled = a.ScanPosts().Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["feed", "gab", "site", "truthsocial"], crawled.Select(k => k.Split(':')[0]).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(crawled, b.ScanPosts().Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_wacz_export_imports_into_a_new_archive_with_the_same_posts()
    {
        using var dir = new TempArchive();
        await ReplicaCrawl.IntoAsync(dir.File("a"), "telegram", "mastodon");
        var export = await Support.Cli.RunAsync(["--data", dir.File("a"), "-q", "export", "--format", "wacz", "--out", dir.File("wacz-export")]);
        Assert.True(export.ExitCode == 0, export.Error);
        var wacz = Path.Combine(dir.File("wacz-export"), "archive.wacz");

        var import = await Support.Cli.RunAsync(["import", wacz, "--data", dir.File("b"), "--no-index"]);
        var again = await Support.Cli.RunAsync(["import", wacz, "--data", dir.File("b"), "--no-index", "--again", "--json"]);

        Assert.True(import.ExitCode == 0, import.Error + import.Out);
        using var a = ArchiveStore.Open(dir.File("a"), readOnly: true);
        using var b = ArchiveStore.Open(dir.File("b"), readOnly: true);
        var crawled = a.ScanPosts().Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        var imported = b.ScanPosts().ToList();
        Assert.NotEmpty(crawled);
        Assert.Contains(crawled, k => k.StartsWith("telegram:", StringComparison.Ordinal));
        Assert.Contains(crawled, k => k.StartsWith("mastodon:", StringComparison.Ordinal));
        Assert.Equal(crawled, imported.Select(p => p.Key).Order(StringComparer.Ordinal));
        foreach (var post in imported.Take(50))
        {
            Assert.Equal(a.GetPost(post.Key)!.Post.Text, post.Post.Text);
            Assert.Equal($"{wacz}!archive/data.warc.gz", post.Capture?.WarcFile);
            Assert.True(post.Capture!.WarcOffset >= 0);
        }
        Assert.True(again.ExitCode == 0, again.Error + again.Out);
        Assert.Contains("\"inserted\": 0", again.Out);
        // A post seen on several captured pages is observed (and counted) once per page: every observation is unchanged.
        using var report = System.Text.Json.JsonDocument.Parse(again.Out);
        var observed = report.RootElement.GetProperty("posts").GetInt64();
        Assert.True(observed >= crawled.Count, again.Out);
        Assert.Equal(observed, report.RootElement.GetProperty("unchanged").GetInt64());
        Assert.Equal(0, report.RootElement.GetProperty("problem_count").GetInt64());
    }

    [Fact]
    public async Task A_large_wacz_entry_is_read_from_a_temporary_file_that_is_gone_afterwards()
    {
        using var dir = new TempArchive();
        await ReplicaCrawl.IntoAsync(dir.File("a"), "telegram");
        var export = await Support.Cli.RunAsync(["--data", dir.File("a"), "-q", "export", "--format", "wacz", "--out", dir.File("wacz-export")]);
        Assert.True(export.ExitCode == 0, export.Error);
        var wacz = Path.Combine(dir.File("wacz-export"), "archive.wacz");

        await using (var b = ArchiveSession.Open(dir.File("b"), ct: TestContext.Current.CancellationToken))
        {
            // Every entry counts as large here, so the import takes the path a multi-GB Browsertrix WARC takes.
            var report = new WarcImport(b.Writer, Archiver.Platforms.KnownPlatforms.Registry(), TimeProvider.System) { InMemoryZipEntryBytes = 1 }
                .Import([wacz], again: false, TestContext.Current.CancellationToken);
            Assert.Equal(0, report.ProblemCount);
        }

        using var a = ArchiveStore.Open(dir.File("a"), readOnly: true);
        using var imported = ArchiveStore.Open(dir.File("b"), readOnly: true);
        Assert.Equal(a.ScanPosts().Select(p => p.Key).Order(StringComparer.Ordinal), imported.ScanPosts().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.GetFiles(dir.File("b"), ".import-*"));
    }

    [Fact]
    public async Task A_capture_file_of_which_nothing_can_be_read_fails_and_says_where()
    {
        using var dir = new TempArchive();
        var notWarc = dir.File("notes.warc");
        await File.WriteAllTextAsync(notWarc, "these are my notes, not a WARC file\n", TestContext.Current.CancellationToken);

        var result = await Support.Cli.RunAsync(["import", "--data", dir.File("archive"), "--no-index", notWarc]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{notWarc}:0: expected a 'WARC/1.x' version line", result.Out.Replace("\n", ""));
    }

    [Fact]
    public async Task Real_and_malformed_warcs_import_without_failing_and_report_bad_records()
    {
        using var dir = new TempArchive();
        var files = Directory.GetFiles(Fixtures.Path("warc"), "*.warc*", SearchOption.AllDirectories);

        var result = await Support.Cli.RunAsync(["import", "--data", dir.Path, "--no-index", "--format", "warc", .. files]);

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        Assert.Contains("HTTP responses", result.Out);
        Assert.Contains("problem", result.Out);
    }
}
