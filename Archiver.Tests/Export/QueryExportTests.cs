using System.Text.Json;
using Archiver.Export;
using Archiver.Storage;

namespace Archiver.Tests.Export;

/// <summary>The seam the search index plugs into: a query's matching keys select the exported posts.</summary>
public sealed class QueryExportTests : IDisposable
{
    private readonly ExportFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private sealed class FakeIndex(params string[] keys) : IPostKeySource
    {
        public ISet<string> MatchingKeys(string query, CancellationToken ct) =>
            query == "bad syntax (" ? throw new UsageException("bad query") : keys.ToHashSet(StringComparer.Ordinal);
    }

    private async Task<(ExportResult Result, string Dir)> ExportAsync(ArchiveStore store, IPostKeySource index, string query, StoreFieldFilter? filter = null)
    {
        var dir = _fixture.Out("q-" + Guid.NewGuid().ToString("N")[..6]);
        var service = new ExportService(store, index, TimeProvider.System, "test");
        var result = await service.RunAsync(new ExportRequest { Format = "jsonl", OutPath = dir, Query = query, Filter = filter ?? new StoreFieldFilter() }, new ExportProgress(), TestContext.Current.CancellationToken);
        return (result, dir);
    }

    [Fact]
    public async Task A_query_matching_much_of_the_archive_is_applied_while_scanning()
    {
        using var store = ArchiveStore.Open(_fixture.Data, readOnly: true);
        var (result, dir) = await ExportAsync(store, new FakeIndex(ExportFixture.AliceKey, ExportFixture.BobKey, "telegram:t.me:not/there"), "news");
        Assert.Equal("pages", result.ReadMode);
        Assert.Equal(2, result.Posts);
        using var package = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "datapackage.json"), TestContext.Current.CancellationToken));
        Assert.Equal("news", package.RootElement.GetProperty("archiver").GetProperty("query").GetString());
    }

    [Fact]
    public async Task A_query_matching_few_posts_fetches_them_by_key_and_still_applies_the_other_filters()
    {
        using (var writable = ArchiveStore.Open(_fixture.Data))
            writable.Write(new StoreBatch { Posts = Enumerable.Range(0, 100).Select(i => new PostObservation(Benchmarks.SyntheticPosts.Make(i), ExportFixture.Seen1)).ToList() });
        using var store = ArchiveStore.Open(_fixture.Data, readOnly: true);

        var (result, dir) = await ExportAsync(store, new FakeIndex(ExportFixture.AliceKey), "news");
        Assert.Equal("keys", result.ReadMode);
        Assert.Equal([ExportFixture.AliceKey], File.ReadLines(Path.Combine(dir, "posts.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("key").GetString()));

        var (filtered, _) = await ExportAsync(store, new FakeIndex(ExportFixture.AliceKey), "news", StoreFieldFilter.Parse(null, null, ["mastodon"], null));
        Assert.Equal(0, filtered.Posts);
    }

    [Fact]
    public async Task A_bad_query_is_a_usage_error_before_anything_is_written()
    {
        using var store = ArchiveStore.Open(_fixture.Data, readOnly: true);
        await Assert.ThrowsAsync<UsageException>(() => ExportAsync(store, new FakeIndex(), "bad syntax ("));
        Assert.Empty(Directory.EnumerateDirectories(_fixture.Archive.Path, ".q-*"));
    }
}
