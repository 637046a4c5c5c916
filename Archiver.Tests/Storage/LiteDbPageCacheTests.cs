using System.Reflection;
using Archiver.Storage;
using Archiver.Tests.Support;
using LiteDB;

namespace Archiver.Tests.Storage;

/// <summary>
/// The watcher's LiteDB page caches (<see cref="LiteFiles.UseSmallPageCaches"/>): LiteDB 5 grows each open file's cache
/// to 13+ MiB in blocks of up to 8 MiB on the large-object heap, which kept <c>watch run</c> above its 300 MB aim
/// (bench watch: peak 393 MiB, 254 MiB with small caches).
/// </summary>
public sealed class LiteDbPageCacheTests
{
    private const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;

    /// <summary>The pages LiteDB's cache of <paramref name="db"/> has allocated (MemoryCache.ExtendPages) and in how many blocks.</summary>
    private static (int Pages, int Blocks) CacheOf(LiteDatabase db)
    {
        var engine = ((SerializedLiteEngine)typeof(LiteDatabase).GetField("_engine", Private)!.GetValue(db)!).Inner;
        var disk = engine.GetType().GetField("_disk", Private)!.GetValue(engine)!;
        var cache = disk.GetType().GetProperty("Cache")!.GetValue(disk)!;
        return ((int)cache.GetType().GetProperty("ExtendPages")!.GetValue(cache)!, (int)cache.GetType().GetProperty("ExtendSegments")!.GetValue(cache)!);
    }

    [Fact]
    public void A_file_read_end_to_end_keeps_a_cache_of_a_few_dozen_pages_in_blocks_under_the_large_object_threshold()
    {
        using var dir = new TempArchive();
        var path = dir.File("pages.db");
        // ~2,000 documents of 3 KB: over 700 pages of 8 KiB.
        using (var db = LiteFiles.Open(path, dir.Path, readOnly: false))
        {
            var docs = db.GetCollection("docs");
            docs.InsertBulk(Enumerable.Range(0, 2_000).Select(i => new BsonDocument { ["_id"] = i, ["text"] = new string((char)('a' + i % 26), 3_000) }));
        }
        Assert.True(LiteFiles.UseSmallPageCaches(), "LiteDB.Constants.MEMORY_SEGMENT_SIZES not found: a LiteDB upgrade changed its page cache");

        using (var db = LiteFiles.Open(path, dir.Path, readOnly: true))
        {
            // One small read at a time, as the watcher's checks read and write (a transaction holds every page it read
            // until it ends: one read of the whole file would need them all at once, with any block size).
            long chars = 0;
            var docs = db.GetCollection("docs");
            for (var i = 0; i < 2_000; i++) chars += docs.FindById(i)["text"].AsString.Length;
            Assert.Equal(2_000L * 3_000, chars);
            var (pages, blocks) = CacheOf(db);
            // LiteDB's default: 12 + 50 + 100 + 500 + 1,000 pages in 5 blocks, the last 8 MiB (reuse waits for 1,000 idle pages).
            Assert.True(pages <= 100, $"the cache took {pages} pages in {blocks} blocks");
            Assert.Equal(blocks * LiteFiles.SmallCacheSegmentPages, pages);
            Assert.True(LiteFiles.SmallCacheSegmentPages * 8192 + 24 < 85_000);
        }
    }

    [Fact]
    public async Task Watch_run_opens_the_archive_with_small_page_caches()
    {
        using var dir = new TempArchive();
        // A channel on a closed port: the check fails at once; what matters is the caches of the files the watcher opened.
        var add = await Support.Cli.RunAsync(["watch", "add", "telegram:http://127.0.0.1:9/s/nothing_here", "--data", dir.Path]);
        Assert.True(add.ExitCode == 0, add.Error + add.Out);

        var run = await Support.Cli.RunAsync(["watch", "run", "--once", "--allow-private", "--rate", "0", "--no-media", "--data", dir.Path]);

        Assert.True(run.ExitCode == 0, run.Error + run.Out);
        Assert.Contains("1 checks", run.Out);
        var sizes = (int[])typeof(LiteDatabase).Assembly.GetType("LiteDB.Constants")!.GetField("MEMORY_SEGMENT_SIZES", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        Assert.Equal([LiteFiles.SmallCacheSegmentPages], sizes);
    }
}
