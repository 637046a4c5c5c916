using System.Diagnostics;
using Archiver.Model;
using Archiver.Storage;

namespace Archiver.Benchmarks;

/// <summary>
/// The store benchmark of the foundation issue: insert N new posts, re-store them unchanged, store them
/// edited, get by id, full scan. Prints posts/s for each phase and the peak RSS.
/// </summary>
public sealed class StoreBenchmark(string directory, int posts, int batchSize, TextWriter output, bool recordEvents = false)
{
    public sealed record Phase(string Name, long Items, TimeSpan Elapsed)
    {
        public double PerSecond => Items / Elapsed.TotalSeconds;
    }

    public sealed record Report(int Posts, IReadOnlyList<Phase> Phases, double GetP50Micros, double GetP99Micros, long FileBytes, long PeakRssBytes);

    /// <summary>
    /// Bare LiteDB on the same documents (InsertBulk, no versioning, no bookkeeping), so the store's own
    /// overhead is visible next to the engine's cost on this machine at this moment.
    /// </summary>
    public Phase Baseline()
    {
        var path = Path.Combine(directory + "-baseline", "bare.db");
        if (Directory.Exists(Path.GetDirectoryName(path))) Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            using var db = new LiteDB.LiteDatabase(new LiteDB.ConnectionString { Filename = path, Connection = LiteDB.ConnectionType.Direct });
            var collection = db.GetCollection("posts");
            // One transaction the size of one segment's share of a store batch, so the per-transaction costs compare.
            var perTransaction = Math.Max(1, batchSize / ArchiveStore.DefaultSegments);
            return Timed("bare LiteDB insert", () =>
            {
                for (var start = 0; start < posts; start += perTransaction)
                {
                    var docs = Enumerable.Range(start, Math.Min(perTransaction, posts - start)).Select(i =>
                    {
                        var post = SyntheticPosts.Make(i);
                        var doc = new LiteDB.BsonDocument { ["_id"] = post.Key };
                        return BsonMapping.FromPost(post, doc);
                    });
                    collection.InsertBulk(docs, perTransaction);
                }
                return posts;
            });
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    public Report Run()
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        var phases = new List<Phase>();
        var now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        double p50, p99;
        long size;
        using (var store = ArchiveStore.Open(directory))
        {
            phases.Add(Timed("insert new", () => WriteAll(store, i => SyntheticPosts.Make(i), now)));
            phases.Add(Timed("re-store unchanged", () => WriteAll(store, i => SyntheticPosts.Make(i), now.AddHours(1))));
            phases.Add(Timed("store edited", () => WriteAll(store, i => SyntheticPosts.Make(i, edition: 1), now.AddHours(2))));
            (p50, p99) = GetById(store);
            size = store.SizeOnDisk();
        }
        using (var store = ArchiveStore.Open(directory, readOnly: true))
        {
            // The bulk read path (exports, verification): reads the segment files page by page in constant memory.
            // ScanPosts goes through LiteDB's cursor, which caches every page it reads (GBs at a million posts).
            phases.Add(Timed("full scan", () =>
            {
                long n = 0;
                store.ScanPostsForExport(null, _ => n++, new PostScanProgress(), CancellationToken.None);
                return n;
            }));
        }
        var report = new Report(posts, phases, p50, p99, size, ProcessStats.PeakRssBytes());
        return report;
    }

    /// <summary>
    /// Writes the posts in batches, generating the next batch on another thread while the store commits
    /// the current one, as an import's parser and the writer stage overlap.
    /// </summary>
    private long WriteAll(ArchiveStore store, Func<int, Post> make, DateTime observedAt)
    {
        using var ready = new System.Collections.Concurrent.BlockingCollection<List<PostObservation>>(boundedCapacity: 2);
        var producer = Task.Run(() =>
        {
            try
            {
                for (var start = 0; start < posts; start += batchSize)
                {
                    var batch = new List<PostObservation>(Math.Min(batchSize, posts - start));
                    for (var i = start; i < Math.Min(posts, start + batchSize); i++) batch.Add(new PostObservation(make(i), observedAt));
                    ready.Add(batch);
                }
            }
            finally
            {
                ready.CompleteAdding();
            }
        });
        foreach (var batch in ready.GetConsumingEnumerable()) store.Write(new StoreBatch { Posts = batch, RecordEvents = recordEvents });
        producer.GetAwaiter().GetResult();
        return posts;
    }

    private (double P50, double P99) GetById(ArchiveStore store)
    {
        var random = new Random(1);
        var samples = new double[Math.Min(20_000, posts)];
        for (var i = 0; i < samples.Length; i++)
        {
            var key = SyntheticPosts.Make(random.Next(posts)).Key;
            var start = Stopwatch.GetTimestamp();
            _ = store.GetPost(key) ?? throw new InvalidOperationException($"missing {key}");
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(samples);
        return (samples[samples.Length / 2], samples[(int)(samples.Length * 0.99)]);
    }

    private Phase Timed(string name, Func<long> body)
    {
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var items = body();
        var phase = new Phase(name, items, watch.Elapsed);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        output.WriteLine($"  {name,-20} {items,10:N0} posts in {phase.Elapsed.TotalSeconds,7:0.00} s = {phase.PerSecond,9:N0} posts/s   (CPU {cpu.TotalSeconds:0.00} s, RSS now {ProcessStats.CurrentRssBytes() / 1048576} MiB, managed heap {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576} MiB, GCs {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)})");
        return phase;
    }
}
