using System.Globalization;
using Archiver.Cli;
using Archiver.Search;
using Archiver.Storage;

namespace Archiver.Serve;

/// <summary>The web app's pages, rendered on the server from the same data the JSON API returns.</summary>
internal static class Pages
{
    private static readonly string[] DefaultFacets = [IndexFields.Platform, IndexFields.Channel, IndexFields.Author, IndexFields.Lang, IndexFields.Hashtag, IndexFields.Domain];

    /// <summary>The search page: the box with the syntax beside it, and for a query its total, hits, facets and histogram.</summary>
    public static string Search(string? q, bool stem, SearchRequest? request, SearchOutput.Json? results, string? error)
    {
        var h = new Html();
        h.Raw("<form class=\"search\" method=\"get\" action=\"/\">")
            .Raw($"<input name=\"q\" value=\"{Html.E(q)}\" placeholder=\"words, &quot;a phrase&quot;, author:name, #tag, lang:ru, date:2021-01-06\" autofocus>")
            .Raw($" <label><input type=\"checkbox\" name=\"stem\" value=\"1\"{(stem ? " checked" : "")}> other word forms</label>")
            .Raw(" <button type=\"submit\">Search</button></form>")
            .Raw("<p class=\"syntax\">Words are ANDed; <code>\"a phrase\"</code>, <code>OR</code>, <code>-word</code>, <code>word*</code>; fields <code>author:</code> <code>channel:</code> ")
            .Raw("<code>platform:</code> <code>lang:</code> <code>#tag</code> <code>@mention</code> <code>domain:</code> <code>is:edited</code> <code>is:deleted</code> <code>has:media</code>; ")
            .Raw("dates <code>date:2021-01-06</code> or <code>date:[2021-01-01 TO 2021-01-10}</code>.</p>");
        if (error is not null) h.Raw("<p class=\"error\" role=\"alert\">").Text(error).Raw("</p>");
        if (request is null || results is null) return Html.Page("Search", h.ToString());

        var shown = results.Hits.Count == 0 ? "" : $", showing {request.Offset + 1:N0}-{request.Offset + results.Hits.Count:N0}";
        h.Raw($"<p class=\"total\"><strong>{results.Total.ToString("N0", CultureInfo.InvariantCulture)}</strong> match{(results.Total == 1 ? "" : "es")}{shown}</p>");
        h.Raw($"<p class=\"export-link\"><a href=\"{Html.E(Html.Url("/export", ("q", q), ("stem", stem ? "1" : null)))}\">export these results</a></p>");
        if (results.Histogram is { Count: > 0 } histogram) h.Raw(Histogram(histogram));
        h.Raw("<div class=\"layout\"><section class=\"results\">");
        foreach (var hit in results.Hits)
        {
            h.Raw("<article class=\"hit\"><div class=\"meta\">")
                .Raw($"<a href=\"{Html.E(Html.Url("/posts/" + Uri.EscapeDataString(hit.Key)))}\">").Text(Html.Date(hit.Created) is { Length: > 0 } d ? d : hit.Key).Raw("</a> · ")
                .Text(Who(hit)).Raw(hit.Channel is null ? "" : " · channel ").Text(hit.ChannelTitle ?? hit.Channel)
                .Raw(" · ").Text(hit.Platform).Raw(hit.Lang is null ? "" : " · ").Text(hit.Lang);
            if (hit.Deleted) h.Raw("<span class=\"badge deleted\">deleted</span>");
            h.Raw("</div>");
            // The snippet's HTML is built by SearchOutput from escaped text and <mark> only.
            if (hit.Snippet is not null) h.Raw("<p class=\"snippet\">").Raw(hit.Snippet).Raw("</p>");
            h.Raw("</article>");
        }
        h.Raw(Paging(q, stem, request, results));
        h.Raw("</section><aside class=\"facets\">");
        foreach (var (field, values) in results.Counts ?? new Dictionary<string, IReadOnlyList<ValueCount>>())
        {
            h.Raw("<h3>").Text("by " + field).Raw("</h3><ul>");
            foreach (var value in values)
            {
                var refined = $"{q} {Clause(field, value.Value)}";
                h.Raw($"<li><a class=\"facet\" data-field=\"{Html.E(field)}\" href=\"{Html.E(Html.Url("/", ("q", refined), ("stem", stem ? "1" : null)))}\">")
                    .Text(value.Display).Raw("</a> ").Text(value.Count.ToString("N0", CultureInfo.InvariantCulture)).Raw("</li>");
            }
            h.Raw("</ul>");
        }
        h.Raw("</aside></div>");
        return Html.Page(q ?? "Search", h.ToString());
    }

