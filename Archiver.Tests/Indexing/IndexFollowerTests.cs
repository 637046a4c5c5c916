using Archiver.Indexing;
using Archiver.Search;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Indexing;

public sealed class IndexFollowerTests
{
    [Fact]
    public async Task Searches_run_while_the_writer_commits_and_see_every_committed_post()
    {
        var ct = TestContext.Current.CancellationToken;
        using var archive = new TempArchive();
        using var store = ArchiveStore.Open(archive.Path);
        using var index = ArchiveIndex.Open(store, ct: ct);
        await using var writer = new ArchiveWriter(store, maxRecordsPerTransaction: 50);
        await using var follower = new IndexFollower(store, index, writer);

        using var stop = new CancellationTokenSource();
        var seen = new List<long>();
        var searching = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                seen.Add(index.Search(new SearchRequest { Query = "protest", Limit = 5, CountBy = [IndexFields.Channel] }).Total);
            }
        }, ct);
        for (var batch = 0; batch < 20; batch++)
        {
            var posts = Enumerable.Range(batch * 25, 25).Select(i => StorePosts.Make($"{i}", $"protest report {i}", channel: $"c{i % 3}")).ToArray();
            await writer.WriteAsync(StorePosts.Batch(posts), ct);
        }
        await writer.CompleteAsync();
        await follower.WaitForAsync(store.Sequence, ct);
        stop.Cancel();
        await searching;

        Assert.Equal(500, index.Search(new SearchRequest { Query = "protest", Limit = 0 }).Total);
        Assert.NotEmpty(seen);
        Assert.Equal(seen.Order(), seen);
        var channels = index.Search(new SearchRequest { Query = "protest", CountBy = [IndexFields.Channel] }).Counts[0].Top;
        Assert.Equal([("c0", 167L), ("c1", 167L), ("c2", 166L)], channels.Select(v => (v.Value, v.Count)));
    }

    [Fact]
    public async Task Committed_posts_are_searchable_within_a_second_and_recorded_in_the_index_commit_on_dispose()
    {
        var ct = TestContext.Current.CancellationToken;
        using var archive = new TempArchive();
        using var store = ArchiveStore.Open(archive.Path);
        using (var index = ArchiveIndex.Open(store, ct: ct))
        {
            await using var writer = new ArchiveWriter(store);
            await using (var follower = new IndexFollower(store, index, writer))
            {
                await writer.WriteAsync(StorePosts.Batch(StorePosts.Make("1", "breaking capitol news")), ct);
                var watch = System.Diagnostics.Stopwatch.StartNew();
                while (index.Search(new SearchRequest { Query = "capitol", Limit = 0 }).Total == 0 && watch.Elapsed < TimeSpan.FromSeconds(5))
                    await Task.Delay(5, ct);
                Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));
            }
            Assert.Equal(store.Sequence, index.StoreSequence);
        }
        using var reopened = PostIndex.OpenReadOnly(store.Paths.Index);
        Assert.Equal(store.Sequence, reopened.StoreSequence);
        Assert.Equal(1, reopened.Search(new SearchRequest { Query = "capitol", Limit = 0 }).Total);
    }

    [Fact]
    public async Task Applied_batches_are_committed_when_the_interval_is_up_without_waiting_for_another_batch()
    {
        // Another process (archiver search beside a watcher) reads only the committed index; a watcher may wait hours for its next batch.
        var ct = TestContext.Current.CancellationToken;
        using var archive = new TempArchive();
        using var store = ArchiveStore.Open(archive.Path);
        using var index = ArchiveIndex.Open(store, ct: ct);
        await using var writer = new ArchiveWriter(store);
        await using var follower = new IndexFollower(store, index, writer, new IndexFollowerOptions { CommitInterval = TimeSpan.FromMilliseconds(300) });
        await writer.WriteAsync(StorePosts.Batch(StorePosts.Make("1", "first capitol report")), ct);
        await writer.WriteAsync(StorePosts.Batch(StorePosts.Make("2", "second capitol report")), ct);
        await follower.WaitForAsync(store.Sequence, ct);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        long committed;
        while ((committed = CommittedSequence(store)) < store.Sequence && watch.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50, ct);
        Assert.Equal(store.Sequence, committed);
        using var reader = PostIndex.OpenReadOnly(store.Paths.Index);
        Assert.Equal(2, reader.Search(new SearchRequest { Query = "capitol", Limit = 0 }).Total);
    }

    [Fact]
    public async Task Batches_applied_within_the_refresh_interval_are_searchable_once_it_is_up_without_another_batch()
    {
        // A server refreshes its searchers at most every RefreshInterval (each refresh makes its searches rebuild
        // per-reader caches); what came meanwhile must still become searchable when the interval is up.
        var ct = TestContext.Current.CancellationToken;
        using var archive = new TempArchive();
        using var store = ArchiveStore.Open(archive.Path);
        using var index = ArchiveIndex.Open(store, ct: ct);
        await using var writer = new ArchiveWriter(store);
        var interval = TimeSpan.FromSeconds(2);
        await using var follower = new IndexFollower(store, index, writer, new IndexFollowerOptions { RefreshInterval = interval, CommitInterval = TimeSpan.FromMinutes(10) });
        await writer.WriteAsync(StorePosts.Batch(StorePosts.Make("1", "first capitol report")), ct);
        await follower.WaitForAsync(store.Sequence, ct);
        // The first batch is refreshed at once (no refresh yet); the second falls within the interval.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (Count(index) < 1 && watch.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20, ct);
        Assert.Equal(1, Count(index));
        await writer.WriteAsync(StorePosts.Batch(StorePosts.Make("2", "second capitol report")), ct);
        await follower.WaitForAsync(store.Sequence, ct);
        var applied = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(1, Count(index));
        while (Count(index) < 2 && applied.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20, ct);
        Assert.Equal(2, Count(index));
        Assert.True(applied.Elapsed < interval + TimeSpan.FromSeconds(1), $"searchable {applied.Elapsed.TotalSeconds:0.0} s after it was applied (interval {interval.TotalSeconds} s)");
    }

    private static long Count(PostIndex index) => index.Search(new SearchRequest { Query = "capitol", Limit = 0 }).Total;

    private static long CommittedSequence(ArchiveStore store)
    {
        using var reader = PostIndex.OpenReadOnly(store.Paths.Index);
        return reader.StoreSequence;
    }
}
