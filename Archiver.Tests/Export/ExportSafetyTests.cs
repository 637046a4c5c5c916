using System.Diagnostics;
using Archiver.Benchmarks;
using Archiver.Export;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Export;

public sealed class ExportSafetyTests : IDisposable
{
    private readonly ExportFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Existing_out_is_refused_without_force_and_replaced_with_it()
    {
        var dir = _fixture.Out("again");
        Assert.Equal(0, (await Support.Cli.RunAsync(["--data", _fixture.Data, "-q", "export", "--format", "ids", "--out", dir])).ExitCode);

        var refused = await Support.Cli.RunAsync(["--data", _fixture.Data, "-q", "export", "--format", "csv", "--out", dir]);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--force", refused.Error);
        Assert.True(File.Exists(Path.Combine(dir, "ids.txt")));

        var forced = await Support.Cli.RunAsync(["--data", _fixture.Data, "-q", "export", "--format", "csv", "--out", dir, "--force"]);
        Assert.Equal(0, forced.ExitCode);
        Assert.False(File.Exists(Path.Combine(dir, "ids.txt")));
        Assert.True(File.Exists(Path.Combine(dir, "posts.csv")));
    }

    [Fact]
    public async Task Force_does_not_replace_a_directory_that_is_not_an_export()
    {
        var dir = _fixture.Out("precious");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "thesis.docx"), "years of work", TestContext.Current.CancellationToken);
        var result = await Support.Cli.RunAsync(["--data", _fixture.Data, "-q", "export", "--format", "csv", "--out", dir, "--force"]);
        Assert.Equal(2, result.ExitCode);
        Assert.True(File.Exists(Path.Combine(dir, "thesis.docx")));
    }

    [Fact]
    public async Task A_malformed_query_is_a_usage_error_and_leaves_nothing_behind()
    {
        var dir = _fixture.Out("q");
        var result = await Support.Cli.RunAsync(["--data", _fixture.Data, "export", "--format", "jsonl", "--out", dir, "(election", "AND"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("at character", result.Error);
        Assert.False(Directory.Exists(dir));
        Assert.Empty(Directory.EnumerateDirectories(_fixture.Archive.Path, ".q.partial-*"));
    }

    [Fact]
    public async Task A_query_selects_exactly_the_posts_the_search_index_matches()
    {
        var dir = _fixture.Out("q-match");
        var result = await Support.Cli.RunAsync(["--data", _fixture.Data, "-q", "export", "--format", "jsonl", "--out", dir, "\"soon deleted\""]);
        Assert.True(result.ExitCode == 0, result.Error);
        var postLines = Directory.GetFiles(dir, "posts*.jsonl").SelectMany(File.ReadLines).ToList();
        var line = Assert.Single(postLines);
        Assert.Contains("soon deleted", line);
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("/etc/passwd")]
    [InlineData("media/../../x")]
    [InlineData("a//b")]
    [InlineData("a\\b")]
    public void Paths_leaving_the_export_are_refused(string relative)
    {
        Assert.Throws<ArchiverException>(() => SafePath.Resolve(_fixture.Archive.Path, relative));
    }

    [Fact]
    public async Task A_media_record_pointing_outside_the_archive_is_skipped_with_a_warning()
    {
        var sha = new string('b', 64);
        using (var store = ArchiveStore.Open(_fixture.Data))
        {
            var post = ExportFixture.Alice with { NativeId = "alice_news/99", Media = [new Model.MediaRef { Kind = "photo", Sha256 = sha }] };
            store.Write(new StoreBatch
            {
                Posts = [new(post, ExportFixture.Seen3)],
                Media = [new Model.Media { Sha256 = sha, Mime = "image/jpeg", Size = 5, SourceUrl = "x", LocalPath = "../../../etc/hostname" }],
            });
        }
        var dir = _fixture.Out("hostile");
        var result = await Support.Cli.RunAsync(["--data", _fixture.Data, "export", "--format", "jsonl", "--out", dir, "--with-media", "-q"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("leaves the archive directory", result.Error);
        Assert.Equal([ExportFixture.MediaSha + ".jpg"], Directory.GetFiles(Path.Combine(dir, "media")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_killed_export_leaves_nothing_that_looks_complete()
    {
        var data = _fixture.Archive.File("big");
        using (var store = ArchiveStore.Open(data))
        {
            for (var b = 0; b < 4; b++)
                store.Write(new StoreBatch { Posts = Enumerable.Range(b * 5000, 5000).Select(i => new PostObservation(SyntheticPosts.Make(i), ExportFixture.Seen1)).ToList() });
        }
        var outDir = _fixture.Out("killed");
        var dll = Path.Combine(AppContext.BaseDirectory, "archiver.dll");
        // One row per Parquet row group makes the export slow enough to be killed in the middle.
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { dll, "--data", data, "-q", "export", "--format", "parquet", "--out", outDir, "--row-group-size", "1" }) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var parent = _fixture.Archive.Path;
        var deadline = Stopwatch.StartNew();
        string? staging = null;
        while (deadline.Elapsed < TimeSpan.FromSeconds(60) && staging is null)
        {
            staging = Directory.EnumerateDirectories(parent, ".killed.partial-*").FirstOrDefault();
            if (staging is not null && !Directory.EnumerateFiles(staging).Any(f => new FileInfo(f).Length > 0)) staging = null;
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        Assert.NotNull(staging);
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.False(Directory.Exists(outDir), "the target path must not exist after a killed export");
        Assert.False(File.Exists(Path.Combine(staging!, "manifest-sha256.txt")));
        Assert.False(File.Exists(Path.Combine(staging!, "datapackage.json")));
        var verify = await Support.Cli.RunAsync(["verify", staging!]);
        Assert.NotEqual(0, verify.ExitCode);
    }
}
