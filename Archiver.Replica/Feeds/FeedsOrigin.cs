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
