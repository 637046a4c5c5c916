using System.Globalization;
using Archiver.Indexing;
using Archiver.Model;
using Archiver.Search;
using Archiver.Storage;
using Spectre.Console;

namespace Archiver.Cli;

/// <summary>How search results look: a terminal rendering and the <c>--json</c> shape.</summary>
public static class SearchOutput
{
    /// <summary>
    /// Marks around the matched words when the output is not a terminal (a file, a pipe): characters that do
    /// not occur in ordinary text, unlike « » (French and Russian quotation marks) or quotes. On a terminal
    /// the words are highlighted with colour instead; <c>--json</c> gives their offsets (<c>marks</c>).
    /// </summary>
    public const string MarkOpen = "⟦";
    public const string MarkClose = "⟧";

    public sealed record Json(
        string Query, long Total, int Offset, int Limit, double TookMs,
        IReadOnlyList<JsonHit> Hits,
        IReadOnlyDictionary<string, IReadOnlyList<ValueCount>>? Counts,
        IReadOnlyList<TimeBucket>? Histogram);

    /// <summary>
    /// A hit with what the archive knows of the post (URL, author, channel, platform, language); <c>snippet</c>
    /// has the matched words in &lt;mark&gt; (HTML-escaped text), <c>marks</c> their offsets in <c>snippet_text</c>.
    /// </summary>
    public sealed record JsonHit(
        string Key, float? Score, DateTime? Created, bool Deleted,
        string? Url, string? Platform, string? Author, string? AuthorName, string? Channel, string? ChannelTitle, string? Lang,
        string? Snippet, string? SnippetText, IReadOnlyList<SnippetMark>? Marks);

    /// <summary>
    /// Details of the hits: as the index keeps them with each post, else from the post the snippet's text was read
    /// from, else from the store (missing when the index points to a post the store lacks).
    /// </summary>
    public static IReadOnlyDictionary<string, HitDetails> Details(ArchiveStore store, SearchResults results)
    {
        var details = new Dictionary<string, HitDetails>(StringComparer.Ordinal);
        foreach (var hit in results.Hits)
        {
            var found = HitDetails.FromDisplay(hit.Display)
                ?? ((hit.Source as StoredPost ?? store.GetPost(hit.Key)) is { } stored ? HitDetails.Of(stored) : null);
            if (found is not null) details[hit.Key] = found;
        }
        return details;
    }

    public static Json From(SearchRequest request, SearchResults results, IReadOnlyDictionary<string, HitDetails> details) => new(
        request.Query,
        results.Total,
        request.Offset,
        request.Limit,
        Math.Round(results.Elapsed.TotalMilliseconds, 2),
        results.Hits.Select(h =>
        {
            var d = details.GetValueOrDefault(h.Key);
            var snippet = SnippetOf(h, d);
            return new JsonHit(
                h.Key, h.Score, h.Created, h.Deleted,
                d?.Url, d?.Platform, d?.Author, d?.AuthorName, d?.Channel, d?.ChannelTitle, d?.Lang,
                snippet?.Render(Html, m => "<mark>" + Html(m) + "</mark>"),
                snippet?.Text,
                snippet?.Marks);
        }).ToList(),
        results.Counts.Count == 0 ? null : results.Counts.ToDictionary(c => c.Field, c => c.Top),
        results.Histogram);

