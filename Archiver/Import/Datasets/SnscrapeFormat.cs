using System.Text.Json;
using Archiver.Model;

namespace Archiver.Import.Datasets;

/// <summary>
/// snscrape's <c>--jsonl</c> output. Items carry <c>_type</c> (<c>snscrape.modules.telegram.TelegramPost</c>,
/// <c>snscrape.modules.mastodon.Toot</c>); keys follow the same identities as Archiver's own adapters, so
/// an imported post and a crawled one are the same record.
/// </summary>
public sealed class SnscrapeFormat : IDatasetFormat
{
    public ImportFormat Format => ImportFormat.Snscrape;

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
        var links = Json.Strings(line, "outlinks");
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
            Text = Json.Str(line, "content") ?? "",
            ForwardedFrom = forwarded.ValueKind == JsonValueKind.Object ? Json.Str(forwarded, "title") ?? Json.Str(forwarded, "username") : null,
            ForwardedUrl = Json.Str(line, "forwardedUrl"),
            Links = links,
            Views = Json.Long(line, "views"),
        });
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
