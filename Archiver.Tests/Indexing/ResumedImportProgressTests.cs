using Archiver.Search;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Indexing;

public sealed class ResumedImportProgressTests
{
    [Fact]
    public async Task An_import_killed_every_few_seconds_stores_more_each_round_while_the_index_is_far_behind()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempArchive();
        var data = dir.File("archive");
        // 150,000 posts the index has never seen: every later indexed run must catch up with them (measured on this
        // 2-core machine under load: 30-45 s, where the first batch of a resumed import commits within 25 s, after its crash recovery re-reads the store).
        var earlier = dir.File("earlier.jsonl");
        await File.WriteAllTextAsync(earlier, CorpusSample.Lines(150_000), ct);
        var first = await Support.Cli.RunAsync("import", "--data", data, "--no-index", "-q", earlier);
        Assert.True(first.ExitCode == 0, first.Error);
        var input = dir.File("more.jsonl");
        await File.WriteAllTextAsync(input, CorpusSample.Lines(300_000, include: i => i >= 150_000), ct);

        var counts = new List<long> { Stored(data) };
        for (var round = 0; round < 5; round++)
        {
            using var import = ArchiverProcess.Start("import", "--data", data, input);
            var stderr = import.StandardError.ReadToEndAsync(ct);
            // Seconds apart, as a flaky machine or an impatient user would stop it: less than the catch-up takes.
            // Counted from when it holds the archive (starting the program takes seconds on a busy machine).
            var started = DateTime.UtcNow;
            while (ArchiveLock.CurrentWriter(data)?.Pid != import.Id && !import.HasExited && DateTime.UtcNow - started < TimeSpan.FromSeconds(30))
                await Task.Delay(20, ct);
            var exited = import.WaitForExit(TimeSpan.FromSeconds(25));
            ArchiverProcess.KillHard(import);
            Assert.False(exited, $"round {round}: the import ended before it was killed: {await stderr}");
            counts.Add(Stored(data));
            Assert.True(counts[^1] > counts[^2], $"round {round}: no progress; stored posts after each round: {string.Join(", ", counts)}");
        }

        // Finished uninterrupted, the store holds everything and the index follows it exactly.
        var last = await Support.Cli.RunAsync("import", "--data", data, "-q", input);
        Assert.True(last.ExitCode == 0, last.Error);
        using var store = ArchiveStore.Open(data, readOnly: true);
        using var index = PostIndex.OpenReadOnly(store.Paths.Index);
        Assert.Equal(300_000, store.Counters.Posts);
        Assert.Equal(300_000, index.DocumentCount);
        Assert.Equal(store.Sequence, index.StoreSequence);
    }

    private static long Stored(string data)
    {
        using var store = ArchiveStore.Open(data, readOnly: true);
        return store.Counters.Posts;
    }
}
