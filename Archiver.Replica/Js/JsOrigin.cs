using Microsoft.AspNetCore.Http;

namespace Archiver.Replica;

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
