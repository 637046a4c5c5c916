using System.Diagnostics;
using Archiver.Platforms;
using Archiver.Platforms.Sites;

namespace Archiver.Benchmarks;

/// <summary>Parses a directory of saved pages with one profile on one thread and measures the rate.</summary>
public static class SiteProfileBenchmark
{
    /// <summary>
    /// Rates per wall-clock second and per CPU second of this process (all threads, GC included). On a shared
    /// machine the second is the honest "per core" figure: it does not count time the thread spent waiting
    /// for a core.
    /// </summary>
    public sealed record Report(int Pages, long Posts, long Bytes, double Seconds, double CpuSeconds, int Problems)
    {
        public double PagesPerSecond => Pages / Seconds;
        public double PostsPerSecond => Posts / Seconds;
        public double MegabytesPerSecond => Bytes / 1e6 / Seconds;
        public double PagesPerCpuSecond => Pages / CpuSeconds;
        public double PostsPerCpuSecond => Posts / CpuSeconds;
        public double MegabytesPerCpuSecond => Bytes / 1e6 / CpuSeconds;
    }

    /// <summary>Every <c>*.html</c> under <paramref name="directory"/> is read into memory first, so only parsing is timed.</summary>
    public static Report Run(SiteProfile profile, string directory, Uri baseUrl, int rounds = 1)
    {
        var files = Directory.GetFiles(directory, "*.html", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new ArchiverException($"No .html files under {directory}; generate them with python3 shared/bench/gen_site.py 2000 {directory}.");
        var pages = files.Select(f => new FetchedPage
        {
            Url = new Uri(baseUrl, Path.GetRelativePath(directory, f).Replace('\\', '/')),
            Status = 200,
            Body = File.ReadAllBytes(f),
            ContentType = "text/html",
        }).ToList();

        // Warm-up: let the JIT and tiered compilation settle before timing.
        foreach (var page in pages.Take(Math.Min(200, pages.Count))) SiteParser.Parse(profile, page);

        long posts = 0, bytes = 0;
        var problems = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var page in pages)
            {
                var result = SiteParser.Parse(profile, page);
                posts += result.Posts.Count;
                problems += result.Problems.Count;
                bytes += page.Body.Length;
            }
        }
        clock.Stop();
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        return new Report(pages.Count * rounds, posts, bytes, clock.Elapsed.TotalSeconds, cpuSeconds, problems);
    }
}