    public static void Render(IAnsiConsole console, SearchRequest request, SearchResults results, IReadOnlyDictionary<string, HitDetails> details)
    {
        var shown = results.Hits.Count == 0 ? "" : $", showing {request.Offset + 1}-{request.Offset + results.Hits.Count}";
        console.MarkupLine($"[bold]{Format.Count(results.Total)}[/] match{(results.Total == 1 ? "" : "es")}{shown} ({results.Elapsed.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms)");
        var ansi = console.Profile.Capabilities.Ansi;
        foreach (var hit in results.Hits)
        {
            console.WriteLine();
            var date = hit.Created is { } c ? c.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "(no date)";
            console.MarkupLine($"[bold]{Markup.Escape(hit.Key)}[/]  {date}{(hit.Deleted ? "  [red]deleted[/]" : "")}");
            var d = details.GetValueOrDefault(hit.Key);
            if (d is not null) console.MarkupLine("  " + Markup.Escape(About(d)));
            if (SnippetOf(hit, d) is { } snippet)
                console.MarkupLine("  " + snippet.Render(t => Markup.Escape(OneLine(t)), m => ansi
                    ? $"[bold yellow]{Markup.Escape(OneLine(m))}[/]"
                    : MarkOpen + Markup.Escape(OneLine(m)) + MarkClose));
        }
        foreach (var counts in results.Counts)
        {
            console.WriteLine();
            // A heading line, not a table title: Spectre wraps a title to the table's width ("by lang (5" / "distinct)").
            console.MarkupLine($"by {counts.Field} ({Format.Count(counts.Distinct)} distinct)");
            var table = new Table().AddColumns(counts.Field, "matches");
            foreach (var value in counts.Top) table.AddRow(Markup.Escape(Shown(value)), Format.Count(value.Count));
            console.Write(table);
        }
        if (results.Histogram is { Count: > 0 } histogram)
        {
            console.WriteLine();
            // A fixed width off a terminal: the chart would otherwise stretch over the unwrapped line width.
            var chart = new BarChart().Label($"matches per {request.Histogram?.ToString().ToLowerInvariant()}");
            chart.Width = Math.Min(console.Profile.Width, 100);
            foreach (var bucket in histogram)
                chart.AddItem(bucket.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), bucket.Count, Color.Yellow);
            console.Write(chart);
        }
    }

    /// <summary>"Name (@handle) · channel X · lang · URL": who wrote it, where, and where to see it.</summary>
    private static string About(HitDetails d)
    {
        var parts = new List<string>(4);
        var author = (d.Author, d.AuthorName) switch
        {
            ({ } handle, { } name) when !string.Equals(handle, name, StringComparison.Ordinal) => $"{name} (@{handle.TrimStart('@')})",
            ({ } handle, _) when handle.Contains(' ', StringComparison.Ordinal) => handle,
            ({ } handle, _) => "@" + handle.TrimStart('@'),
            (null, { } name) => name,
            _ => null,
        };
        if (author is not null) parts.Add(author);
        if (d.Channel is { } channel) parts.Add("channel " + (d.ChannelTitle is { } title ? $"{title} ({channel})" : channel));
        if (d.Lang is { } lang) parts.Add(lang);
        if (d.Url is { } url) parts.Add(url);
        return string.Join(" · ", parts);
    }

    /// <summary>A counted value as the platform writes it; with its key when that is not just its lower case (a thread title).</summary>
    private static string Shown(ValueCount value) =>
        string.Equals(value.Display, value.Value, StringComparison.OrdinalIgnoreCase) ? value.Display : $"{value.Display} ({value.Value})";

    /// <summary>The hit's excerpt; a post without text shows what it holds ("[2 photos, video]") rather than nothing.</summary>
    private static Snippet? SnippetOf(SearchHit hit, HitDetails? details)
    {
        if (hit.Snippet is { } snippet && !string.IsNullOrWhiteSpace(snippet.Text)) return snippet;
        if (details is null || details.HasText) return hit.Snippet;
        return new Snippet(MediaSummary(details.MediaKinds), []);
    }

    internal static string MediaSummary(IReadOnlyList<string> mediaKinds)
    {
        if (mediaKinds.Count == 0) return "[no text]";
        var kinds = mediaKinds.GroupBy(k => k, StringComparer.Ordinal)
            .Select(g => g.Count() == 1 ? Kind(g.Key) : $"{g.Count()} {Kind(g.Key)}s");
        return "[" + string.Join(", ", kinds) + "]";
    }

    private static string Kind(string kind) => kind.Replace('_', ' ');

    /// <summary>Escapes only what HTML requires (WebUtility would also turn every accented letter into an entity).</summary>
    private static string Html(string text) =>
        text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    private static string OneLine(string text) => text.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ');
}
