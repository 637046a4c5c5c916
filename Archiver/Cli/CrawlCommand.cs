using System.CommandLine;
using System.Globalization;
using System.Reflection;
using Archiver.Crawling;
using Archiver.Model;
using Archiver.Platforms;

namespace Archiver.Cli;

/// <summary><c>archiver crawl SEED...</c>: archive everything public behind the seeds; re-run to resume.</summary>
public sealed class CrawlCommand(IReadOnlyList<IPlatform>? platforms = null) : ICliCommand
{
    public Command Build(CommandRunner run)
    {
        var seeds = new Argument<string[]>("SEED") { Description = "Seeds: telegram:NAME, mastodon:@user@host, a platform URL, or PLATFORM:URL", Arity = ArgumentArity.ZeroOrMore };
        var seedsFile = new Option<string?>("--seeds-file") { Description = "File with one seed per line (# comments)", HelpName = "FILE" };
        var allowPrivate = new Option<bool>("--allow-private") { Description = "Allow loopback/private/link-local addresses (a local replica); refused by default" };
        var ignoreRobots = new Option<bool>("--ignore-robots") { Description = "Do not obey robots.txt (obeyed by default; use only where you have the right to)" };
        var proxy = new Option<string?>("--proxy") { Description = "Send every request through this HTTP proxy (http://HOST:PORT); HTTP_PROXY and friends are ignored. Targets are still checked against --allow-private first", HelpName = "URL" };
        var userAgent = new Option<string>("--user-agent") { Description = "User-Agent header", DefaultValueFactory = _ => CrawlOptions.DefaultUserAgent };
        var concurrency = new Option<int>("--concurrency") { Description = "Pages fetched at once, over all hosts", DefaultValueFactory = _ => 8 };
        var perHost = new Option<int>("--per-host") { Description = "Pages fetched at once from one host", DefaultValueFactory = _ => 2 };
        var rate = new Option<double>("--rate") { Description = "Requests per second per host (0: no limit)", DefaultValueFactory = _ => 2 };
        var maxPages = new Option<long?>("--max-pages") { Description = "Stop after this many pages in this run" };
        var maxDepth = new Option<int?>("--max-depth") { Description = "Follow links at most this deep from the seeds" };
        var since = new Option<string?>("--since") { Description = Search.DateSyntax.SinceHelp, HelpName = "DATE" };
        var until = new Option<string?>("--until") { Description = Search.DateSyntax.UntilHelp, HelpName = "DATE" };
        var capturedAt = new Option<string?>("--captured-at")
        {
            Description = "When saved pages (parler:FILE) were captured; their relative ages (\"2 weeks ago\") count back from it (UTC)",
            HelpName = "DATE",
        };
        var noMedia = new Option<bool>("--no-media") { Description = "Do not download images, videos and files" };
        var recheck = new Option<bool>("--recheck") { Description = "Fetch every page again to record edits, deletions and takedowns" };
        var noIndex = new Option<bool>("--no-index") { Description = "Do not bring the search index up to date after the crawl (run 'archiver index' later)" };
        var plugin = new Option<string?>("--platform-plugin") { Description = "Load extra IPlatform types from an assembly (development and tests)", Hidden = true };
        var command = new Command("crawl", "Archive the posts, authors and media behind the seeds (WARC capture included); re-run to resume")
        {
            seeds, seedsFile, allowPrivate, ignoreRobots, proxy, userAgent, concurrency, perHost, rate, maxPages, maxDepth, since, until, capturedAt, noMedia, recheck, noIndex, plugin,
        };
        run.Attach(command, async (context, parse, ct) =>
        {
            var registry = new PlatformRegistry([.. platforms ?? [], .. LoadPlugin(parse.GetValue(plugin))]);
            var texts = (parse.GetValue(seeds) ?? []).Concat(ReadSeedsFile(parse.GetValue(seedsFile))).ToList();
            var resolved = Crawler.ResolveSeeds(registry, texts);
            var options = new CrawlOptions
            {
                DataDir = context.DataDir,
                Seeds = texts,
                AllowPrivate = parse.GetValue(allowPrivate),
                IgnoreRobots = parse.GetValue(ignoreRobots),
                Proxy = ParseProxy(parse.GetValue(proxy)),
                UserAgent = parse.GetValue(userAgent)!,
                Concurrency = Positive(parse.GetValue(concurrency), "--concurrency"),
                PerHost = Positive(parse.GetValue(perHost), "--per-host"),
                RatePerHost = parse.GetValue(rate) >= 0 ? parse.GetValue(rate) : throw new UsageException("--rate must be 0 or more."),
                MaxPages = parse.GetValue(maxPages),
                MaxDepth = parse.GetValue(maxDepth),
                // One meaning everywhere (search, export, crawl): --until D includes the whole of D.
                Since = parse.GetValue(since) is { Length: > 0 } from ? Export.StoreFieldFilter.ParseSpan(from, "--since").Start : null,
                Until = parse.GetValue(until) is { Length: > 0 } to ? Export.StoreFieldFilter.ParseSpan(to, "--until").End : null,
                CapturedAt = ParseDate(parse.GetValue(capturedAt), "--captured-at"),
                NoMedia = parse.GetValue(noMedia),
                Recheck = parse.GetValue(recheck),
            };
            if (options.Proxy is null && ProxyVariable() is { } variable)
                await context.Error.WriteLineAsync($"note: {variable} is set but not used: pass --proxy URL to crawl through a proxy (docs/crawler.md).");
            // Created lazily: Chromium starts only when a request needs it.
            await using var browser = BrowserFetcher.Create(options);
            var crawler = new Crawler(options, registry, browser) { IndexWhileCrawling = !parse.GetValue(noIndex) };
            var summary = await CrawlProgressView.RunAsync(context, crawler, () => crawler.RunAsync(resolved, ct)).ConfigureAwait(false);
            if (context.Json) context.WriteJson(summary);
            else CrawlProgressView.RenderSummary(context, summary);
            // Not after Ctrl-C: the user asked to stop; the next crawl, search or `archiver index` catches up.
            if (!parse.GetValue(noIndex) && summary.Posts > 0 && summary.State != CrawlJobState.Interrupted && !ct.IsCancellationRequested)
                IndexCatchUp.Run(context, ct);
            if (summary.State == CrawlJobState.Interrupted)
            {
                await context.Error.WriteLineAsync($"Interrupted; {summary.Pending:N0} pages pending. Everything stored is kept. Resume with the same command: archiver {string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Select(Quote))}");
                return ExitCodes.Interrupted;
            }
            // A seed that was not archived (not found, unreachable, refused...) is a failure the user must see in $?.
            return summary.SeedOutcomes.Any(o => o.Failed) ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }

    private static Uri? ParseProxy(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == "http" && uri.AbsolutePath == "/" && uri.Query.Length == 0
            ? uri
            : throw new UsageException($"--proxy '{text}' is not an HTTP proxy URL: use http://HOST:PORT (http://USER:PASSWORD@HOST:PORT with a login).");
    }

    private static string? ProxyVariable() =>
        new[] { "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy" }
            .FirstOrDefault(v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v)));

    private static int Positive(int value, string name) => value > 0 ? value : throw new UsageException($"{name} must be at least 1.");

    private static DateTime? ParseDate(string? text, string name)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : throw new UsageException($"{name} '{text}' is not a date; use YYYY-MM-DD or ISO-8601.");
    }

    private static IEnumerable<string> ReadSeedsFile(string? path)
    {
        if (path is null) return [];
        if (!File.Exists(path)) throw new UsageException($"--seeds-file {path} does not exist.");
        return File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));
    }

    private static IEnumerable<IPlatform> LoadPlugin(string? path)
    {
        if (path is null) return [];
        if (!File.Exists(path)) throw new UsageException($"--platform-plugin {path} does not exist.");
        var assembly = Assembly.LoadFrom(Path.GetFullPath(path));
        return assembly.GetExportedTypes()
            .Where(t => typeof(IPlatform).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false } && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IPlatform)Activator.CreateInstance(t)!)
            .ToList();
    }

    private static string Quote(string arg) => arg.Contains(' ') ? $"\"{arg}\"" : arg;
}
