using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Archiver.Replica;

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

