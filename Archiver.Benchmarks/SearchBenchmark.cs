using System.Collections.Concurrent;
using System.Diagnostics;
using Archiver.Search;

namespace Archiver.Benchmarks;

/// <summary>
/// The search benchmark of issue 6: index the shared corpus into a fresh index (no store involved), run
/// the 200 shared queries through the users' query parser (count + top 10, single thread, warm, 1 untimed
/// and 3 timed passes, per-query median), check every total against expected-hits.tsv, and time counts by
/// field plus a week histogram over a query with at least 500,000 matches.
/// </summary>
public sealed class SearchBenchmark(SearchBenchmark.Settings settings, TextWriter output)
{
    public sealed record Settings(string Corpus, string Queries, string Expected, string Directory, int Threads, bool StoreText, double RamBufferMB, bool Reuse = false);

    public sealed record BuildFigures(long Posts, double Seconds, double CloseSeconds, long PeakRssBytes, long IndexBytes)
    {
        public double PostsPerSecond => Posts / Seconds;
    }

    public sealed record Latency(string Type, int Queries, double P50Ms, double P99Ms, double MaxMs, double CpuP50Ms, double CpuP99Ms);

    public sealed record Mismatch(string Id, string Query, long Expected, long Actual);

    public sealed record AggregationFigures(string Query, long Matches, double QueryOnlyMs, double WithAggregationMs);

    public sealed record Report(BuildFigures Build, IReadOnlyList<Latency> Latencies, IReadOnlyList<Mismatch> Mismatches, AggregationFigures Aggregation);

    public Report Run(CancellationToken ct)
    {
        BuildFigures build;
        if (settings.Reuse && PostIndex.Exists(settings.Directory))
        {
            build = new BuildFigures(0, 0, 0, 0, new DirectoryInfo(settings.Directory).EnumerateFiles().Sum(f => f.Length));
            output.WriteLine($"  build: skipped (--reuse), index size {build.IndexBytes / 1048576.0:0} MiB");
        }
        else
        {
            if (System.IO.Directory.Exists(settings.Directory)) System.IO.Directory.Delete(settings.Directory, recursive: true);
            build = Build(ct);
        }
        var options = new PostIndexOptions { StoreText = settings.StoreText };
        using var index = PostIndex.Open(settings.Directory, options);
        var (latencies, mismatches) = Queries(index, ct);
        var aggregation = Aggregate(index);
        return new Report(build, latencies, mismatches, aggregation);
    }

