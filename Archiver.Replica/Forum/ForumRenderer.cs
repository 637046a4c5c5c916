using System.Text;
using System.Text.Json;

namespace Archiver.Replica;

/// <summary>
/// The forum (<c>/forum/</c>, <c>/forum/t/ID?page=N</c>) and the JavaScript pages (<c>/js/NAME</c> +
/// <c>data.json</c>). The post markup is what the <c>replica-forum</c> site profile selects; keep it exact.
/// </summary>
public static class ForumRenderer
{
    public static string ThreadList(IReadOnlyList<ForumThread> threads, ReplicaView version)
    {
        var sb = new StringBuilder(512 + threads.Count * 160);
        Head(sb, "Replica forum", "en");
        sb.Append("<h1 class=\"forum-title\">Replica forum</h1>\n<ul class=\"thread-list\">\n");
        foreach (var t in threads)
            sb.Append("<li class=\"thread\"><a class=\"thread-link\" href=\"/forum/t/").Append(t.Id).Append("\">").Append(Html.Escape(t.Title))
              .Append("</a> <span class=\"thread-replies\">").Append(ForumGenerator.VisibleCount(t, version)).Append("</span></li>\n");
        sb.Append("</ul>\n</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>Page <paramref name="page"/> (1-based) of a thread, or null past the last page.</summary>
    public static string? ThreadPage(ForumThread t, int page, ReplicaView version)
    {
        if (ForumGenerator.Page(t, page, version) is not var (indices, hasNext)) return null;
        var posts = indices.Select(i => ForumGenerator.Post(t, i, version)!).ToList();
        var sb = new StringBuilder();
        Head(sb, t.Title, t.Language.Code);
        sb.Append("<h1 class=\"thread-title\" dir=\"auto\">").Append(Html.Escape(t.Title)).Append("</h1>\n<div class=\"forum-posts\">\n");
        foreach (var p in posts) Post(sb, p);
        sb.Append("</div>\n<nav class=\"pagination\">");
        if (page > 1) sb.Append("<a rel=\"prev\" href=\"/forum/t/").Append(t.Id).Append("?page=").Append(page - 1).Append("\">Previous</a> ");
        sb.Append("<span class=\"page-current\">Page ").Append(page).Append("</span>");
        if (hasNext) sb.Append(" <a rel=\"next\" href=\"/forum/t/").Append(t.Id).Append("?page=").Append(page + 1).Append("\">Next</a>");
        sb.Append("</nav>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static void Head(StringBuilder sb, string title, string lang) =>
        sb.Append("<!DOCTYPE html>\n<html lang=\"").Append(lang).Append("\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(Html.Escape(title))
          .Append("</title>\n</head>\n<body>\n");

    private static void Post(StringBuilder sb, ForumPost p) =>
        sb.Append("<div class=\"forum-post\" data-post-id=\"").Append(p.Id).Append("\">\n")
          .Append("  <div class=\"post-meta\"><span class=\"post-author\">").Append(Html.Escape(p.Author)).Append("</span> · <time datetime=\"")
          .Append(ForumGenerator.Stamp(p.Date)).Append("\">").Append(ForumGenerator.Display(p.Date)).Append("</time>")
          .Append(p.Edited ? " <span class=\"post-edited\">(edited)</span>" : "").Append("</div>\n")
          .Append("  <div class=\"post-body\" dir=\"auto\">").Append(ForumGenerator.BodyHtml(p.Text)).Append("</div>\n")
          .Append("  <div class=\"post-footer\"><span class=\"post-likes\">").Append(p.Likes).Append("</span> likes</div>\n</div>\n");

    /// <summary>The JavaScript page: an empty #app that a script fills from data.json with the forum-post markup.</summary>
    public static string JsShell(ForumThread page)
    {
        var sb = new StringBuilder(2048);
        Head(sb, "Loading…", page.Language.Code);
        sb.Append("<div id=\"app\"></div>\n<noscript>This page needs JavaScript.</noscript>\n<script>\n")
          .Append("(function () {\n")
          .Append("  var app = document.getElementById('app');\n")
          .Append("  fetch(location.pathname.replace(/\\/$/, '') + '/data.json').then(function (r) { return r.json(); }).then(function (d) {\n")
          .Append("    var html = '<h1 class=\"thread-title\" dir=\"auto\"></h1><div class=\"forum-posts\">';\n")
          .Append("    d.posts.forEach(function (p) {\n")
          .Append("      html += '<div class=\"forum-post\" data-post-id=\"' + p.id + '\">' +\n")
          .Append("        '<div class=\"post-meta\"><span class=\"post-author\"></span> · <time datetime=\"' + p.datetime + '\">' + p.date_text + '</time></div>' +\n")
          .Append("        '<div class=\"post-body\" dir=\"auto\">' + p.html + '</div>' +\n")
          .Append("        '<div class=\"post-footer\"><span class=\"post-likes\">' + p.likes + '</span> likes</div></div>';\n")
          .Append("    });\n")
          .Append("    app.innerHTML = html + '</div>';\n")
          .Append("    // Names and the title go in as text, never as markup.\n")
          .Append("    app.querySelector('.thread-title').textContent = d.title;\n")
          .Append("    var authors = app.querySelectorAll('.post-author');\n")
          .Append("    d.posts.forEach(function (p, i) { authors[i].textContent = p.author; });\n")
          .Append("    document.title = d.title;\n")
          .Append("    document.body.setAttribute('data-rendered', 'true');\n")
          .Append("  });\n")
          .Append("})();\n</script>\n</body>\n</html>\n");
        return sb.ToString();
    }

    public static byte[] JsData(ForumThread page, ReplicaView version)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("title", page.Title);
            w.WriteStartArray("posts");
            foreach (var p in ForumGenerator.Visible(page, version))
            {
                w.WriteStartObject();
                w.WriteString("id", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                w.WriteString("author", p.Author);
                w.WriteString("datetime", ForumGenerator.Stamp(p.Date));
                w.WriteString("date_text", ForumGenerator.Display(p.Date));
                w.WriteString("html", ForumGenerator.BodyHtml(p.Text));
                w.WriteNumber("likes", p.Likes);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return stream.ToArray();
    }
}