    public static IReadOnlyList<string> Facets => DefaultFacets;

    private static string Who(SearchOutput.JsonHit hit) =>
        hit.AuthorName is { } name && hit.Author is { } handle && name != handle ? $"{name} (@{handle.TrimStart('@')})"
        : hit.Author is { } a ? "@" + a.TrimStart('@') : hit.AuthorName ?? "";

    /// <summary>The query clause a facet value adds (quoted: values may hold spaces or colons).</summary>
    private static string Clause(string field, string value) => field switch
    {
        IndexFields.Hashtag => "#" + value,
        _ => $"{field}:\"{value.Replace("\"", "", StringComparison.Ordinal)}\"",
    };

    private static string Paging(string? q, bool stem, SearchRequest request, SearchOutput.Json results)
    {
        var links = new List<string>();
        if (request.Offset > 0)
            links.Add($"<a rel=\"prev\" href=\"{Html.E(Html.Url("/", ("q", q), ("stem", stem ? "1" : null), ("sort", Sort(request)), ("offset", Math.Max(0, request.Offset - request.Limit).ToString(CultureInfo.InvariantCulture))))}\">previous</a>");
        if (request.Offset + results.Hits.Count < results.Total)
            links.Add($"<a rel=\"next\" href=\"{Html.E(Html.Url("/", ("q", q), ("stem", stem ? "1" : null), ("sort", Sort(request)), ("offset", (request.Offset + request.Limit).ToString(CultureInfo.InvariantCulture))))}\">next</a>");
        var sorts = string.Join(" ", Enum.GetNames<SearchSort>().Select(s => s.ToLowerInvariant()).Select(s =>
            s == Sort(request) ? $"<strong>{s}</strong>" : $"<a href=\"{Html.E(Html.Url("/", ("q", q), ("stem", stem ? "1" : null), ("sort", s)))}\">{s}</a>"));
        return $"<nav class=\"paging\">{string.Join(" · ", links)} <span class=\"sort\">sort: {sorts}</span></nav>";
    }

    private static string Sort(SearchRequest request) => request.Sort.ToString().ToLowerInvariant();

    /// <summary>Matches over time as an SVG bar chart drawn here: no script, no chart library, no request elsewhere.</summary>
    private static string Histogram(IReadOnlyList<TimeBucket> buckets)
    {
        const int width = 720, height = 90, label = 14;
        var max = Math.Max(1, buckets.Max(b => b.Count));
        var bar = (double)width / buckets.Count;
        var svg = new Html().Raw($"<svg class=\"histogram\" role=\"img\" aria-label=\"matches over time\" width=\"{width}\" height=\"{height + label}\" viewBox=\"0 0 {width} {height + label}\">");
        for (var i = 0; i < buckets.Count; i++)
        {
            var b = buckets[i];
            var barHeight = b.Count == 0 ? 0 : Math.Max(1, height * b.Count / (double)max);
            svg.Raw(string.Create(CultureInfo.InvariantCulture, $"<rect x=\"{i * bar:0.##}\" y=\"{height - barHeight:0.##}\" width=\"{Math.Max(1, bar - 1):0.##}\" height=\"{barHeight:0.##}\">"))
                .Raw("<title>").Text($"{b.Start:yyyy-MM-dd}: {b.Count:N0}").Raw("</title></rect>");
        }
        svg.Raw($"<text x=\"0\" y=\"{height + label - 2}\">").Text($"{buckets[0].Start:yyyy-MM-dd}").Raw("</text>")
            .Raw($"<text x=\"{width}\" y=\"{height + label - 2}\" text-anchor=\"end\">").Text($"{buckets[^1].Start:yyyy-MM-dd}").Raw("</text></svg>");
        return svg.ToString();
    }

    /// <summary>One post: every field, its versions with a word-level diff, deletion evidence and provenance.</summary>
    public static string Post(PostView view, string sections = "")
    {
        var stored = view.Current;
        var p = stored.Post;
        var h = new Html();
        h.Raw("<h1>").Text(p.AuthorName ?? p.AuthorHandle ?? p.Channel ?? stored.Key).Raw("</h1>");
        h.Raw("<p class=\"meta\">").Text(stored.Key).Raw(" · ").Text(Html.Date(p.CreatedAt)).Raw(" · ").Text(p.Platform);
        if (p.Url is { } url) h.Raw(" · original URL: <code>").Text(url).Raw("</code>");
        if (stored.IsDeleted) h.Raw("<span class=\"badge deleted\">deleted</span>");
        if (stored.Version > 1) h.Raw($"<span class=\"badge edited\">edited ({stored.Version} versions)</span>");
        h.Raw("</p>");
        if (view.Deletion is { } d)
            h.Raw("<p class=\"evidence\"><strong>Deletion evidence:</strong> ").Text($"{d.Reason}; HTTP {d.HttpStatus} from {d.Url} at {Html.Date(d.FetchedAt)}; WARC {d.WarcFile ?? "(none kept)"} @ {d.WarcOffset}").Raw("</p>");
        h.Raw("<pre class=\"text\">").Text(p.Text).Raw("</pre><table class=\"fields\">");
        Row(h, "author", $"{p.AuthorName} @{p.AuthorHandle} ({p.AuthorId})");
        Row(h, "channel", p.Channel);
        Row(h, "language", p.Language is null ? null : $"{p.Language} ({p.LanguageSource})");
        Row(h, "hashtags", string.Join(" ", p.Hashtags.Select(t => "#" + t)));
        Row(h, "mentions", string.Join(" ", p.Mentions.Select(t => "@" + t)));
        Row(h, "links", string.Join(" ", p.Links));
        Row(h, "counts", string.Join("  ", new[] { ("views", p.Views), ("likes", p.Likes), ("shares", p.Shares), ("replies", p.Replies) }.Where(c => c.Item2 is not null).Select(c => $"{c.Item1} {c.Item2}")));
        Row(h, "first seen", Html.Date(stored.FirstSeen));
        Row(h, "last seen unchanged", Html.Date(view.LastSeenUnchanged));
        h.Raw("</table>");
        // Media, provenance and the original capture (PostSections).
        h.Raw(sections);
        if (view.History.Count > 0)
        {
            h.Raw("<h2>Versions</h2>");
            var newer = p.Text;
            foreach (var v in view.History)
            {
                h.Raw("<section class=\"version\"><h3>").Text($"version {v.Version}, first seen {Html.Date(v.FirstSeen)}, replaced {Html.Date(v.ReplacedAt)}").Raw("</h3><p class=\"diff\">")
                    .Raw(WordDiff.Html(v.Post.Text, newer)).Raw("</p></section>");
                newer = v.Post.Text;
            }
        }
        return Html.Page(stored.Key, h.ToString());
    }

    private static void Row(Html h, string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        h.Raw("<tr><th>").Text(name).Raw("</th><td>").Text(value).Raw("</td></tr>");
    }

    public static string Channels(IReadOnlyList<ChannelSummary> rows)
    {
        var h = new Html().Raw("<h1>Channels and accounts</h1><p><a href=\"/watch\">Watch list</a> (add, pause, remove) · <a href=\"/events\">Events</a> · <a href=\"/events.atom\">Atom feed</a></p><table><tr><th>platform</th><th>channel</th><th>status</th><th>last check</th><th>posts</th><th>edited</th><th>deleted</th></tr>");
        foreach (var r in rows)
        {
            h.Raw("<tr><td>").Text(r.Platform).Raw("</td><td>").Text($"{r.Name} ({r.Host})").Raw("</td><td>");
            if (r.Status == "gone") h.Raw("<span class=\"badge gone\">gone</span> ").Text($"{Html.Date(r.GoneAt)} HTTP {r.Evidence?.HttpStatus}: {r.Evidence?.Reason}");
            else h.Text(r.Status);
            h.Raw("</td><td>").Text(Html.Date(r.LastCheck)).Raw("</td><td>").Text(r.Posts.ToString("N0", CultureInfo.InvariantCulture))
                .Raw("</td><td>").Text(r.Edited.ToString("N0", CultureInfo.InvariantCulture)).Raw("</td><td>").Text(r.Deleted.ToString("N0", CultureInfo.InvariantCulture)).Raw("</td></tr>");
        }
        return Html.Page("Channels", h.Raw("</table>").ToString());
    }

    public static string Login(string then, string antiforgeryField, string antiforgeryToken, bool failed) => Html.Page("Log in", new Html()
        .Raw("<h1>This archive needs its token</h1><p>").Text("archiver serve printed it when it started (or it was given with --token).").Raw("</p>")
        .Raw(failed ? "<p class=\"error\" role=\"alert\">That is not the token.</p>" : "")
        .Raw("<form method=\"post\" action=\"/login\">")
        .Raw($"<input type=\"hidden\" name=\"{Html.E(antiforgeryField)}\" value=\"{Html.E(antiforgeryToken)}\">")
        .Raw($"<input type=\"hidden\" name=\"then\" value=\"{Html.E(then)}\">")
        .Raw("<label>Token <input type=\"password\" name=\"token\" autocomplete=\"current-password\" autofocus></label> <button type=\"submit\">Log in</button></form>")
        .ToString());
}
