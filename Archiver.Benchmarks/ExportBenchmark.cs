using System.Diagnostics;
using Archiver.Export;
using Archiver.Storage;

namespace Archiver.Benchmarks;

/// <summary>
/// The export benchmark of the export issue: fill (or reuse) an archive of N synthetic posts, then export
/// it as JSONL, CSV and Parquet, and once more as JSONL and Parquet with a channel filter matching about 10% of the posts.
/// Prints posts/s and the peak RSS of each run (the kernel's high-water mark is reset between runs).
/// </summary>
public sealed class ExportBenchmark(string directory, int posts, TextWriter output)
{
    public sealed record Run(string Name, long Posts, long Scanned, TimeSpan Elapsed, TimeSpan Cpu, long PeakRssBytes, long OutputBytes, string ReadMode)
    {
        public double PerSecond => Posts / Elapsed.TotalSeconds;
        /// <summary>Posts per second of CPU time (all threads): the figure that does not depend on what else runs on the machine.</summary>
        public double PerCpuSecond => Posts / Cpu.TotalSeconds;
    }

    public sealed record Report(int Posts, TimeSpan? Fill, IReadOnlyList<Run> Runs);

    public async Task<Report> RunAsync(CancellationToken ct)
    {
        var fill = EnsureArchive();
        var runs = new List<Run>();
        var tenPercent = TenPercentOfChannels();
        foreach (var (name, format, filter) in new[]
        {
            // Parquet last: the heap it leaves behind would otherwise count in the next run's peak.
            ("jsonl", "jsonl", new StoreFieldFilter()),
            ("csv", "csv", new StoreFieldFilter()),
            ("jsonl, 10% filter", "jsonl", tenPercent),
            ("parquet, 10% filter", "parquet", tenPercent),
            ("parquet", "parquet", new StoreFieldFilter()),
        })
        {
            runs.Add(await ExportOnceAsync(name, format, filter, ct));
        }
        return new Report(posts, fill, runs);
    }

    /// <summary>
    /// A channel filter matching about 10% of the posts, whatever the archive holds (the synthetic posts or
    /// an imported corpus): the largest channels until they add up to a tenth.
    /// </summary>
    private StoreFieldFilter TenPercentOfChannels()
    {
        using var store = ArchiveStore.Open(directory, readOnly: true);
        var counters = store.Counters;
        var channels = new List<string>();
        long sum = 0;
        foreach (var (name, count) in counters.ByChannel.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal))
        {
            if (sum >= counters.Posts / 10) break;
            channels.Add(name[(name.IndexOf(':') + 1)..]);
            sum += count;
        }
        return StoreFieldFilter.Parse(null, null, null, [string.Join(",", channels.Distinct(StringComparer.Ordinal))]);
    }

    private TimeSpan? EnsureArchive()
    {
        var paths = new ArchivePaths(Path.GetFullPath(directory));
        if (paths.Exists)
        {
            using var existing = ArchiveStore.Open(directory, readOnly: true);
            if (existing.Counters.Posts == posts)
            {
                output.WriteLine($"  reusing {directory} ({posts:N0} posts)");
                return null;
            }
        }
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        var watch = Stopwatch.StartNew();
        var now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        using (var store = ArchiveStore.Open(directory))
        {
            const int batch = 5000;
            for (var start = 0; start < posts; start += batch)
            {
                var count = Math.Min(batch, posts - start);
                store.Write(new StoreBatch { Posts = Enumerable.Range(start, count).Select(i => new PostObservation(SyntheticPosts.Make(i), now)).ToList() });
            }
        }
        output.WriteLine($"  filled {posts:N0} posts in {watch.Elapsed.TotalSeconds:0.0} s");
        return watch.Elapsed;
    }

    private async Task<Run> ExportOnceAsync(string name, string format, StoreFieldFilter filter, CancellationToken ct)
    {
        var target = Path.Combine(directory, "exports", format + (filter.IsEmpty ? "" : "-filtered"));
        if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
        // Return the previous run's heap to the OS first, so each run's peak is its own.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        ResetPeakRss();
        var watch = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        ExportResult result;
        using (var store = ArchiveStore.Open(directory, readOnly: true))
        {
            var service = new ExportService(store, null, TimeProvider.System, "bench");
            result = await service.RunAsync(new ExportRequest { Format = format, OutPath = target, Filter = filter }, new ExportProgress(), ct);
        }
        var run = new Run(name, result.Posts, result.Scanned, watch.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu, ProcessStats.PeakRssBytes(),
            Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length), result.ReadMode);
        output.WriteLine($"  {name,-20} {run.Posts,10:N0} posts in {run.Elapsed.TotalSeconds,6:0.00} s = {run.PerSecond,9:N0} posts/s"
            + $" ({run.PerCpuSecond:N0} per CPU-second)   peak RSS {run.PeakRssBytes / 1048576} MiB, output {run.OutputBytes / 1048576} MiB ({run.ReadMode})");
        Directory.Delete(target, recursive: true);
        return run;
    }

    /// <summary>Resets the kernel's peak-RSS mark (VmHWM) so each run reports its own peak (Linux: /proc/self/clear_refs).</summary>
    private static void ResetPeakRss()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or not allowed: the figures are then the process's peak so far.
        }
    }
}
