using System.Diagnostics;
using Archiver.Benchmarks;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Export;

/// <summary>--force never deletes what an export did not write; leftovers of killed runs are cleaned by the next run; verify reads the datapackage too.</summary>
public sealed class ExportCleanupTests : IDisposable
{
    private readonly ExportFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Force_refuses_a_folder_with_an_empty_manifest_and_the_users_own_files_and_deletes_nothing()
    {
        var dir = _fixture.Out("mine");
        Directory.CreateDirectory(Path.Combine(dir, "chapter"));
        await File.WriteAllTextAsync(Path.Combine(dir, "manifest-sha256.txt"), "", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(dir, "thesis.docx"), "years of work", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(dir, "chapter", "one.md"), "draft", TestContext.Current.CancellationToken);

        var result = await Support.Cli.RunAsync("--data", _fixture.Data, "-q", "export", "--format", "csv", "--out", dir, "--force");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("thesis.docx", result.Error);
        Assert.Equal("years of work", await File.ReadAllTextAsync(Path.Combine(dir, "thesis.docx"), TestContext.Current.CancellationToken));
        Assert.True(File.Exists(Path.Combine(dir, "chapter", "one.md")));
        Assert.True(File.Exists(Path.Combine(dir, "manifest-sha256.txt")));
        Assert.False(File.Exists(Path.Combine(dir, "posts.csv")));
    }

    [Fact]
    public async Task Force_refuses_an_earlier_export_to_which_the_user_added_a_file()
    {
        var dir = _fixture.Out("added");
        Assert.Equal(0, (await Support.Cli.RunAsync("--data", _fixture.Data, "-q", "export", "--format", "jsonl", "--out", dir)).ExitCode);
        await File.WriteAllTextAsync(Path.Combine(dir, "my-notes.txt"), "notes", TestContext.Current.CancellationToken);

        var result = await Support.Cli.RunAsync("--data", _fixture.Data, "-q", "export", "--format", "jsonl", "--out", dir, "--force");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("my-notes.txt", result.Error);
        Assert.True(File.Exists(Path.Combine(dir, "my-notes.txt")));
        Assert.True(File.Exists(Path.Combine(dir, "posts.jsonl")));
    }

    [Fact]
    public async Task The_next_export_to_the_same_out_removes_the_staging_folder_of_a_killed_one()
    {
        var data = _fixture.Archive.File("big");
        using (var store = ArchiveStore.Open(data))
        {
            for (var b = 0; b < 4; b++)
                store.Write(new StoreBatch { Posts = Enumerable.Range(b * 5000, 5000).Select(i => new PostObservation(SyntheticPosts.Make(i), ExportFixture.Seen1)).ToList() });
        }
        var outDir = _fixture.Out("again");
        using var process = ArchiverProcess.Start("--data", data, "-q", "export", "--format", "parquet", "--out", outDir, "--row-group-size", "1");
        var deadline = Stopwatch.StartNew();
        string? staging = null;
        while (deadline.Elapsed < TimeSpan.FromSeconds(60) && staging is null)
        {
            staging = Directory.EnumerateDirectories(_fixture.Archive.Path, ".again.partial-*").FirstOrDefault();
            if (staging is not null && !Directory.EnumerateFiles(staging).Any(f => new FileInfo(f).Length > 0)) staging = null;
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        Assert.NotNull(staging);
        ArchiverProcess.KillHard(process);
        Assert.True(Directory.Exists(staging));
        // Another export's staging folder, whose owner is alive (this test process), must be left alone.
        var live = Path.Combine(_fixture.Archive.Path, $".again.partial-{Environment.ProcessId}-0123abcd");
        Directory.CreateDirectory(live);

        var rerun = await Support.Cli.RunAsync("--data", _fixture.Data, "-q", "export", "--format", "ids", "--out", outDir);

        Assert.True(rerun.ExitCode == 0, rerun.Error);
        Assert.False(Directory.Exists(staging), "the killed export's staging folder must be removed by the next run");
        Assert.True(Directory.Exists(live));
        Assert.True(File.Exists(Path.Combine(outDir, "ids.txt")));
    }

    [Fact]
    public async Task Media_tmp_files_of_a_killed_crawl_are_removed_by_the_next_crawl_and_verify_passes()
    {
        using var archive = new TempArchive();
        var data = archive.File("data");
        await ReplicaCrawl.IntoAsync(data, "telegram");
        // What MediaStore leaves when its process is killed between writing and renaming: the temporary
        // file, named after the owner's process id. The owner here is a real process that has exited.
        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await gone.WaitForExitAsync(TestContext.Current.CancellationToken);
        var sha = new string('c', 64);
        var folder = Path.Combine(data, "media", sha[..2], sha[2..4]);
        Directory.CreateDirectory(folder);
        var leftover = Path.Combine(folder, $"{sha}.jpg.{gone.Id}-0123abcd.tmp");
        await File.WriteAllBytesAsync(leftover, new byte[100], TestContext.Current.CancellationToken);
        Assert.NotEqual(0, (await Support.Cli.RunAsync("verify", data)).ExitCode);

        await ReplicaCrawl.IntoAsync(data, "telegram");

        Assert.False(File.Exists(leftover), "the next crawl must remove the killed crawl's temporary media file");
        var verify = await Support.Cli.RunAsync("verify", data);
        Assert.True(verify.ExitCode == 0, verify.Out);
    }

    [Fact]
    public async Task Verify_fails_when_a_table_listed_in_the_datapackage_is_gone_with_its_manifest_line()
    {
        var dir = _fixture.Out("cut");
        Assert.Equal(0, (await Support.Cli.RunAsync("--data", _fixture.Data, "-q", "export", "--format", "csv", "--out", dir)).ExitCode);
        File.Delete(Path.Combine(dir, "authors.csv"));
        var manifest = Path.Combine(dir, "manifest-sha256.txt");
        var lines = await File.ReadAllLinesAsync(manifest, TestContext.Current.CancellationToken);
        await File.WriteAllLinesAsync(manifest, lines.Where(l => !l.EndsWith("  authors.csv", StringComparison.Ordinal)), TestContext.Current.CancellationToken);

        var verify = await Support.Cli.RunAsync("verify", dir);

        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("FAILED  authors.csv", verify.Out);
        Assert.Contains("datapackage.json", verify.Out);
    }

    [Fact]
    public async Task Verify_fails_when_the_datapackage_hash_of_a_table_disagrees_with_the_manifest()
    {
        var dir = _fixture.Out("rehashed");
        Assert.Equal(0, (await Support.Cli.RunAsync("--data", _fixture.Data, "-q", "export", "--format", "jsonl", "--out", dir)).ExitCode);
        // A table replaced and re-listed in the manifest, but the datapackage still describes the original.
        var posts = Path.Combine(dir, "posts.jsonl");
        await File.WriteAllTextAsync(posts, "{}\n", TestContext.Current.CancellationToken);
        var manifest = Path.Combine(dir, "manifest-sha256.txt");
        var lines = (await File.ReadAllLinesAsync(manifest, TestContext.Current.CancellationToken))
            .Select(l => l.EndsWith("  posts.jsonl", StringComparison.Ordinal) ? $"{Archiver.Export.Manifest.Sha256(posts)}  posts.jsonl" : l);
        await File.WriteAllLinesAsync(manifest, lines, TestContext.Current.CancellationToken);

        var verify = await Support.Cli.RunAsync("verify", dir);

        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("FAILED  posts.jsonl", verify.Out);
        Assert.Contains("datapackage.json", verify.Out);
    }
}
