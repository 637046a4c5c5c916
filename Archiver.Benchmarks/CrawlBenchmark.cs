using System.CommandLine;
using Archiver.Cli;
using Archiver.Crawling;
using Archiver.Platforms;

namespace Archiver.Benchmarks;

/// <summary>
/// <c>Archiver.Benchmarks crawl --start URL</c>: crawls the shared benchmark site (nginx on 127.0.0.1) with WARC
/// capture, parsing and storing on, into a scratch archive; prints pages/s, posts/s, time per stage and
/// peak RSS. Parsing uses the shipped `bench-site` profile; the search index follows the store during the crawl
/// (<c>--index-after</c>: indexed after it, as before), and the catch-up left for after the crawl is timed too.
/// </summary>
public static class CrawlBenchmark
{
    public static Command Command(CommandRunner run)
    {
        var start = new Option<string>("--start") { Description = "Start URL of the bench site", DefaultValueFactory = _ => "http://127.0.0.1:8089/p/00000.html" };
        var pages = new Option<long?>("--max-pages") { Description = "Stop after this many pages (default: the whole site)" };
        var concurrency = new Option<int>("--concurrency") { Description = "Pages fetched at once", DefaultValueFactory = _ => 16 };
        var dir = new Option<string?>("--dir") { Description = "Scratch archive directory (deleted first; default: a temp dir)" };
        var linksOnly = new Option<bool>("--links-only") { Description = "Parse only the pager links (no posts): the engine's fetch + capture + frontier cost alone" };
        var indexAfter = new Option<bool>("--index-after") { Description = "Index after the crawl instead of during it (the old way, for comparison)" };
        var command = new Command("crawl", "Crawler: fetch + WARC capture + parse + store + index on the shared bench site") { start, pages, concurrency, dir, linksOnly, indexAfter };
        run.Attach(command, async (context, parse, ct) =>
        {
            var directory = parse.GetValue(dir) ?? Path.Combine(Path.GetTempPath(), $"archiver-bench-crawl-{Environment.ProcessId}");
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            var n = parse.GetValue(concurrency);
            var options = new CrawlOptions
            {
                DataDir = directory,
                AllowPrivate = true,
                Concurrency = n,
                PerHost = n,
                RatePerHost = 0,
                MaxPages = parse.GetValue(pages),
                NoMedia = true,
            };
            // The real `site` platform with the shipped bench-site profile; --links-only keeps the stand-in that
            // follows the pager without extracting posts, to time the engine alone.
            var registry = parse.GetValue(linksOnly) ? new PlatformRegistry([new CrawlBenchSitePlatform(linksOnly: true)]) : KnownPlatforms.Registry();
            var seed = parse.GetValue(linksOnly) ? "bench-site:" + parse.GetValue(start) : "site:bench-site:" + parse.GetValue(start);
            var crawler = new Crawler(options, registry) { IndexWhileCrawling = !parse.GetValue(indexAfter) };
            var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            context.Out.WriteLine($"bench crawl: {parse.GetValue(start)} with {n} concurrent fetches, into {directory}");
            try
            {
                var summary = await crawler.RunAsync(Crawler.ResolveSeeds(registry, [seed]), ct);
                var wall = summary.ElapsedSeconds;
                var during = !parse.GetValue(indexAfter);
                context.Out.WriteLine($"  pages  {summary.Pages,10:N0} in {wall:0.00} s = {summary.PagesPerSecond,8:N1} pages/s   (target >= 300{(during ? ", index included" : ", without the index")})");
                context.Out.WriteLine($"  posts  {summary.Posts,10:N0}              = {summary.PostsPerSecond,8:N1} posts/s   (target >= 6,000)");
                context.Out.WriteLine($"  bytes  {Format.Bytes(summary.Bytes)} fetched; errors {summary.Errors}; retries {summary.Retries}");
                foreach (var (stage, seconds) in summary.StageSeconds)
                    context.Out.WriteLine($"  stage {stage,-8} {seconds,8:0.00} s busy ({seconds / wall:0.00} of wall time, summed over workers)");
                var indexWatch = System.Diagnostics.Stopwatch.StartNew();
                long indexed;
                using (var store = Storage.ArchiveStore.Open(directory))
                using (var index = Indexing.ArchiveIndex.OpenWriter(store))
                {
                    var caughtUp = Indexing.ArchiveIndex.CatchUp(store, index, ct: ct);
                    indexed = index.DocumentCount;
                    context.Out.WriteLine($"  index  {indexed,10:N0} posts searchable (store holds {store.Counters.Posts:N0}); catch-up after the crawl: {caughtUp:N0} posts in {indexWatch.Elapsed.TotalSeconds:0.00} s");
                }
                var total = wall + indexWatch.Elapsed.TotalSeconds;
                context.Out.WriteLine($"  end to end (crawl + index) {total:0.00} s = {summary.Pages / total,8:N1} pages/s = {summary.Posts / total,8:N1} posts/s");
                var cpuUsed = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu;
                context.Out.WriteLine($"  CPU    {cpuUsed.TotalSeconds:0.00} s over {total:0.00} s wall = {cpuUsed.TotalSeconds / total:0.00} cores busy (of {Environment.ProcessorCount})");
                context.Out.WriteLine($"  peak RSS {Format.Bytes(ProcessStats.PeakRssBytes())}   (target <= 400 MiB)");
                if (context.Json) context.WriteJson(new { summary, peak_rss_bytes = ProcessStats.PeakRssBytes(), end_to_end_seconds = total, cpu_seconds = cpuUsed.TotalSeconds, indexed });
            }
            finally
            {
                if (parse.GetValue(dir) is null && Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
