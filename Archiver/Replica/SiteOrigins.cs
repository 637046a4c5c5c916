using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Archiver.Replica;

/// <summary>RSS and Atom feeds: <c>/feeds/CHANNEL.rss</c>, <c>/feeds/CHANNEL.atom</c>, and an index at <c>/feeds/</c>.</summary>
public sealed class FeedsOrigin(ReplicaNetwork network, FeedRenderer feeds, string origin) : IOriginHandler
{
    public string? Entity(string path, IQueryCollection query) =>
        path.StartsWith("/feeds/", StringComparison.Ordinal) && path.LastIndexOf('.') > 7 ? path[7..path.LastIndexOf('.')] : null;

    public Reply Handle(HttpRequestInfo r)
    {
        if (r.Path is "/feeds/" or "/feeds" or "/")
        {
            var links = string.Concat(network.Channels.Select(c =>
                $"<li><a href=\"{origin}/feeds/{c.Name}.rss\">{Html.Escape(c.Title)}</a> (<a href=\"{origin}/feeds/{c.Name}.atom\">Atom</a>)</li>\n"));
            return Reply.Html($"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Feeds</title></head><body><ul class=\"feeds\">\n{links}</ul></body></html>\n") with { Cacheable = true };
        }
        if (Entity(r.Path, r.Query) is not { } name || !network.ChannelByName.TryGetValue(name, out var c)) return Reply.NotFound();
        if (r.Path.EndsWith(".rss", StringComparison.Ordinal))
            return Reply.Html(feeds.Rss(c, r.Version)) with { ContentTypeOverride = "application/rss+xml; charset=utf-8" };
        if (r.Path.EndsWith(".atom", StringComparison.Ordinal))
            return Reply.Html(feeds.Atom(c, r.Version)) with { ContentTypeOverride = "application/atom+xml; charset=utf-8" };
        return Reply.NotFound();
    }
}

/// <summary>The forum: <c>/forum/</c> lists threads (<c>a.thread-link</c>), <c>/forum/t/ID?page=N</c> shows 20 posts a page.</summary>
public sealed class ForumOrigin(ReplicaNetwork network) : IOriginHandler
{
    public string? Entity(string path, IQueryCollection query) =>
        path.StartsWith("/forum/t/", StringComparison.Ordinal) ? path[9..].TrimEnd('/') : null;

    public Reply Handle(HttpRequestInfo r)
    {
        if (r.Path is "/" or "/forum" or "/forum/") return Reply.Html(ForumRenderer.ThreadList(network.Threads, r.Version)) with { Cacheable = true };
        if (Entity(r.Path, r.Query) is not { } id) return Reply.NotFound();
        var thread = network.Threads.FirstOrDefault(t => t.Id.ToString(CultureInfo.InvariantCulture) == id);
        var page = r.Query.TryGetValue("page", out var p) ? int.TryParse(p.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0 : 1;
        return thread is not null && ForumRenderer.ThreadPage(thread, page, r.Version) is { } html
            ? Reply.Html(html) with { Cacheable = true }
            : Reply.NotFound();
    }
}

/// <summary>Pages whose posts appear only after JavaScript runs: <c>/js/NAME</c> and the <c>/js/NAME/data.json</c> it fetches.</summary>
public sealed class JsOrigin(ReplicaNetwork network) : IOriginHandler
{
    public string? Entity(string path, IQueryCollection query)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && parts[0] == "js" ? parts[1] : null;
    }

    public Reply Handle(HttpRequestInfo r)
    {
        var parts = r.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || (parts.Length == 1 && parts[0] == "js"))
            return Reply.Html("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Pages</title></head><body><ul>\n"
                + string.Concat(network.JsPages.Select(p => $"<li><a class=\"thread-link\" href=\"/js/{p.Slug}\">{Html.Escape(p.Title)}</a></li>\n")) + "</ul></body></html>\n") with
            { Cacheable = true };
        var page = parts.Length >= 2 && parts[0] == "js" ? network.JsPages.FirstOrDefault(p => p.Slug == parts[1]) : null;
        if (page is null) return Reply.NotFound();
        if (parts.Length == 2) return Reply.Html(ForumRenderer.JsShell(page)) with { Cacheable = true };
        if (parts.Length == 3 && parts[2] == "data.json") return Reply.Json(ForumRenderer.JsData(page, r.Version)) with { Cacheable = true };
        return Reply.NotFound();
    }
}
