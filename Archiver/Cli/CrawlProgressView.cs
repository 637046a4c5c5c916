using Archiver.Crawling;
using Spectre.Console;

namespace Archiver.Cli;

/// <summary>Where a crawl stands: the counters the progress view shows.</summary>
public sealed record CrawlProgress(long Pages, long Posts, long Media, long MediaBytes, long Bytes, long Errors, long Retries, long Pending, IReadOnlyDictionary<string, int> QueueByHost);

/// <summary>The live crawl display (pages, posts, media, bytes, errors, rate, queue per host) and the final summary.</summary>
public static class CrawlProgressView
{
    /// <summary>Runs the crawl showing its progress through the one <see cref="ProgressView"/>.</summary>
    public static Task<CrawlSummary> RunAsync(CliContext context, Crawler crawler, Func<Task<CrawlSummary>> run)
    {
        var started = DateTime.UtcNow;
        return new ProgressView(context, () => Snapshot(Progress(crawler), started)).RunAsync(run);
    }

    /// <summary>What the crawler reports, as a plain record (the view never reads the crawler itself).</summary>
    public static CrawlProgress Progress(Crawler crawler)
    {
        var c = crawler.Counters;
        return new CrawlProgress(c.Pages, c.Posts, c.Media, c.MediaBytes, c.Bytes, c.Errors, c.Retries, crawler.Pending, crawler.QueueByHost());
    }

    public static ProgressSnapshot Snapshot(CrawlProgress c, DateTime started)
    {
        var seconds = Math.Max(1, (DateTime.UtcNow - started).TotalSeconds);
        var rows = new List<(string, string)>
        {
            ("pages", $"{Format.Count(c.Pages)}  ({c.Pages / seconds:0.0}/s)"),
            ("posts", $"{Format.Count(c.Posts)}  ({c.Posts / seconds:0.0}/s)"),
            ("media", $"{Format.Count(c.Media)} ({Format.Bytes(c.MediaBytes)})"),
            ("downloaded", Format.Bytes(c.Bytes)),
            ("errors / retries", $"{Format.Count(c.Errors)} / {Format.Count(c.Retries)}"),
            ("queued", Format.Count(c.Pending)),
        };
        foreach (var (host, n) in c.QueueByHost.OrderByDescending(h => h.Value).Take(8))
            rows.Add(($"  {Markup.Escape(host)}", $"{n} active/waiting"));
        return new ProgressSnapshot
        {
            Line = $"crawl: {Format.Count(c.Pages)} pages, {Format.Count(c.Posts)} posts, {Format.Count(c.Media)} media, {Format.Bytes(c.Bytes)}, " +
                   $"{Format.Count(c.Errors)} errors, {c.Pages / seconds:0.0} pages/s, {Format.Count(c.Pending)} queued",
            Rows = rows,
        };
    }

    public static void RenderSummary(CliContext context, CrawlSummary s)
    {
        if (context.Quiet)
        {
            context.Out.WriteLine($"{s.State}: {s.Pages} pages, {s.Posts} posts, {s.Media} media, {s.Errors} errors");
            WriteSeedOutcomes(context, s);
            return;
        }
        var table = new Table().AddColumns("crawl " + s.JobId[..8], s.State.ToString());
        table.AddRow("pages", $"{Format.Count(s.Pages)} in {s.ElapsedSeconds:0.0} s ({s.PagesPerSecond:0.0}/s)");
        table.AddRow("posts", $"{Format.Count(s.Posts)} ({s.PostsPerSecond:0.0}/s); edited {s.Edited}, deleted {s.Deleted}");
        table.AddRow("authors", Format.Count(s.Authors));
        table.AddRow("media", $"{Format.Count(s.Media)} ({Format.Bytes(s.MediaBytes)})");
        table.AddRow("downloaded", Format.Bytes(s.Bytes));
        table.AddRow("gone (404/410/451, missing)", Format.Count(s.Gone));
        table.AddRow("errors / retries", $"{Format.Count(s.Errors)} / {Format.Count(s.Retries)} (waited {s.ServerWaitSeconds:0.0} s as servers asked)");
        table.AddRow("skipped: robots / scope / browser", $"{s.RobotsBlocked} / {s.OutOfScope} / {s.SkippedBrowserPages}");
        table.AddRow("pending", Format.Count(s.Pending));
        table.AddRow("stage time (s)", string.Join("  ", s.StageSeconds.Select(p => $"{p.Key} {p.Value:0.0}")));
        context.Console.Write(table);
        if (s.BrowserNote is not null) context.Console.MarkupLine($"[yellow]browser:[/] {Markup.Escape(s.BrowserNote)}");
        foreach (var f in s.Failures.Take(10)) context.Console.MarkupLine($"[red]failed[/] {Markup.Escape(f.Url)}: {Markup.Escape(f.Reason)}");
        if (s.Failures.Count > 10) context.Console.MarkupLine($"... and {s.Failures.Count - 10} more (see --json)");
        WriteSeedOutcomes(context, s);
    }

    /// <summary>One plain line per seed (never wrapped, so each can be grepped): "SEED: archived 12 posts (3 pages)".</summary>
    private static void WriteSeedOutcomes(CliContext context, CrawlSummary s)
    {
        foreach (var outcome in s.SeedOutcomes) context.Out.WriteLine($"{outcome.Seed}: {outcome.Describe()}");
    }
}
