using System.Text.Json;
using Archiver.Model;

namespace Archiver.Platforms.Snscrape;

/// <summary>
/// snscrape's <c>--jsonl</c> output. Items carry <c>_type</c> (<c>snscrape.modules.telegram.TelegramPost</c>,
/// <c>snscrape.modules.mastodon.Toot</c>); keys follow the same identities as Archiver's own adapters, so
/// an imported post and a crawled one are the same record.
/// </summary>
public sealed class SnscrapeFormat : IDatasetFormat
{
    public string Name => "snscrape";

    public string Title => "snscrape JSONL of Telegram posts and Mastodon toots";

    public bool Recognises(JsonElement line) =>
        Json.Str(line, "_type")?.StartsWith("snscrape.modules.", StringComparison.Ordinal) == true;

    public LineParse Parse(JsonElement line)
    {
        var type = Json.Str(line, "_type") ?? "";
        if (type.EndsWith(".TelegramPost", StringComparison.Ordinal)) return Telegram(line);
        if (type.Contains(".mastodon.", StringComparison.Ordinal)) return Mastodon(line);
        return LineParse.Fail($"unsupported snscrape item type '{type}'");
    }

    private static LineParse Telegram(JsonElement line)
    {
        var url = Json.Str(line, "url");
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri)) return LineParse.Fail("TelegramPost without a url");
        var segments = uri.AbsolutePath.Trim('/').Split('/');
        if (segments.Length < 2 || !long.TryParse(segments[^1], out _)) return LineParse.Fail($"unexpected Telegram post url '{url}'");
        var channel = segments[^2];
        var forwarded = line.TryGetProperty("forwarded", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
        var content = Json.Str(line, "content") ?? "";
        // snscrape 0.7.0 writes a hashtag as an outlink to the channel's search (t.me/s/chan?q=%23tag), as the
        // page links it; later versions list "hashtags" (without #). The crawler reads such links as hashtags,
        // not links, and the text's #tags too: the same here, so an imported post and a crawled one agree.
        var links = new List<string>();
        var searched = new List<string>();
        foreach (var link in Json.Strings(line, "outlinks"))
        {
            if (SearchedHashtag(link) is { } tag) searched.Add(tag);
            else links.Add(link);
        }
        var hashtags = Platforms.Common.TextEntities.Distinct([.. searched, .. Json.Strings(line, "hashtags").Select(h => h.TrimStart('#')), .. Platforms.Common.TextEntities.Hashtags(content)]);
        var mentions = Platforms.Common.TextEntities.Distinct([.. Json.Strings(line, "mentions").Select(m => m.TrimStart('@')), .. Platforms.Common.TextEntities.Mentions(content).Where(m => !m.Contains('@'))]);
        return LineParse.Of(new Post
        {
            Platform = "telegram",
            Host = uri.Authority.ToLowerInvariant(),
            NativeId = $"{channel}/{segments[^1]}",
            Url = url,
            Channel = channel,
            AuthorHandle = channel,
            CreatedAt = Json.Date(Json.Str(line, "date")),
            Kind = forwarded.ValueKind == JsonValueKind.Object ? PostKinds.Forward : PostKinds.Post,
            Text = content,
            Hashtags = hashtags,
            Mentions = mentions,
            Media = TelegramMedia(line),
            ForwardedFrom = forwarded.ValueKind == JsonValueKind.Object ? Json.Str(forwarded, "title") ?? Json.Str(forwarded, "username") : null,
            ForwardedUrl = Json.Str(line, "forwardedUrl"),
            Links = links,
            Views = Json.Long(line, "views"),
        });
    }

    /// <summary>The tag of a link to a Telegram channel's search for a hashtag (<c>?q=%23tag</c>), or null.</summary>
    private static string? SearchedHashtag(string link)
    {
        if (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || !uri.Query.StartsWith("?q=", StringComparison.Ordinal)) return null;
        if (uri.Host is not ("t.me" or "telegram.me")) return null;
        var query = Uri.UnescapeDataString(uri.Query[3..].Split('&')[0]);
        return query.StartsWith('#') && query.Length > 1 ? query[1..] : null;
    }

    /// <summary>snscrape's <c>media</c> items (Photo, Video, VoiceMessage, Gif) as media references.</summary>
    private static IReadOnlyList<MediaRef> TelegramMedia(JsonElement line)
    {
        if (!line.TryGetProperty("media", out var media) || media.ValueKind != JsonValueKind.Array) return [];
        var items = new List<MediaRef>();
        foreach (var m in media.EnumerateArray())
        {
            var type = Json.Str(m, "_type") ?? "";
            var kind = type[(type.LastIndexOf('.') + 1)..] switch
            {
                "Photo" => "photo",
                "Video" => "video",
                "VoiceMessage" => "voice",
                "Gif" => "gif",
                _ => "document",
            };
            var duration = m.ValueKind == JsonValueKind.Object && m.TryGetProperty("duration", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetDouble() : (double?)null;
            items.Add(new MediaRef { Kind = kind, Url = Json.Str(m, "url") ?? Json.Str(m, "thumbnailUrl"), DurationSeconds = duration });
        }
        return items;
    }

    private static LineParse Mastodon(JsonElement line)
    {
        var url = Json.Str(line, "url");
        var id = Json.Str(line, "id");
        if (url is null || id is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri)) return LineParse.Fail("Toot without url or id");
        var account = line.TryGetProperty("account", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
        var acct = account.ValueKind == JsonValueKind.Object ? Json.Str(account, "account") ?? Json.Str(account, "acct") : null;
        return LineParse.Of(new Post
        {
            Platform = "mastodon",
            Host = uri.Authority.ToLowerInvariant(),
            NativeId = id,
            Url = url,
            AuthorId = account.ValueKind == JsonValueKind.Object ? Json.Str(account, "id") : null,
            AuthorHandle = acct,
            AuthorName = account.ValueKind == JsonValueKind.Object ? Json.Str(account, "displayName") : null,
            CreatedAt = Json.Date(Json.Str(line, "date")),
            Text = Json.Str(line, "content") ?? "",
            Language = Json.Str(line, "language"),
            Likes = Json.Long(line, "favouritesCount"),
            Shares = Json.Long(line, "reblogsCount"),
            Replies = Json.Long(line, "repliesCount"),
        });
    }
}
