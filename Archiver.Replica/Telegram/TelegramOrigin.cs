using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Archiver.Replica;

/// <summary>The Telegram web preview: <c>/s/CHANNEL[?before=ID|after=ID]</c>, permalinks <c>/CHANNEL/ID</c>.</summary>
public sealed class TelegramOrigin(TelegramGenerator generator, string origin) : IOriginHandler
{
    private readonly TelegramRenderer renderer = new(generator, origin);

    public string? Entity(string path, IQueryCollection query)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length switch
        {
            >= 2 when parts[0] == "s" => parts[1],
            1 or 2 when parts[0] is not ("s" or "media" or "private") => parts[0],
            _ => null,
        };
    }

    public Reply Handle(HttpRequestInfo request)
    {
        var parts = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 2 && parts[0] == "s") return Channel(parts[1], request);
        if (parts.Length == 3 && parts[0] == "s" && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var sid))
            return Permalink(parts[1], sid, request.Version);
        if (parts.Length == 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return Permalink(parts[0], id, request.Version);
        if (parts.Length == 1 && generator.Network.ChannelByName.TryGetValue(parts[0], out var c))
            return Reply.Html($"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{Html.Escape(c.Title)} – Telegram</title><meta property=\"og:title\" content=\"{Html.Escape(c.Title)}\"></head><body><div class=\"tgme_page_title\"><span dir=\"auto\">{Html.Escape(c.Title)}</span></div><a class=\"tgme_action_button_new\" href=\"/s/{c.Name}\">Preview channel</a></body></html>\n") with { Cacheable = true };
        return Reply.NotFound();
    }

    private Reply Channel(string name, HttpRequestInfo request)
    {
        if (!generator.Network.ChannelByName.TryGetValue(name, out var c)) return Reply.NotFound();
        var before = Number(request.Query, "before");
        var after = Number(request.Query, "after");
        var q = request.Query["q"].ToString();
        if (q.Length > 0)
        {
            var found = Search(c, q, before, request.Version);
            return new Reply(200, Reply.HtmlType, renderer.Page(c, found, request.Version, q)) { Cacheable = true };
        }
        var indices = after is { } a && before is null
            ? generator.IndicesAfter(c, a, request.Version)
            : generator.IndicesBefore(c, before, request.Version);
        var posts = indices.Select(i => generator.Post(c, i, request.Version)!).ToList();
        return new Reply(200, Reply.HtmlType, renderer.Page(c, posts, request.Version)) { Cacheable = true };
    }

    /// <summary>The channel search (<c>?q=</c>, where hashtag links point): matching posts below <paramref name="before"/>, newest 20, within the last 2,000 posts scanned.</summary>
    private List<TelegramPost> Search(TelegramChannel c, string q, long? before, ReplicaView version)
    {
        var found = new List<TelegramPost>();
        var start = generator.IndicesBefore(c, before, version, 1);
        for (var i = start.Count == 0 ? -1 : start[0]; i >= 0 && found.Count < TelegramGenerator.PageSize && start[0] - i < 2000; i--)
            if (generator.Post(c, i, version) is { } p && TelegramMarkup.TextPlain(p).Contains(q, StringComparison.OrdinalIgnoreCase)) found.Add(p);
        found.Reverse();
        return found;
    }

    private Reply Permalink(string name, long id, ReplicaView version)
    {
        if (!generator.Network.ChannelByName.TryGetValue(name, out var c)) return Reply.NotFound();
        var index = generator.IndexOf(c, id, version);
        return index >= 0 && generator.Post(c, index, version) is { } post
            ? Reply.Html(renderer.PostPage(post)) with { Cacheable = true }
            : Reply.NotFound();
    }

    private static long? Number(IQueryCollection query, string key) =>
        query.TryGetValue(key, out var v) && long.TryParse(v.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
