using Archiver.Benchmarks;
using Archiver.Model;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Storage;

/// <summary>
/// Many threads in one store, as serve's searches beside its watcher: LiteDB 5.0.21's page cache could hand a page in
/// use to another read, which then failed ("page type must be index page") and left the file refusing every later call
/// (<see cref="SerializedLiteEngine"/>). Small caches recycle pages all the time, so the race shows in seconds.
/// </summary>
public sealed class ConcurrentStoreAccessTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Reads_on_many_threads_beside_a_writer_never_fail_and_find_every_committed_post()
    {
        Assert.True(LiteFiles.UseSmallPageCaches());
        using var dir = new TempArchive();
        using var store = ArchiveStore.Open(dir.Path);
        for (var b = 0; b < 20; b++)
            store.Write(new StoreBatch { Posts = Enumerable.Range(b * 1_000, 1_000).Select(i => new PostObservation(SyntheticPosts.Make(i), T0)).ToList() });
        var committed = 20_000;
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        stop.CancelAfter(TimeSpan.FromSeconds(8));
        long reads = 0, batches = 0, edits = 0;

        var writer = Task.Run(() =>
        {
            var random = new Random(1);
            for (var edition = 1; !stop.IsCancellationRequested; edition++)
            {
                var first = Volatile.Read(ref committed);
                var posts = Enumerable.Range(first, 20).Select(i => SyntheticPosts.Make(i))
                    .Concat(Enumerable.Range(0, 20).Select(_ => SyntheticPosts.Make(random.Next(first), edition)))
                    .Select(p => new PostObservation(p, T0.AddMinutes(edition))).ToList();
                var gone = new Disappearance(SyntheticPosts.Make(random.Next(first)).Key, DisappearanceKind.Post, T0.AddMinutes(edition), 404, "not found");
                try
                {
                    var result = store.Write(new StoreBatch { Posts = posts, Disappearances = [gone], RecordEvents = true });
                    edits += result.Edited;
                    batches++;
                    Volatile.Write(ref committed, first + 20);
                }
                catch (Exception e)
                {
                    errors.Enqueue($"write: {e.GetType().Name}: {e.Message}");
                    return;
                }
            }
        }, TestContext.Current.CancellationToken);
        var readers = Enumerable.Range(0, 6).Select(r => Task.Run(() =>
        {
            var random = new Random(100 + r);
            while (!stop.IsCancellationRequested && errors.IsEmpty)
            {
                var i = random.Next(Volatile.Read(ref committed));
                var key = SyntheticPosts.Make(i).Key;
                try
                {
                    if (store.GetPost(key) is null) errors.Enqueue($"post {i} was committed but is not found");
                    store.GetVersions(key);
                    if (r == 0) _ = store.ScanPosts().Take(2_500).Count();
                    Interlocked.Increment(ref reads);
                }
                catch (Exception e)
                {
                    errors.Enqueue($"read: {e.GetType().Name}: {e.Message}");
                }
            }
        }, TestContext.Current.CancellationToken)).ToArray();
        await Task.WhenAll([writer, .. readers]);

        Assert.True(errors.IsEmpty, $"{errors.Count} failures after {reads} reads and {batches} batches, first: {errors.FirstOrDefault()}");
        Assert.True(batches > 5 && reads > 100 && edits > 0, $"too little work to say anything: {batches} batches ({edits} edits), {reads} reads");
        // The store still answers on one thread, and holds every post written.
        Assert.Equal(committed, store.ScanPosts().Count());
    }
}
