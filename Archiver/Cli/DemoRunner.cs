using System.Diagnostics;
using Archiver.Crawling;
using Archiver.Export;
using Archiver.Indexing;
using Archiver.Platforms;
using Archiver.Replica;
using Archiver.Search;
using Archiver.Storage;
using Spectre.Console;

namespace Archiver.Cli;

/// <summary>
/// The whole pipeline on the offline replica network: start the replica on 127.0.0.1, crawl all of its
/// networks (with faults on), index, search, export, summarise, and stop everything it started.
/// </summary>
public sealed class DemoRunner(CliContext context, string directory, IReadOnlyList<DemoSearch>? searches = null)
{
    private readonly IReadOnlyList<DemoSearch> _searches = searches ?? DemoPlan.Searches;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var console = context.Console;
        PrepareDirectory();
        console.MarkupLine($"[bold]Archiver demo[/]: archiving an offline replica network into {Markup.Escape(directory)}");

        await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions
        {
            Seed = 1,
            Size = ReplicaSize.Small,
            Faults = FaultSettings.Parse(DemoPlan.Faults),
            LogRequests = false,
        }, ct).ConfigureAwait(false);
        console.MarkupLine($"1. Replica network started on 127.0.0.1 ({replica.Seeds.Count} seeds: Telegram, Mastodon, Truth Social, Gab, feeds, a forum, a JavaScript page; faults: {DemoPlan.Faults}).");

        var summary = await CrawlAsync(replica, ct).ConfigureAwait(false);
        // The demo's own session on the archive it just crawled (the index catch-up below writes under its lock).
        await using var session = ArchiveSession.Open(directory, ct: ct);
        var store = session.Store;
        // The archive's own counts (what `archiver stats` says), not the crawl's: the crawl counts every
        // sighting, and a post seen on several pages (a timeline page and a thread) is stored once.
        var counters = store.Counters;
        console.MarkupLine($"2. Crawled {summary.Pages:N0} pages: {Format.Count(counters.Posts)} posts archived, {Format.Count(counters.Authors)} authors/channels, {Format.Count(counters.Media)} media files "
            + $"({summary.Posts:N0} post sightings: a post seen on more than one page is stored once); "
            + $"{summary.Retries:N0} retries after injected faults, {summary.Errors:N0} pages failed.");
        if (summary.BrowserNote is not null) console.MarkupLine($"   [yellow]{Markup.Escape(summary.BrowserNote)}[/]");

        var failed = new List<string>();
        using (var index = ArchiveIndex.Open(store, ct: ct))
        {
            console.MarkupLine($"3. Indexed the archive for search ({index.StoreSequence} store batches followed).");
            console.MarkupLine("4. Example searches:");
            foreach (var (title, query, by, histogram) in _searches)
            {
                var request = new SearchRequest { Query = query, Limit = 3, CountBy = by, Histogram = histogram, TopValues = 6 };
                var results = index.Search(request);
                console.MarkupLine($"   [bold]{Markup.Escape(title)}[/]   archiver search '{Markup.Escape(query)}'{string.Concat(by.Select(b => " --by " + b))}{(histogram is null ? "" : $" --histogram {histogram.ToString()!.ToLowerInvariant()}")}");
                SearchOutput.Render(console, request, results, SearchOutput.Details(store, results));
                // Each example must show something: one that finds nothing means the pipeline lost posts or a field.
                if (Check(title, query, results) is { } problem)
                {
                    failed.Add(problem);
                    console.MarkupLine($"   [red]{Markup.Escape(problem)}[/]");
                }
            }
        }

        var exportPath = Path.Combine(directory, "exports", "telegram-jsonl");
        var export = await new ExportService(store, new SearchKeySource(store), TimeProvider.System, ExportCommand.ToolVersion)
            .RunAsync(new ExportRequest { Format = "jsonl", OutPath = exportPath, Query = DemoPlan.ExportQuery, Force = true }, new ExportProgress(), ct)
            .ConfigureAwait(false);
        console.MarkupLine($"5. Exported {export.Posts:N0} posts matching '{DemoPlan.ExportQuery}' as JSONL with datapackage.json and manifest-sha256.txt to {Markup.Escape(export.Path)}");

        // The watch: a second, evolving replica, in an archive of its own (the counts above stay those of the crawl).
        var watched = await new DemoWatch(context, Path.Combine(directory, "watch"), DemoPlan.Watch).RunAsync(ct).ConfigureAwait(false);
        if (watched.Problem is { } watchProblem)
        {
            failed.Add(watchProblem);
            console.MarkupLine($"   [red]{Markup.Escape(watchProblem)}[/]");
        }

        RenderSummary(store, watch.Elapsed);
        if (failed.Count == 0) return ExitCodes.Ok;
        console.MarkupLine($"[red]The demo's check failed[/]: {failed.Count} of its checks ({_searches.Count} example searches, the watch) showed nothing:");
        foreach (var problem in failed) console.MarkupLine($"  {Markup.Escape(problem)}");
        return ExitCodes.Failure;
    }

    /// <summary>Why an example search's output is not a result (null when it is): no match, or nothing to count by.</summary>
    internal static string? Check(string title, string query, SearchResults results)
    {
        if (results.Total == 0) return $"example search '{title}' ({query}) found nothing";
        var empty = results.Counts.Where(c => c.Top.Count == 0).Select(c => c.Field).ToList();
        return empty.Count == 0 ? null : $"example search '{title}' ({query}) found {results.Total:N0} posts but none has a value for {string.Join(", ", empty)}";
    }

    private async Task<CrawlSummary> CrawlAsync(ReplicaHost replica, CancellationToken ct)
    {
        var options = new CrawlOptions
        {
            DataDir = directory,
            Seeds = replica.Seeds,
            AllowPrivate = true,
            RatePerHost = 0,
            PerHost = 4,
            Concurrency = 16,
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        };
        var registry = KnownPlatforms.Registry();
        await using var browser = BrowserFetcher.Create(options);
        var crawler = new Crawler(options, registry, browser);
        var seeds = Crawler.ResolveSeeds(registry, replica.Seeds);
        return await CrawlProgressView.RunAsync(context, crawler, () => crawler.RunAsync(seeds, ct)).ConfigureAwait(false);
    }

    private void RenderSummary(ArchiveStore store, TimeSpan elapsed)
    {
        var console = context.Console;
        var stats = ArchiveStats.From(store, top: 5);
        var table = new Table().AddColumns("archived", "count");
        table.AddRow("posts", Format.Count(stats.Posts));
        foreach (var (platform, count) in stats.ByPlatform) table.AddRow($"  {Markup.Escape(platform)}", Format.Count(count));
        table.AddRow("authors / channels", Format.Count(stats.Authors));
        table.AddRow("media files", $"{Format.Count(stats.Media)} ({Format.Bytes(stats.MediaBytes)})");
        table.AddRow("archive size", Format.Bytes(stats.SizeBytes));
        console.Write(table);
        var copies = FeedCopies(store);
        if (copies > 0)
        {
            // Each replica channel's RSS feed repeats its latest posts: archived as they were served (both
            // records kept, as `stats` counts them), said here so nobody counts one message twice.
            console.MarkupLine($"The feed posts include {Format.Count(copies)} feed items copying an archived Telegram post (a channel's RSS feed repeats its posts; "
                + $"both records are kept and counted): {Format.Count(stats.Posts - copies)} distinct messages.");
        }
        var data = Quote(directory);
        console.MarkupLine($"Done in {elapsed.TotalSeconds:0.0} s. Both replicas are stopped; nothing is left running.");
        console.MarkupLine($"Files: the store {Markup.Escape(Path.Combine(directory, "archive.db"))} (+ posts-N.db), WARC captures in {Markup.Escape(store.Paths.Warc)}, media in {Markup.Escape(store.Paths.Media)}, the index in {Markup.Escape(store.Paths.Index)}.");
        console.MarkupLine("Try next:");
        foreach (var next in new[]
        {
            $"archiver --data {data} stats",
            $"archiver --data {data} search 'lang:fr' --by channel --histogram week",
            $"archiver --data {data} export --format parquet --out /tmp/demo-parquet '#' ",
            $"archiver --data {data} verify {Quote(Path.Combine(directory, "exports", "telegram-jsonl"))}",
        })
        {
            console.MarkupLine($"  {Markup.Escape(next.TrimEnd(' ', '\'', '#'))}");
        }
    }

    /// <summary>Feed items whose link is the URL of an archived Telegram post (the same message twice).</summary>
    private static long FeedCopies(ArchiveStore store)
    {
        var telegram = new HashSet<string>(StringComparer.Ordinal);
        var feedUrls = new List<string>();
        foreach (var stored in store.ScanPosts())
        {
            if (stored.Post.Url is not { } url) continue;
            if (stored.Post.Platform == "telegram") telegram.Add(url);
            else if (stored.Post.Platform == "feed") feedUrls.Add(url);
        }
        return feedUrls.Count(telegram.Contains);
    }

    /// <summary>The demo starts from an empty archive; it only ever deletes a directory it created itself.</summary>
    private void PrepareDirectory()
    {
        var marker = Path.Combine(directory, ".archiver-demo");
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            if (!File.Exists(marker))
                throw new UsageException($"{directory} exists and was not made by 'archiver demo'; pass --out to choose another directory.");
            Directory.Delete(directory, recursive: true);
        }
        Directory.CreateDirectory(directory);
        File.WriteAllText(marker, "Created by 'archiver demo'; the next demo run deletes and recreates this directory.\n");
    }

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;
}
