using Archiver.Search;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Indexing;

[Collection(TimingSensitive.Name)]
public sealed class ResumedImportProgressTests
{
    [Fact]
    public async Task An_import_killed_every_few_seconds_stores_more_each_round_while_the_index_is_far_behind()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempArchive();
        var data = dir.File("archive");
        // 150,000 posts the index has never seen: every later indexed run must catch up with them before its index
        // records any progress, which takes far longer than storing one batch.
        var earlier = dir.File("earlier.jsonl");
        await File.WriteAllTextAsync(earlier, CorpusSample.Lines(150_000), ct);
        var first = await Support.Cli.RunAsync("import", "--data", data, "--no-index", "-q", earlier);
        Assert.True(first.ExitCode == 0, first.Error);
        var input = dir.File("more.jsonl");
        await File.WriteAllTextAsync(input, CorpusSample.Lines(300_000, include: i => i >= 150_000), ct);

        var counts = new List<long> { Stored(data) };
        // Three rounds: each stores at most the 8 batches (40,000 posts) the store may run ahead of the catch-up, so
        // the 150,000 new lines outlast them.
        for (var round = 0; round < 3; round++)
        {
            var sequenceBefore = StoreSequence(data);
            using var import = ArchiverProcess.Start("import", "--data", data, input);
            var stderr = import.StandardError.ReadToEndAsync(ct);
            // Killed as soon as its first batch is stored: the store must commit while the index is still catching
            // up with the 150,000+ posts behind it (before, a resumed import caught the index up first, 7-13 s, so
            // kills a few seconds apart made no progress at all). Waiting for the commit rather than a fixed time
            // keeps the test about order, not speed: a loaded machine is slow, a quiet one imports it all in 25 s.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            while (Stored(data) == counts[^1] && !import.HasExited && DateTime.UtcNow < deadline) await Task.Delay(100, ct);
            var indexed = IndexedSequence(data);
            var exited = import.HasExited;
            ArchiverProcess.KillHard(import);
            Assert.False(exited, $"round {round}: the import ended before it was killed (exit {import.ExitCode}): {await stderr}");
            counts.Add(Stored(data));
            Assert.True(counts[^1] > counts[^2], $"round {round}: no progress; stored posts after each round: {string.Join(", ", counts)}");
            Assert.True(indexed < sequenceBefore,
                $"round {round}: the store committed only after the index had caught up (index at {indexed}, store was at {sequenceBefore})");
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

    private static long StoreSequence(string data)
    {
        using var store = ArchiveStore.Open(data, readOnly: true);
        return store.Sequence;
    }

    /// <summary>The store sequence the index's last commit says it reflects (0 before the first index commit).</summary>
    private static long IndexedSequence(string data)
    {
        var path = Path.Combine(data, "index");
        if (!Directory.Exists(path)) return 0;
        try
        {
            using var index = PostIndex.OpenReadOnly(path);
            return index.StoreSequence;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static long Stored(string data)
    {
        using var store = ArchiveStore.Open(data, readOnly: true);
        return store.Counters.Posts;
    }
}
