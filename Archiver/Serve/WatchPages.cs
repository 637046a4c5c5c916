using System.Globalization;
using Archiver.Model;
using Archiver.Notifications;
using Archiver.Watching;

namespace Archiver.Serve;

/// <summary>The watch list page and the events page (every value escaped: seeds, tags, errors and events carry archived or typed text).</summary>
internal static class WatchPages
{
    /// <summary>What the add form held when it was refused, shown again.</summary>
    public sealed record AddForm(string? Seeds, string? Every, string? Tag);

    public static string List(IReadOnlyList<WatchEntry> entries, ServeMode mode, (string Field, string Token)? antiforgery, string? error, AddForm? form)
    {
        var h = new Html().Raw("<h1>Watch list</h1>");
        h.Raw("<p class=\"syntax\">").Text(mode switch
        {
            ServeMode.Watching => "The watcher runs inside this server: an entry added is checked at once, then about every interval; a paused one is not checked.",
            ServeMode.NoWatch => "The watcher is off (archiver serve --no-watch): changes are stored and checked by the next 'archiver watch run' or a serve without --no-watch.",
            _ => "This archive is served read-only: the list is shown as it was when the server opened the archive, and cannot be changed here.",
        }).Raw(" <a href=\"/events\">Events</a> · <a href=\"/events.atom\">Atom feed</a></p>");
        if (error is not null) h.Raw("<p class=\"error\" role=\"alert\">").Text(error).Raw("</p>");
        if (antiforgery is { } af)
        {
            h.Raw("<form class=\"watch-add\" method=\"post\" action=\"/watch\">").Raw(Hidden(af))
                .Raw("<label>Seeds <textarea name=\"seeds\" rows=\"2\" cols=\"50\" placeholder=\"telegram:NAME mastodon:@user@host https://t.me/s/NAME\" required>").Text(form?.Seeds).Raw("</textarea></label> ")
                .Raw("<label>Every <input name=\"every\" size=\"8\" placeholder=\"6h\" value=\"").Text(form?.Every).Raw("\"></label> ")
                .Raw("<label>Tag <input name=\"tag\" size=\"10\" value=\"").Text(form?.Tag).Raw("\"></label> ")
                .Raw("<button type=\"submit\">Add to the watch list</button>")
                .Raw("<p class=\"syntax\">Seeds as crawl takes them, separated by spaces or lines. Every: D (about every D: from D/2 when busy to 2D when quiet) or MIN..MAX, as 30m, 6h, 1d; default 6h.</p></form>");
        }
        if (entries.Count == 0)
            return Html.Page("Watch", h.Raw("<p>The watch list is empty.</p>").ToString());
        h.Raw("<table class=\"watch\"><tr><th>id</th><th>seed</th><th>tag</th><th>status</th><th>last check</th><th>next check</th><th>posts</th><th>new</th><th>edited</th><th>deleted</th><th>last error</th>")
            .Raw(antiforgery is null ? "" : "<th></th>").Raw("</tr>");
        foreach (var e in entries)
        {
            var status = e.Status.ToString().ToLowerInvariant();
            h.Raw($"<tr id=\"entry-{Html.E(e.Id)}\" data-status=\"{Html.E(e.Paused ? "paused" : status)}\"><td>").Text(e.Id).Raw("</td><td>").Text(e.Seed)
                .Raw("</td><td>").Text(e.Tag).Raw("</td><td>");
            if (e.Paused) h.Raw("<span class=\"badge paused\">paused</span> ");
            h.Raw(status == "gone" ? "<span class=\"badge gone\">gone</span>" : Html.E(status));
            if (e.ConsecutiveFailures > 1) h.Text($" ×{e.ConsecutiveFailures}");
            h.Raw("</td><td>").Text(e.LastCheckAt is { } at ? Html.Date(at) : "never").Raw("</td><td>").Text(e.Paused ? "" : Html.Date(e.NextCheckAt))
                .Raw("</td><td>").Text(Count(e.Posts)).Raw("</td><td>").Text(Count(e.LastNew)).Raw("</td><td>").Text(Count(e.LastEdited))
                .Raw("</td><td>").Text(Count(e.LastDeleted)).Raw("</td><td class=\"error\">").Text(e.LastError).Raw("</td>");
            if (antiforgery is { } a)
            {
                var id = Uri.EscapeDataString(e.Id);
                h.Raw("<td class=\"actions\">")
                    .Raw($"<form method=\"post\" action=\"/watch/{id}/{(e.Paused ? "resume" : "pause")}\">{Hidden(a)}<button type=\"submit\">{(e.Paused ? "Resume" : "Pause")}</button></form>")
                    .Raw($"<form method=\"post\" action=\"/watch/{id}/remove\">{Hidden(a)}<button type=\"submit\">Remove</button></form>")
                    .Raw("</td>");
            }
            h.Raw("</tr>");
        }
        h.Raw("</table><p class=\"syntax\">").Text($"{entries.Count:N0} entries; new, edited and deleted are what each entry's last check found.").Raw("</p>");
        return Html.Page("Watch", h.ToString());
    }

