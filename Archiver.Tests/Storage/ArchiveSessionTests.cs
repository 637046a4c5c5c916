using Archiver.Indexing;
using Archiver.Search;
using Archiver.Storage;
using Archiver.Tests.Indexing;
using Archiver.Tests.Support;

namespace Archiver.Tests.Storage;

/// <summary>The one write path: a session owns lock, store, index follower and writer; the writer acknowledges each producer's batch.</summary>
public sealed class ArchiveSessionTests
{
    [Fact]
    public async Task Each_producer_hears_its_own_part_of_a_merged_commit()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempArchive();
        await using var session = ArchiveSession.Open(dir.Path, ct: ct);
        var merged = new List<StoreBatchResult>();
        session.Writer.Committed += merged.Add;
        // The first batch's after-commit step holds the writer until both producers' batches are queued behind it.
        using var holding = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var first = await session.Writer.SubmitAsync(StorePosts.Batch(StorePosts.Make("0", "first")), _ =>
        {
            holding.Set();
            gate.Wait(ct);
        }, ct);
        holding.Wait(ct);
        var fresh = Enumerable.Range(1, 10).Select(i => StorePosts.Make($"{i}", $"post {i}")).ToArray();
        var a = await session.Writer.SubmitAsync(StorePosts.Batch(fresh), ct);
        // B sees five of A's posts unchanged and five edited, as if A had been committed alone before it.
        var b = await session.Writer.SubmitAsync(StorePosts.Batch([.. fresh.Take(5), .. fresh.Skip(5).Select(p => p with { Text = p.Text + " (edited)" })]), ct);
        gate.Set();
        var (ra, rb) = (await a, await b);

        Assert.Equal(1, (await first).Inserted);
        Assert.Equal((10, 0, 0), (ra.Inserted, ra.Unchanged, ra.Edited));
        Assert.Equal((0, 5, 5), (rb.Inserted, rb.Unchanged, rb.Edited));
        Assert.Equal(ra.Sequence, rb.Sequence);
        Assert.Equal(2, merged.Count);
        Assert.Equal((10, 5, 5), (merged[1].Inserted, merged[1].Unchanged, merged[1].Edited));
        Assert.Equal(fresh.Select(p => p.Key).Order(), ra.ChangedKeys.Order());
        Assert.Equal(fresh.Skip(5).Select(p => p.Key).Order(), rb.ChangedKeys.Order());
        Assert.Equal(2, session.Store.GetPost(fresh[7].Key)!.Version);
    }

    [Fact]
    public async Task The_after_commit_step_runs_once_its_records_are_committed_and_in_submission_order()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempArchive();
        await using var session = ArchiveSession.Open(dir.Path, ct: ct);
        var seen = new List<(int Batch, long Sequence, bool Stored)>();
        var acks = new List<Task<StoreBatchResult>>();
        for (var i = 0; i < 20; i++)
        {
            var post = StorePosts.Make($"{i}", $"post {i}");
            var n = i;
            // An empty batch (a chunk of bad lines only) is acknowledged in its turn as well.
            var batch = i % 5 == 4 ? new StoreBatch() : StorePosts.Batch(post);
            acks.Add(await session.Writer.SubmitAsync(batch, r => seen.Add((n, r.Sequence, batch.Count == 0 || session.Store.GetPost(post.Key) is not null)), ct));
        }
        await Task.WhenAll(acks);

        Assert.Equal(Enumerable.Range(0, 20), seen.Select(s => s.Batch));
        Assert.All(seen, s => Assert.True(s.Stored));
        Assert.Equal(seen.Select(s => s.Sequence).Order(), seen.Select(s => s.Sequence));
        Assert.Equal(16, session.Store.Counters.Posts);
    }

    [Fact]
    public async Task A_second_session_on_one_archive_is_refused_naming_the_first_until_the_first_is_disposed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempArchive();
        var session = ArchiveSession.Open(dir.Path, new ArchiveSessionOptions { Follower = (store, c) => IndexFollower.Open(store, ct: c) }, ct);
        await session.Writer.WriteAsync(StorePosts.Batch(StorePosts.Make("1", "breaking capitol news")), ct);

        var refused = Assert.Throws<ArchiveBusyException>(() => ArchiveSession.Open(dir.Path, ct: ct));
        Assert.Contains($"pid {Environment.ProcessId}", refused.Message);
        await session.DisposeAsync();

        // Disposed in reverse order: the writer committed, the index followed and committed, the lock is free.
        await using var again = ArchiveSession.Open(dir.Path, ct: ct);
        Assert.Equal(1, again.Store.Counters.Posts);
        using var index = PostIndex.OpenReadOnly(again.Paths.Index);
        Assert.Equal(again.Store.Sequence, index.StoreSequence);
        Assert.Equal(1, index.Search(new SearchRequest { Query = "capitol", Limit = 0 }).Total);
    }
}
