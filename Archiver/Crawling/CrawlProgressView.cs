using Archiver.Cli;
using Spectre.Console;

namespace Archiver.Crawling;

/// <summary>The live crawl display (pages, posts, media, bytes, errors, rate, queue per host) and the final summary.</summary>
public static class CrawlProgressView
{
    public static async Task<CrawlSummary> RunAsync(CliContext context, Crawler crawler, Func<Task<CrawlSummary>> run)
    {
        if (!context.ShowProgress) return await run().ConfigureAwait(false);
        var started = DateTime.UtcNow;
        if (!context.Console.Profile.Capabilities.Interactive)
        {
            using var timer = new Timer(_ => context.Out.WriteLine(Line(crawler, started)), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
            return await run().ConfigureAwait(false);
        }
        CrawlSummary? summary = null;
        await context.Console.Live(Render(crawler, started)).AutoClear(true).StartAsync(async live =>
        {
            var task = run();
            while (!task.IsCompleted)
            {
                await Task.WhenAny(task, Task.Delay(500)).ConfigureAwait(false);
                live.UpdateTarget(Render(crawler, started));
            }
            summary = await task.ConfigureAwait(false);
        }).ConfigureAwait(false);
        return summary!;
    }

    private static string Line(Crawler crawler, DateTime started)
    {
        var c = crawler.Counters;
        var seconds = Math.Max(1, (DateTime.UtcNow - started).TotalSeconds);
        return $"crawl: {Format.Count(c.Pages)} pages, {Format.Count(c.Posts)} posts, {Format.Count(c.Media)} media, {Format.Bytes(c.Bytes)}, " +
               $"{Format.Count(c.Errors)} errors, {c.Pages / seconds:0.0} pages/s, {Format.Count(crawler.Pending)} queued";
    }

    private static Table Render(Crawler crawler, DateTime started)
    {
        var c = crawler.Counters;
        var seconds = Math.Max(1, (DateTime.UtcNow - started).TotalSeconds);
        var table = new Table().Border(TableBorder.Rounded).AddColumns("", "");
        table.AddRow("pages", $"{Format.Count(c.Pages)}  ({c.Pages / seconds:0.0}/s)");
        table.AddRow("posts", $"{Format.Count(c.Posts)}  ({c.Posts / seconds:0.0}/s)");
        table.AddRow("media", $"{Format.Count(c.Media)} ({Format.Bytes(c.MediaBytes)})");
        table.AddRow("downloaded", Format.Bytes(c.Bytes));
        table.AddRow("errors / retries", $"{Format.Count(c.Errors)} / {Format.Count(c.Retries)}");
        table.AddRow("queued", Format.Count(crawler.Pending));
        foreach (var (host, n) in crawler.QueueByHost().OrderByDescending(h => h.Value).Take(8))
            table.AddRow($"  {Markup.Escape(host)}", $"{n} active/waiting");
        return table;
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