    public static string Events(IReadOnlyList<ArchiveEvent> newest, int total, string type, string? error)
    {
        var h = new Html().Raw("<h1>Events</h1><p class=\"syntax\">What the watch observed, newest first. <a href=\"/events.atom\" type=\"application/atom+xml\">Atom feed</a> (subscribe in a feed reader) · <a href=\"/watch\">Watch list</a></p>")
            .Raw("<form class=\"event-filter\" method=\"get\" action=\"/events\"><label>Type <select name=\"type\"><option value=\"\">all</option>");
        foreach (var t in Enum.GetValues<ArchiveEventType>())
        {
            var name = EventText.Name(t);
            h.Raw($"<option value=\"{name}\"{(string.Equals(name, type, StringComparison.OrdinalIgnoreCase) ? " selected" : "")}>{name}</option>");
        }
        h.Raw("</select></label> <button type=\"submit\">Show</button></form>");
        if (error is not null) return Html.Page("Events", h.Raw("<p class=\"error\" role=\"alert\">").Text(error).Raw("</p>").ToString());
        h.Raw("<p>").Text(newest.Count < total ? $"The newest {newest.Count:N0} of {total:N0} events." : $"{total:N0} events.").Raw("</p><ul class=\"events\">");
        foreach (var e in newest)
        {
            var name = EventText.Name(e.Type);
            h.Raw($"<li class=\"event\" data-type=\"{name}\">").Text(e.ObservedAt.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture))
                .Raw($" <span class=\"badge {(e.Type is ArchiveEventType.Deleted or ArchiveEventType.ChannelGone or ArchiveEventType.CheckFailed ? "gone" : e.Type == ArchiveEventType.Edited ? "edited" : "event")}\">{name}</span> ")
                .Raw($"<a class=\"channel\" href=\"{Html.E(Html.Url("/", ("q", $"channel:\"{e.Channel.Replace("\"", "", StringComparison.Ordinal)}\"")))}\">").Text($"{e.Platform}:{e.Channel}").Raw("</a>");
            if (e.PostKey is { } key) h.Raw($" <a class=\"post\" href=\"{Html.E(PostPath(key))}\">").Text(key).Raw("</a>");
            if (!string.IsNullOrEmpty(e.Detail)) h.Raw(" <span class=\"detail\">").Text(e.Detail).Raw("</span>");
            if (e.Evidence is { WarcFile: not null } c) h.Raw(" <span class=\"meta\">").Text($"evidence {c.WarcFile}@{c.WarcOffset}").Raw("</span>");
            h.Raw("</li>");
        }
        return Html.Page("Events", h.Raw("</ul>").ToString());
    }

    /// <summary>A post's page: each segment of its key escaped, its slashes kept (routing leaves an escaped slash, %2F, undecoded).</summary>
    public static string PostPath(string key) => "/posts/" + string.Join('/', key.Split('/').Select(Uri.EscapeDataString));

    private static string Hidden((string Field, string Token) antiforgery) =>
        $"<input type=\"hidden\" name=\"{Html.E(antiforgery.Field)}\" value=\"{Html.E(antiforgery.Token)}\">";

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
