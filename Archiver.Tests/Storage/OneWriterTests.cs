using System.Diagnostics;
using System.Text.Json;
using Archiver.Replica;
using Archiver.Search;
using Archiver.Storage;
using Archiver.Tests.Indexing;
using Archiver.Tests.Support;

namespace Archiver.Tests.Storage;

/// <summary>
/// Two processes on one archive, as users run them: one writer at a time (a second crawl or import is refused at
/// once, naming the first, and changes nothing), readers work beside the writer, and the index stays whole.
/// </summary>
public sealed class OneWriterTests
{
    /// <summary>Posts of the holder's import: enough for a Debug build to take several seconds.</summary>
    private const int HolderLines = 150_000;

    public static TheoryData<string, string> Pairs => new()
    {
        { "crawl", "crawl" },
        { "crawl", "import" },
        { "import", "import" },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task A_second_writer_is_refused_at_once_with_exit_1_naming_the_first_and_changes_nothing(string first, string second)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 3, Size = ReplicaSize.Small, LogRequests = false }, ct);
        using var dir = new TempArchive();
        var data = dir.File("archive");
        var holderInput = dir.File("holder.jsonl");
        var otherInput = dir.File("other.jsonl");
        await File.WriteAllTextAsync(holderInput, CorpusSample.Lines(HolderLines), ct);
        // Posts the holder never writes: ids past its own, and a word none of its posts has.
        await File.WriteAllTextAsync(otherInput, CorpusSample.Lines(HolderLines + 50, oddWord: "zeppelin", include: i => i >= HolderLines), ct);
        var telegram = replica.Seeds.Where(s => s.StartsWith("telegram:", StringComparison.Ordinal)).ToList();
        var mastodon = replica.Seeds.First(s => s.StartsWith("mastodon:", StringComparison.Ordinal));

        string[] Args(string command, bool holder) => command == "crawl"
            ? ["crawl", "--data", data, "--allow-private", "--no-media", "--rate", holder ? "3" : "0", .. holder ? telegram : [mastodon]]
            : ["import", "--data", data, holder ? holderInput : otherInput];

        using var holder = ArchiverProcess.Start(Args(first, holder: true));
        var holderErr = holder.StandardError.ReadToEndAsync(ct);
        var holderOut = holder.StandardOutput.ReadToEndAsync(ct);
        await WaitForWriterAsync(data, holder, ct);

        // The refusal does not wait for anything: it costs what starting the same command costs when it stops at its
        // first check (a bad argument), measured just before and after on this machine as loaded as it is now, and
        // less than a second more. Measured up to three times, as other processes share the CPU unevenly.
        string[] failsAtOnce = second == "crawl" ? ["crawl", "--data", data, "nosuchplatform:x"] : ["import", "--data", data, dir.File("missing.jsonl")];
        Timed refused = null!, baseline = null!;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var before = await TimedRunAsync(ct, failsAtOnce);
            refused = await TimedRunAsync(ct, Args(second, holder: false));
            var after = await TimedRunAsync(ct, failsAtOnce);
            Assert.Equal(2, before.ExitCode);
            baseline = before.Elapsed > after.Elapsed ? before : after;
            if (refused.Elapsed < baseline.Elapsed + TimeSpan.FromSeconds(1)) break;
        }
        Assert.False(holder.HasExited, "the first writer ended before the second was tried: the test proves nothing");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"pid {holder.Id}", refused.Error);
        Assert.Contains($"`archiver {first} --data {data}", refused.Error);
        Assert.Contains("is being written by another archiver process", refused.Error);
        Assert.True(refused.Elapsed < baseline.Elapsed + TimeSpan.FromSeconds(1), $"refused after {refused.Elapsed}, a plain start takes {baseline.Elapsed}");

        await holder.WaitForExitAsync(ct);
        Assert.True(holder.ExitCode == 0, await holderErr + await holderOut);

        using var store = ArchiveStore.Open(data, readOnly: true);
        var posts = store.ScanPosts().ToList();
        // Nothing of the refused command reached the archive: not its posts, not a crawl job.
        Assert.DoesNotContain(posts, p => p.Post.Platform == "mastodon");
        Assert.DoesNotContain(posts, p => p.Post.Text.Contains("zeppelin", StringComparison.Ordinal));
        if (first == "import") Assert.Equal(HolderLines, posts.Count);
        else Assert.Equal(telegram, store.LastJob()!.Seeds);
        Assert.Equal(posts.Count, store.Counters.Posts);
        using var index = PostIndex.OpenReadOnly(store.Paths.Index);
        Assert.Equal(posts.Count, index.DocumentCount);

        // The refused command works once the archive is free.
        var again = await Support.Cli.RunAsync(Args(second, holder: false));
        Assert.True(again.ExitCode == 0, again.Error);
    }

    [Fact]
    public async Task Search_stats_show_and_export_work_during_a_crawl_and_the_index_matches_the_store_after()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 3, Size = ReplicaSize.Small, LogRequests = false }, ct);
        using var dir = new TempArchive();
        var data = dir.File("archive");
        var seeds = replica.Seeds.Where(s => s.StartsWith("telegram:", StringComparison.Ordinal) || s.StartsWith("mastodon:", StringComparison.Ordinal)).ToList();
        using var crawl = ArchiverProcess.Start(["crawl", "--data", data, "--allow-private", "--no-media", "--rate", "6", .. seeds]);
        var crawlErr = crawl.StandardError.ReadToEndAsync(ct);
        var crawlOut = crawl.StandardOutput.ReadToEndAsync(ct);
        await WaitForWriterAsync(data, crawl, ct);

        var rounds = 0;
        var sawBehindNote = false;
        while (!crawl.HasExited)
        {
            var search = await Support.Cli.RunAsync("search", "--data", data, "--json", "--limit", "1", "*");
            // The crawl holds the lock a moment before it has created the archive's files: nothing to read yet.
            if (search.ExitCode == 1 && (search.Error.Contains("no search index yet", StringComparison.Ordinal) || search.Error.Contains("No archive at", StringComparison.Ordinal))) continue;
            Assert.True(search.ExitCode == 0, search.Error);
            sawBehindNote |= search.Error.Contains("is being written by another process", StringComparison.Ordinal);
            using var hits = JsonDocument.Parse(search.Out);
            var stats = await Support.Cli.RunAsync("stats", "--data", data);
            Assert.True(stats.ExitCode == 0, stats.Error);
            if (hits.RootElement.GetProperty("hits").EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } hit)
            {
                var show = await Support.Cli.RunAsync("show", "--data", data, hit.GetProperty("key").GetString()!);
                Assert.True(show.ExitCode == 0, show.Error);
            }
            var exportDir = dir.File($"export-{rounds}");
            var export = await Support.Cli.RunAsync("export", "--data", data, "--format", "jsonl", "--out", exportDir);
            Assert.True(export.ExitCode == 0, export.Error);
            Assert.True(File.Exists(Path.Combine(exportDir, "posts.jsonl")));
            rounds++;
        }
        Assert.True(crawl.ExitCode == 0, await crawlErr + await crawlOut);
        Assert.True(rounds >= 2, $"only {rounds} rounds of readers ran during the crawl");
        Assert.True(sawBehindNote, "no search said that another process was writing");

        using (var store = ArchiveStore.Open(data, readOnly: true))
        using (var index = PostIndex.OpenReadOnly(store.Paths.Index))
        {
            Assert.True(store.Counters.Posts > 0);
            Assert.Equal(store.Counters.Posts, index.DocumentCount);
            Assert.Equal(store.Sequence, index.StoreSequence);
        }
        var all = await Support.Cli.RunAsync("search", "--data", data, "--json", "--limit", "0", "*");
        Assert.True(all.ExitCode == 0, all.Error);
        using var total = JsonDocument.Parse(all.Out);
        using var final = ArchiveStore.Open(data, readOnly: true);
        Assert.Equal(final.Counters.Posts, total.RootElement.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_lock_file_left_by_a_killed_writer_blocks_nobody()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempArchive();
        using (var child = ArchiverProcess.StartWriteLoop("--data", dir.Path, "--batch-size", "200"))
        {
            Assert.StartsWith("committed ", await child.StandardOutput.ReadLineAsync(ct));
            ArchiverProcess.KillHard(child);
            Assert.Contains($"\"Pid\":{child.Id}", await File.ReadAllTextAsync(Path.Combine(dir.Path, ArchiveLock.FileName), ct));
        }
        Assert.Null(ArchiveLock.CurrentWriter(dir.Path));

        var input = dir.File("more.jsonl");
        await File.WriteAllTextAsync(input, CorpusSample.Lines(10), ct);
        var import = await Support.Cli.RunAsync("--data", dir.Path, "import", input);
        Assert.True(import.ExitCode == 0, import.Error);
        using var store = ArchiveStore.Open(dir.Path, readOnly: true);
        Assert.True(store.Counters.Posts >= 210);
    }

    private sealed record Timed(int ExitCode, string Out, string Error, TimeSpan Elapsed);

    /// <summary>Runs the real program and times it from start to exit.</summary>
    private static async Task<Timed> TimedRunAsync(CancellationToken ct, params string[] args)
    {
        var watch = Stopwatch.StartNew();
        using var process = ArchiverProcess.Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        watch.Stop();
        return new Timed(process.ExitCode, await stdout, await stderr, watch.Elapsed);
    }

    /// <summary>Waits until <paramref name="writer"/> holds the archive's writer lock (its lock file names it).</summary>
    private static async Task WaitForWriterAsync(string data, Process writer, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (ArchiveLock.CurrentWriter(data)?.Pid != writer.Id)
        {
            Assert.False(writer.HasExited, $"the writer ended (exit {(writer.HasExited ? writer.ExitCode : 0)}) before it took the archive");
            Assert.True(DateTime.UtcNow < deadline, "the writer never took the archive's lock");
            await Task.Delay(20, ct);
        }
    }
}
