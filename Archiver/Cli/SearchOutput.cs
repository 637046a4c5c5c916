using System.Globalization;
using Archiver.Search;
using Spectre.Console;

namespace Archiver.Cli;

/// <summary>How search results look: a terminal rendering and the <c>--json</c> shape.</summary>
public static class SearchOutput
{
    public sealed record Json(
        string Query, long Total, int Offset, int Limit, double TookMs,
        IReadOnlyList<JsonHit> Hits,
        IReadOnlyDictionary<string, IReadOnlyList<ValueCount>>? Counts,
        IReadOnlyList<TimeBucket>? Histogram);

    /// <summary>A hit; <c>snippet</c> has the matched words in &lt;mark&gt; (HTML-escaped text), <c>marks</c> their offsets in <c>snippet_text</c>.</summary>
    public sealed record JsonHit(string Key, float? Score, DateTime? Created, bool Deleted, string? Snippet, string? SnippetText, IReadOnlyList<SnippetMark>? Marks);

    public static Json From(SearchRequest request, SearchResults results) => new(
        request.Query,
        results.Total,
        request.Offset,
        request.Limit,
        Math.Round(results.Elapsed.TotalMilliseconds, 2),
        results.Hits.Select(h => new JsonHit(
            h.Key, h.Score, h.Created, h.Deleted,
            h.Snippet?.Render(Html, m => "<mark>" + Html(m) + "</mark>"),
            h.Snippet?.Text,
            h.Snippet?.Marks)).ToList(),
        results.Counts.Count == 0 ? null : results.Counts.ToDictionary(c => c.Field, c => c.Top),
        results.Histogram);

    public static void Render(IAnsiConsole console, SearchRequest request, SearchResults results)
    {
        var shown = results.Hits.Count == 0 ? "" : $", showing {request.Offset + 1}-{request.Offset + results.Hits.Count}";
        console.MarkupLine($"[bold]{Format.Count(results.Total)}[/] match{(results.Total == 1 ? "" : "es")}{shown} ({results.Elapsed.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms)");
        // Without colours (piped output) the marked words are set off by « ».
        var ansi = console.Profile.Capabilities.Ansi;
        foreach (var hit in results.Hits)
        {
            console.WriteLine();
            var date = hit.Created is { } c ? c.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "(no date)";
            console.MarkupLine($"[bold]{Markup.Escape(hit.Key)}[/]  {date}{(hit.Deleted ? "  [red]deleted[/]" : "")}");
            if (hit.Snippet is { } snippet)
                console.MarkupLine("  " + snippet.Render(t => Markup.Escape(OneLine(t)), m => ansi ? $"[bold yellow]{Markup.Escape(OneLine(m))}[/]" : $"«{Markup.Escape(OneLine(m))}»"));
        }
        foreach (var counts in results.Counts)
        {
            console.WriteLine();
            var table = new Table().AddColumns(counts.Field, "matches");
            table.Title = new TableTitle($"by {counts.Field} ({Format.Count(counts.Distinct)} distinct)");
            foreach (var value in counts.Top) table.AddRow(Markup.Escape(value.Value), Format.Count(value.Count));
            console.Write(table);
        }
        if (results.Histogram is { Count: > 0 } histogram)
        {
            console.WriteLine();
            var chart = new BarChart().Label($"matches per {request.Histogram?.ToString().ToLowerInvariant()}");
            foreach (var bucket in histogram)
                chart.AddItem(bucket.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), bucket.Count, Color.Yellow);
            console.Write(chart);
        }
    }

    /// <summary>Escapes only what HTML requires (WebUtility would also turn every accented letter into an entity).</summary>
    private static string Html(string text) =>
        text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    private static string OneLine(string text) => text.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ');
}