    private BuildFigures Build(CancellationToken ct)
    {
        var options = new PostIndexOptions { StoreText = settings.StoreText, RamBufferMB = settings.RamBufferMB };
        var watch = Stopwatch.StartNew();
        var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        long posts = 0;
        double seconds, closeSeconds;
        var index = PostIndex.Open(settings.Directory, options);
        try
        {
            using var batches = new BlockingCollection<List<byte[]>>(boundedCapacity: 16);
            var workers = Enumerable.Range(0, settings.Threads).Select(_ => Task.Factory.StartNew(() =>
            {
                foreach (var batch in batches.GetConsumingEnumerable(ct))
                {
                    foreach (var line in batch) index.Add(SearchCorpus.Parse(line));
                    var total = Interlocked.Add(ref posts, batch.Count);
                    if (total % 200_000 < batch.Count)
                        output.WriteLine($"  indexed {total,10:N0} posts, {total / watch.Elapsed.TotalSeconds,8:N0} posts/s, RSS {ProcessStats.CurrentRssBytes() / 1048576} MiB");
                }
            }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
            try
            {
                foreach (var batch in SearchCorpus.ReadLineBatches(settings.Corpus, 1000)) batches.Add(batch, ct);
            }
            finally
            {
                batches.CompleteAdding();
            }
            Task.WaitAll(workers, ct);
            index.Commit(storeSequence: 0);
            seconds = watch.Elapsed.TotalSeconds;
        }
        finally
        {
            index.Dispose();
        }
        closeSeconds = watch.Elapsed.TotalSeconds;
        var figures = new BuildFigures(posts, seconds, closeSeconds, ProcessStats.PeakRssBytes(),
            new DirectoryInfo(settings.Directory).EnumerateFiles().Sum(f => f.Length));
        output.WriteLine($"  build: {figures.Posts:N0} posts in {figures.Seconds:0.0} s (to the final commit) = {figures.PostsPerSecond:N0} posts/s; "
            + $"{figures.Posts / closeSeconds:N0} posts/s including close (background merges finished) at {closeSeconds:0.0} s");
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds;
        // On a shared machine wall time depends on the neighbours; CPU time per post does not.
        output.WriteLine($"  build CPU time {cpu:0.0} s = {posts / cpu:N0} posts per CPU-second (load average now {LoadAverage()})");
        output.WriteLine($"  peak RSS {figures.PeakRssBytes / 1048576.0:0} MiB, index size {figures.IndexBytes / 1048576.0:0} MiB");
        return figures;
    }

    private (IReadOnlyList<Latency>, IReadOnlyList<Mismatch>) Queries(PostIndex index, CancellationToken ct)
    {
        var queries = SearchCorpus.ReadQueries(settings.Queries);
        var expected = SearchCorpus.ReadExpected(settings.Expected);
        var samples = queries.Select(_ => new double[3]).ToArray();
        var cpuSamples = queries.Select(_ => new double[3]).ToArray();
        var totals = new long[queries.Count];
        for (var pass = 0; pass < 4; pass++)
        {
            for (var i = 0; i < queries.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                var cpuStart = SearchThreadCpu.Milliseconds();
                var start = Stopwatch.GetTimestamp();
                var result = index.Search(new SearchRequest { Query = queries[i].Text, Limit = 10, Snippets = false });
                var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (pass > 0)
                {
                    samples[i][pass - 1] = elapsed;
                    cpuSamples[i][pass - 1] = SearchThreadCpu.Milliseconds() - cpuStart;
                }
                totals[i] = result.Total;
            }
        }
        var medians = samples.Select(s => s.Order().ElementAt(1)).ToArray();
        var cpuMedians = cpuSamples.Select(s => s.Order().ElementAt(1)).ToArray();
        var latencies = new List<Latency> { Summarize("all", medians, cpuMedians) };
        foreach (var group in queries.Select((q, i) => (q.Type, Median: medians[i], Cpu: cpuMedians[i])).GroupBy(x => x.Type))
            latencies.Add(Summarize(group.Key, group.Select(x => x.Median).ToArray(), group.Select(x => x.Cpu).ToArray()));
        output.WriteLine($"  queries (median of 3 warm passes per query; wall time, and the query thread's CPU time{(SearchThreadCpu.Available ? "" : ": unavailable here")}):");
        foreach (var l in latencies)
            output.WriteLine($"  queries {l.Type,-7} n={l.Queries,3}  p50 {l.P50Ms,7:0.000} ms  p99 {l.P99Ms,8:0.000} ms  max {l.MaxMs,8:0.000} ms   | CPU p50 {l.CpuP50Ms,7:0.000} ms  p99 {l.CpuP99Ms,8:0.000} ms");
        var mismatches = new List<Mismatch>();
        for (var i = 0; i < queries.Count; i++)
        {
            var want = expected.TryGetValue(queries[i].Id, out var n) ? n : -1;
            if (want != totals[i]) mismatches.Add(new Mismatch(queries[i].Id, queries[i].Text, want, totals[i]));
        }
        output.WriteLine(mismatches.Count == 0
            ? $"  hit counts: all {queries.Count} equal expected-hits.tsv"
            : $"  hit counts: {mismatches.Count} of {queries.Count} DIFFER from expected-hits.tsv");
        return (latencies, mismatches);
    }

    private AggregationFigures Aggregate(PostIndex index)
    {
        const string query = "the";
        var plain = new SearchRequest { Query = query, Limit = 10, Snippets = false };
        var full = plain with { CountBy = IndexFields.Countable, Histogram = HistogramPeriod.Week };
        var matches = index.Search(plain).Total;
        var plainMs = Median(() => index.Search(plain));
        var fullMs = Median(() => index.Search(full));
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < 5; i++) index.Search(full);
        var fullCpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / 5;
        output.WriteLine($"  aggregation: '{query}' ({matches:N0} matches) count + top 10 {plainMs:0.0} ms; "
            + $"+ counts by {string.Join(",", IndexFields.Countable)} + week histogram {fullMs:0.0} ms (CPU time {fullCpuMs:0.0} ms, summed over threads; load average {LoadAverage()})");
        var parts = IndexFields.Countable.Select(f => $"{f} {Median(() => index.Search(plain with { CountBy = [f] })) - plainMs:0.0}")
            .Append($"week histogram {Median(() => index.Search(plain with { Histogram = HistogramPeriod.Week })) - plainMs:0.0}");
        output.WriteLine($"  aggregation by part (ms over the query alone): {string.Join(", ", parts)}");
        return new AggregationFigures(query, matches, plainMs, fullMs);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static double Median(Action action)
    {
        action();
        var times = new double[5];
        for (var i = 0; i < times.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return times[2];
    }

    private static Latency Summarize(string type, double[] values, double[] cpu)
    {
        var sorted = values.Order().ToArray();
        var cpuSorted = cpu.Order().ToArray();
        return new Latency(type, sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted[^1], Percentile(cpuSorted, 0.50), Percentile(cpuSorted, 0.99));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
