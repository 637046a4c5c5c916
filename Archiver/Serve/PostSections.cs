using Archiver.Cli;
using Archiver.Model;
using Archiver.Storage;

namespace Archiver.Serve;

/// <summary>
/// The post page's media (played from the archive's media store), its provenance (the WARC records it was parsed
/// from) and the link to view the original capture. A media file the archive does not hold shows its original URL
/// as text, never as a link or source: the page must not make the browser contact another host.
/// </summary>
internal static class PostSections
{
    public static string Html(ArchiveStore store, PostView view)
    {
        var p = view.Current.Post;
        var h = new Html();
        if (p.Media.Count > 0)
        {
            h.Raw("<h2>Media</h2><div class=\"media\">");
            foreach (var m in p.Media) Media(h, store, m);
            h.Raw("</div>");
        }
        h.Raw("<h2>Provenance</h2><table class=\"provenance\"><tr><th>what</th><th>page captured</th><th>at</th><th>HTTP</th><th>WARC file</th><th>offset</th><th>record id</th><th>payload SHA-256</th></tr>");
        Capture(h, "this version", view.Current.Capture);
        foreach (var v in view.History) Capture(h, $"version {v.Version}", v.Capture);
        Capture(h, "deletion evidence", view.Current.DeletedCapture);
        h.Raw("</table>");
        if (view.Current.Capture is { WarcFile: not null })
            h.Raw($"<p><a class=\"capture\" href=\"{Serve.Html.E(Serve.Html.Url("/capture/" + Uri.EscapeDataString(view.Current.Key)))}\">View the original capture</a> ")
                .Text("(the page it was archived from, replayed from the archive's WARC files by ReplayWeb.page)").Raw("</p>");
        else h.Raw("<p class=\"note\">").Text("No original capture in this archive (imported without its page).").Raw("</p>");
        return h.ToString();
    }

    private static void Media(Html h, ArchiveStore store, MediaRef m)
    {
        var served = MediaEndpoints.Find(store, m.Sha256);
        h.Raw("<figure>");
        if (served is null)
        {
            h.Raw("<p class=\"missing\">").Text($"{m.Kind}: not archived").Raw("</p>");
        }
        else
        {
            var src = Serve.Html.E("/media/" + served.Media.Sha256.ToLowerInvariant());
            var alt = Serve.Html.E(m.Description ?? m.Title ?? m.Kind);
            if (served.IsImage) h.Raw($"<img src=\"{src}\" alt=\"{alt}\" loading=\"lazy\">");
            else if (served.IsVideo) h.Raw($"<video src=\"{src}\" controls preload=\"metadata\"></video>");
            else if (served.IsAudio) h.Raw($"<audio src=\"{src}\" controls preload=\"metadata\"></audio>");
            else h.Raw($"<a href=\"{src}\" download>").Text($"download the {m.Kind} ({served.Media.Size:N0} bytes, {served.Media.Mime})").Raw("</a>");
        }
        h.Raw("<figcaption>").Text(m.Kind).Raw(" · original URL <code>").Text(m.Url).Raw("</code>");
        if (m.Sha256 is not null) h.Raw(" · sha256 <code>").Text(m.Sha256.ToLowerInvariant()).Raw("</code>");
        h.Raw("</figcaption></figure>");
    }

    private static void Capture(Html h, string what, Capture? c)
    {
        if (c is null) return;
        h.Raw("<tr><td>").Text(what).Raw("</td><td><code>").Text(c.Url).Raw("</code></td><td>").Text(Serve.Html.Date(c.FetchedAt)).Raw("</td><td>")
            .Text(c.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Raw("</td><td>").Text(c.WarcFile ?? "(none kept)").Raw("</td><td>")
            .Text(c.WarcOffset?.ToString(System.Globalization.CultureInfo.InvariantCulture)).Raw("</td><td><code>").Text(c.WarcRecordId).Raw("</code></td><td><code>")
            .Text(c.PayloadSha256).Raw("</code></td></tr>");
    }
}
