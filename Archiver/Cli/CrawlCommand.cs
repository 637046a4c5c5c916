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
        var network = new CrawlNetworkOptions();
        var maxPages = new Option<long?>("--max-pages") { Description = "Stop after this many pages in this run" };
        var maxDepth = new Option<int?>("--max-depth") { Description = "Follow links at most this deep from the seeds" };
        var since = new Option<string?>("--since") { Description = Search.DateSyntax.SinceHelp, HelpName = "DATE" };
        var until = new Option<string?>("--until") { Description = Search.DateSyntax.UntilHelp, HelpName = "DATE" };
        var capturedAt = new Option<string?>("--captured-at")
        {
            Description = "When saved pages (parler:FILE) were captured; their relative ages (\"2 weeks ago\") count back from it (UTC)",
            HelpName = "DATE",
        };
        var recheck = new Option<bool>("--recheck") { Description = "Fetch every page again to record edits, deletions and takedowns" };
        var noIndex = new Option<bool>("--no-index") { Description = "Do not bring the search index up to date after the crawl (run 'archiver index' later)" };
        var plugin = new Option<string?>("--platform-plugin") { Description = "Load extra IPlatform types from an assembly (development and tests)", Hidden = true };
        var command = new Command("crawl", "Archive the posts, authors and media behind the seeds (WARC capture included); re-run to resume")
        {
            seeds, seedsFile, maxPages, maxDepth, since, until, capturedAt, recheck, noIndex, plugin,
        };
        foreach (var option in network.All) command.Options.Add(option);
        run.Attach(command, async (context, parse, ct) =>
        {
            var registry = new PlatformRegistry([.. platforms ?? [], .. LoadPlugin(parse.GetValue(plugin))]);
            var texts = (parse.GetValue(seeds) ?? []).Concat(ReadSeedsFile(parse.GetValue(seedsFile))).ToList();
            var resolved = Crawler.ResolveSeeds(registry, texts);
            var options = network.Build(parse, context.DataDir) with
            {
                Seeds = texts,
                MaxPages = parse.GetValue(maxPages),
                MaxDepth = parse.GetValue(maxDepth),
                // One meaning everywhere (search, export, crawl): --until D includes the whole of D.
                Since = parse.GetValue(since) is { Length: > 0 } from ? Export.StoreFieldFilter.ParseSpan(from, "--since").Start : null,
                Until = parse.GetValue(until) is { Length: > 0 } to ? Export.StoreFieldFilter.ParseSpan(to, "--until").End : null,
                CapturedAt = ParseDate(parse.GetValue(capturedAt), "--captured-at"),
                Recheck = parse.GetValue(recheck),
            };
            await CrawlNetworkOptions.NoteProxyVariableAsync(context, options);
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
