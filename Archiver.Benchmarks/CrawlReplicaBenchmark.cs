using System.CommandLine;
using System.Diagnostics;
using Archiver.Cli;
using Archiver.Crawling;
using Archiver.Platforms;
using Archiver.Replica;
using Archiver.Storage;

namespace Archiver.Benchmarks;

/// <summary>
/// <c>Archiver.Benchmarks crawl-replica</c>: crawls every Telegram channel of a replica network (served by a child
/// <c>archiver replica serve</c> on 127.0.0.1) the way <c>archiver crawl</c> does — real Telegram platform,
/// WARC capture, parsing, storing, then the search index — and checks the archive against the replica's
/// ground truth. Prints pages/s, posts/s, time per stage, CPU seconds of crawler and server, peak RSS.
/// </summary>
public static class CrawlReplicaBenchmark
{
    public static Command Command(CommandRunner run)
    {
        var size = new Option<string>("--size") { Description = "Replica size: small, medium, large, posts:N (half of N are Telegram posts)", DefaultValueFactory = _ => "posts:800000" };
        var seed = new Option<ulong>("--seed") { Description = "Replica generator seed", DefaultValueFactory = _ => 1 };
        var channels = new Option<int?>("--channels") { Description = "Crawl only the first N Telegram channels (default: all)" };
        var concurrency = new Option<int>("--concurrency") { Description = "Pages fetched at once", DefaultValueFactory = _ => 16 };
        var faults = new Option<string?>("--faults") { Description = "Replica faults, as 'archiver replica serve --faults' takes them (default: none)" };
        var media = new Option<bool>("--media") { Description = "Download the posts' media too (off by default, as in 'bench crawl')" };
        var inProcess = new Option<bool>("--in-process") { Description = "Serve the replica inside this process (RSS and CPU then include the server)" };
        var dir = new Option<string?>("--dir") { Description = "Scratch archive directory (deleted first; default: a temp dir, deleted after)" };
        var command = new Command("crawl-replica", "Crawler on the replica's Telegram shape: fetch + WARC capture + parse + store + index, checked against the truth")
        {
            size, seed, channels, concurrency, faults, media, inProcess, dir,
        };
        run.Attach(command, async (context, parse, ct) =>
        {
            var replicaSize = ReplicaSize.Parse(parse.GetValue(size)!);
            var network = new ReplicaNetwork(parse.GetValue(seed), replicaSize);
            var take = parse.GetValue(channels) ?? network.Channels.Count;
            var n = parse.GetValue(concurrency);
            if (take <= 0 || n <= 0) throw new UsageException("--channels and --concurrency must be positive.");
            var directory = parse.GetValue(dir) ?? Path.Combine(Path.GetTempPath(), $"archiver-bench-crawl-replica-{Environment.ProcessId}");
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            var faultSpec = parse.GetValue(faults);

            await using var server = parse.GetValue(inProcess) ? null : await ReplicaServerProcess.StartAsync(network.Seed, replicaSize.Name, faultSpec, ct);
            await using var local = server is null
                ? await ReplicaHost.StartAsync(new ReplicaOptions { Seed = network.Seed, Size = replicaSize, Faults = FaultSettings.Parse(faultSpec), LogRequests = false }, ct)
                : null;
            var endpoints = server?.Endpoints ?? local!.Endpoints;
            var crawled = network.Channels.Take(take).ToList();
            var seeds = crawled.Select(c => $"telegram:{endpoints.Origin(OriginKind.Telegram)}/s/{c.Name}").ToList();
            context.Out.WriteLine($"bench crawl-replica: {replicaSize.Name} replica (seed {network.Seed}), {crawled.Count} Telegram channels, {n} concurrent fetches, " +
                $"server {(server is null ? "in this process" : "in a child process")}{(string.IsNullOrEmpty(faultSpec) ? "" : $", faults {faultSpec}")}, into {directory}");
            try
            {
                var report = await CrawlAsync(directory, seeds, n, parse.GetValue(media), ct);
                var serverCpu = server?.CpuTime;
                var crawlerRss = ProcessStats.PeakRssBytes();
                Print(context, report, serverCpu, crawlerRss, server?.PeakRssBytes);
                var check = TruthCheck.Run(directory, new ReplicaTruth(network, endpoints, 1), crawled);
                context.Out.WriteLine($"  truth  {check.Summary}");
                if (context.Json)
                {
                    context.WriteJson(new
                    {
                        report.Summary,
                        crawl_cpu_seconds = report.CrawlCpu.TotalSeconds,
                        index_seconds = report.IndexSeconds,
                        index_cpu_seconds = report.IndexCpu.TotalSeconds,
                        server_cpu_seconds = serverCpu?.TotalSeconds,
                        peak_rss_bytes = crawlerRss,
                        server_peak_rss_bytes = server?.PeakRssBytes,
                        truth_posts = check.Expected,
                        archived_posts = check.Archived,
                        truth_ok = check.Ok,
                    });
                }
                return check.Ok ? ExitCodes.Ok : ExitCodes.Failure;
            }
            finally
            {
                if (parse.GetValue(dir) is null && Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            }
        });
        return command;
    }

    private sealed record Report(CrawlSummary Summary, TimeSpan CrawlCpu, double IndexSeconds, TimeSpan IndexCpu);

    /// <summary>What <c>archiver crawl --allow-private --rate 0 --no-media SEEDS</c> runs, with bench concurrency.</summary>
    private static async Task<Report> CrawlAsync(string directory, List<string> seeds, int concurrency, bool media, CancellationToken ct)
    {
        var options = new CrawlOptions
        {
            DataDir = directory,
            Seeds = seeds,
            AllowPrivate = true,
            Concurrency = concurrency,
            PerHost = concurrency,
            RatePerHost = 0,
            NoMedia = !media,
        };
        var registry = KnownPlatforms.Registry();
        await using var browser = BrowserFetcher.Create(options);
        // As `archiver crawl` runs by default: the index follows the store during the crawl.
        var crawler = new Crawler(options, registry, browser) { IndexWhileCrawling = true };
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var summary = await crawler.RunAsync(Crawler.ResolveSeeds(registry, seeds), ct);
        var crawlCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var watch = Stopwatch.StartNew();
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        using (var store = ArchiveStore.Open(directory))
        using (Indexing.ArchiveIndex.Open(store, ct: ct)) { }
        return new Report(summary, crawlCpu, watch.Elapsed.TotalSeconds, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    private static void Print(CliContext context, Report report, TimeSpan? serverCpu, long crawlerRss, long? serverRss)
    {
        var s = report.Summary;
        var wall = s.ElapsedSeconds;
        var o = context.Out;
        o.WriteLine($"  pages  {s.Pages,10:N0} in {wall:0.00} s = {s.PagesPerSecond,8:N1} pages/s");
        o.WriteLine($"  posts  {s.Posts,10:N0}              = {s.PostsPerSecond,8:N1} posts/s   (target >= 6,000 with capture, parsing, storing, indexing)");
        o.WriteLine($"  bytes  {Format.Bytes(s.Bytes)} fetched; errors {s.Errors}; retries {s.Retries}; media {s.Media:N0}");
        foreach (var (stage, seconds) in s.StageSeconds)
            o.WriteLine($"  stage {stage,-8} {seconds,8:0.00} s busy ({seconds / wall:0.00} of wall time, summed over workers)");
        o.WriteLine($"  cpu    crawler {report.CrawlCpu.TotalSeconds:0.0} s ({report.CrawlCpu.TotalSeconds / wall:0.00} cores)" +
            (serverCpu is { } sc ? $", replica server {sc.TotalSeconds:0.0} s ({sc.TotalSeconds / wall:0.00} cores; includes its start-up)" : "") +
            $"; {Environment.ProcessorCount} cores");
        var end = wall + report.IndexSeconds;
        o.WriteLine($"  index  followed the crawl; catch-up left after it {report.IndexSeconds:0.00} s ({report.IndexCpu.TotalSeconds:0.0} s CPU); " +
            $"end to end {s.Pages / end,8:N1} pages/s = {s.Posts / end,8:N1} posts/s");
        o.WriteLine($"  peak RSS crawler {Format.Bytes(crawlerRss)}   (target <= 400 MiB)" + (serverRss is { } r ? $"; replica server {Format.Bytes(r)}" : ""));
        o.WriteLine($"  memory {ProcessStats.Collections()}");
    }
}
