using System.Text.Json;
using Archiver.Storage;
using Archiver.Tests.Export;

namespace Archiver.Tests.Storage;

/// <summary>The export read path (raw data pages, own BSON decoder) must return exactly what LiteDB's cursor does.</summary>
public sealed class ExportScanTests : IDisposable
{
    private readonly ExportFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private static string Json(StoredPost post) => JsonSerializer.Serialize(post);

    [Fact]
    public void Page_scan_returns_every_post_exactly_as_ScanPosts_does()
    {
        using (var store = ArchiveStore.Open(_fixture.Data))
        {
            // Enough posts for several data pages, one of them larger than a page (split across blocks).
            var big = ExportFixture.Alice with { NativeId = "big/1", Text = new string('x', 20_000) + " end" };
            store.Write(new StoreBatch { Posts = [.. Enumerable.Range(0, 300).Select(i => new PostObservation(Benchmarks.SyntheticPosts.Make(i), ExportFixture.Seen1)), new(big, ExportFixture.Seen2)] });
        }
        using var readOnly = ArchiveStore.Open(_fixture.Data, readOnly: true);
        var expected = readOnly.ScanPosts().ToDictionary(p => p.Key, Json);
        var actual = new Dictionary<string, string>();
        var progress = new PostScanProgress();

        readOnly.ScanPostsForExport(null, p => actual.Add(p.Key, Json(p)), progress, TestContext.Current.CancellationToken);

        Assert.Equal("pages", progress.Mode);
        Assert.Equal(304, actual.Count);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, json) in expected) Assert.Equal(json, actual[key]);
        Assert.EndsWith(" end", readOnly.GetPost("telegram:t.me:big/1")!.Post.Text);
    }

    [Fact]
    public void Header_filter_sees_key_platform_channel_and_times_and_skips_the_rest()
    {
        using var store = ArchiveStore.Open(_fixture.Data, readOnly: true);
        var headers = new List<PostHeader>();
        var kept = new List<string>();
        var progress = new PostScanProgress();

        store.ScanPostsForExport(h => { headers.Add(h); return h.Platform == "mastodon"; }, p => kept.Add(p.Key), progress, TestContext.Current.CancellationToken);

        Assert.Equal([ExportFixture.BobKey], kept);
        Assert.Equal(3, progress.Scanned);
        Assert.Equal(1, progress.Accepted);
        var alice = headers.Single(h => h.Key == ExportFixture.AliceKey);
        Assert.Equal(new PostHeader(ExportFixture.AliceKey, "telegram", "alice_news", ExportFixture.Alice.CreatedAt, ExportFixture.Seen1), alice);
    }

    [Fact]
    public void With_a_pending_log_the_scan_falls_back_to_short_cursor_queries()
    {
        using var store = ArchiveStore.Open(_fixture.Data, readOnly: true);
        // A non-empty write-ahead log next to each database file, whichever files hold the posts.
        var logs = Directory.GetFiles(_fixture.Data, "*.db").Where(f => !f.EndsWith("-log.db", StringComparison.Ordinal))
            .Select(f => Path.Combine(Path.GetDirectoryName(f)!, Path.GetFileNameWithoutExtension(f) + "-log.db")).ToList();
        foreach (var log in logs) File.WriteAllBytes(log, new byte[8192]);
        try
        {
            var keys = new List<string>();
            var progress = new PostScanProgress();
            store.ScanPostsForExport(null, p => keys.Add(p.Key), progress, TestContext.Current.CancellationToken);
            Assert.Equal("cursor", progress.Mode);
            Assert.Equal([ExportFixture.BobKey, ExportFixture.AliceKey, ExportFixture.GoneKey], keys.Order(StringComparer.Ordinal));
        }
        finally
        {
            foreach (var log in logs) File.Delete(log);
        }
    }

    [Fact]
    public void A_data_file_changed_during_the_page_scan_fails_the_scan_instead_of_exporting_torn_data()
    {
        using var store = ArchiveStore.Open(_fixture.Data, readOnly: true);
        // Every database file of the archive, whichever holds the posts.
        var files = Directory.GetFiles(_fixture.Data, "*.db");
        var error = Assert.Throws<ArchiverException>(() => store.ScanPostsForExport(null,
            _ => Array.ForEach(files, f => File.SetLastWriteTimeUtc(f, DateTime.UtcNow.AddMinutes(1))), new PostScanProgress(), TestContext.Current.CancellationToken));
        Assert.Contains("changed while it was being exported", error.Message);
    }
}
