using Archiver.Cli;
using Archiver.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Archiver.Serve;

/// <summary>
/// The app's side of "view the original capture": <c>/capture/KEY</c> frames the replay origin's view of the post's
/// capture in a sandboxed iframe, and that page's CSP allows exactly that frame origin (every other page allows no
/// frame at all). Without ReplayWeb.page the page says how to install it.
/// </summary>
internal static class ReplayEndpoints
{
    /// <summary>Sandbox of the replay frame: scripts and its own origin (ReplayWeb.page's service worker needs both); no popups, modals, top navigation, downloads or forms.</summary>
    public const string Sandbox = "allow-scripts allow-same-origin";

    public static void Map(WebApplication app, ServeViews views, ReplayHost? replay, ReplayCaptures? captures)
    {
        // Fetch metadata: the replay origin is another port of the same host, so the browser counts it as the same
        // site and sends the app's cookies with its requests. Refuse every request another origin makes here
        // (same-site or cross-site) except a top-level navigation (a link or bookmark), so archived pages cannot
        // make the app do anything in the user's name, even a GET.
        app.Use(async (context, next) =>
        {
            var site = context.Request.Headers["Sec-Fetch-Site"].ToString();
            var navigation = context.Request.Headers["Sec-Fetch-Mode"] == "navigate" && context.Request.Headers["Sec-Fetch-Dest"] == "document"
                && HttpMethods.IsGet(context.Request.Method);
            if (site is "same-site" or "cross-site" && !navigation)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync("Requests from other origins are refused.");
                return;
            }
            await next(context);
        });
        app.MapGet("/capture/{*key}", (HttpContext context, string key) =>
        {
            var view = ServeHost.View(views.For(context).Store, key);
            if (view is null)
                return Results.Content(Html.Page("Not found", $"<p class=\"error\">No post {Html.E(key)} in this archive.</p>"), "text/html; charset=utf-8", statusCode: 404);
            var back = Html.E(Html.Url("/posts/" + Uri.EscapeDataString(view.Current.Key)));
            var h = new Html().Raw("<h1>Original capture</h1><p class=\"meta\">").Raw($"<a href=\"{back}\">").Text(view.Current.Key).Raw("</a>");
            if (replay is null || captures is null)
            {
                h.Raw("</p><p class=\"error\" role=\"alert\">").Text("ReplayWeb.page is not installed, so original captures cannot be replayed here.").Raw("</p><p>")
                    .Text("Install it with ").Raw($"<code>{Html.E(ReplayOptions.Install)}</code>")
                    .Text(" and start serve with --replayweb node_modules/replaywebpage (or set ARCHIVER_REPLAYWEB to that folder, or put it next to the archiver executable).").Raw("</p>");
                return Results.Content(Html.Page("Original capture", h.ToString()), "text/html; charset=utf-8");
            }
            if (captures.Issue(view) is not { } ticket)
            {
                h.Raw("</p><p class=\"note\">").Text("This post has no original capture in this archive (it was imported without its page).").Raw("</p>");
                return Results.Content(Html.Page("Original capture", h.ToString()), "text/html; charset=utf-8");
            }
            var origin = replay.OriginFor(context.Request);
            h.Raw(" · ").Text($"{ticket.PageUrl} captured {Html.Date(ticket.CapturedAt)}").Raw("</p>")
                .Raw("<p class=\"note\">").Text($"Replayed by ReplayWeb.page from the archive's WARC files, in a sandboxed frame served from {origin}: nothing is fetched from the original site.").Raw("</p>")
                .Raw($"<iframe class=\"replay\" title=\"original capture\" sandbox=\"{Sandbox}\" referrerpolicy=\"no-referrer\" src=\"{Html.E(origin + "/view/" + ticket.Id)}\"></iframe>");
            // This page alone may frame, and only the replay origin.
            context.Response.Headers.ContentSecurityPolicy = ServeSecurity.ContentSecurityPolicy + "; frame-src " + origin;
            return Results.Content(Html.Page("Original capture", h.ToString()), "text/html; charset=utf-8");
        }).ExcludeFromDescription();
    }
}
