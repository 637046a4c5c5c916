using Archiver.Indexing;
using Archiver.Search;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Indexing;

public sealed class IndexedImportKillTests
{
    private const int Lines = 80_000;

    [Fact]
    public async Task A_kill_during_an_indexed_import_leaves_a_store_and_index_that_the_next_open_repairs()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempArchive();
        var input = dir.File("corpus.jsonl");
        await File.WriteAllTextAsync(input, CorpusSample.Lines(Lines), ct);
        var data = dir.File("archive");

        // Kill once the import reports committed batches (its progress line), before it finishes.
        using (var child = ArchiverProcess.Start("--data", data, "import", input))
        {
            var progress = await child.StandardError.ReadLineAsync(ct);
            Assert.NotNull(progress);
            Assert.Contains("new posts", progress);
            await Task.Delay(Random.Shared.Next(0, 300), ct);
            ArchiverProcess.KillHard(child);
        }
        long stored;
        using (var probe = ArchiveStore.Open(data, readOnly: true)) stored = probe.Counters.Posts;
        Assert.InRange(stored, 1, Lines - 1);

        using (var store = ArchiveStore.Open(data))
        using (var index = ArchiveIndex.Open(store, ct: ct))
        {
            Assert.Equal(store.Counters.Posts, index.DocumentCount);
            Assert.Equal(store.Sequence, index.StoreSequence);
            var harbour = store.ScanPosts().LongCount(p => p.Post.Text.Contains("harbour", StringComparison.Ordinal));
            Assert.Equal(harbour, index.Search(new SearchRequest { Query = "harbour", Limit = 0 }).Total);
        }

        // The interrupted import continues, with the index following it to the end.
        var resumed = await Support.Cli.RunAsync("--data", data, "import", input);
        Assert.Equal(0, resumed.ExitCode);
        using var final = ArchiveStore.Open(data, readOnly: true);
        using var committed = PostIndex.OpenReadOnly(final.Paths.Index);
        Assert.Equal(Lines, final.Counters.Posts);
        Assert.Equal(Lines, committed.DocumentCount);
        Assert.Equal(final.Sequence, committed.StoreSequence);
        Assert.Equal(Lines / 3 + 1, committed.Search(new SearchRequest { Query = "harbour", Limit = 0 }).Total);
    }
}
