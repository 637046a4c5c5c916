using System.Globalization;
using System.Text.Json;
using Archiver.Model;

namespace Archiver.Platforms.Parler;

/// <summary>
/// The Parler dataset published in January 2021 (Aliapoulios et al., "A Large Open Dataset from the Parler
/// Social Network"): one post or comment per line with body, bodywithurls, createdAt (YYYYMMDDhhmmss, UTC),
/// creator (user id), username, id, upvotes, impressions, comments, reposts, hashtags, links, parent,
/// depth, followers, following, verified, shareLink, datatype.
/// </summary>
public sealed class ParlerDatasetFormat : IDatasetFormat
{
    public const string Host = "parler.com";

    public string Name => "parler";

    public string Title => "the Parler 2021 dataset";

    public bool Recognises(JsonElement line) =>
        Json.Has(line, "createdAt") && (Json.Has(line, "body") || Json.Has(line, "bodywithurls")) && (Json.Has(line, "creator") || Json.Has(line, "username"));

    public LineParse Parse(JsonElement line)
    {
        var id = Json.Str(line, "id");
        if (string.IsNullOrEmpty(id)) return LineParse.Fail("missing id");
        var created = ParseCreatedAt(Json.Str(line, "createdAt")) ?? Json.Date(Json.Str(line, "createdAtformatted")?.Replace(" UTC", "Z", StringComparison.Ordinal));
        if (created is null) return LineParse.Fail($"unreadable createdAt '{Json.Str(line, "createdAt")}' (expected YYYYMMDDhhmmss)");
        var username = Json.Str(line, "username");
        var creator = Json.Str(line, "creator") ?? username;
        var parent = Json.Str(line, "parent");
        var depth = Json.Long(line, "depth") ?? 0;
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "datatype", "depth", "root", "sensitive", "article", "state" })
        {
            if (Json.Str(line, name) is { } value) extra[name] = value;
        }
        var body = Json.Str(line, "body") ?? Json.Str(line, "bodywithurls") ?? "";
        var post = new Post
        {
            Platform = "parler",
            Host = Host,
            NativeId = id,
            Url = Json.Str(line, "shareLink") ?? $"https://parler.com/post/{id}",
            AuthorId = creator,
            AuthorHandle = username,
            CreatedAt = created,
            Kind = !string.IsNullOrEmpty(parent) || depth > 0 ? PostKinds.Reply : PostKinds.Post,
            Text = body.Trim(),
            ReplyTo = string.IsNullOrEmpty(parent) ? null : parent,
            Hashtags = Json.Strings(line, "hashtags"),
            Links = Json.Strings(line, "links").Where(l => l.Contains("://", StringComparison.Ordinal)).ToList(),
            Likes = Json.Long(line, "upvotes"),
            Views = Json.Long(line, "impressions"),
            Replies = Json.Long(line, "comments"),
            Shares = Json.Long(line, "reposts"),
            Extra = extra,
        };
        Author? author = null;
        if (!string.IsNullOrEmpty(creator))
        {
            author = new Author
            {
                Platform = "parler",
                Host = Host,
                NativeId = creator,
                Handle = username,
                Url = username is null ? null : $"https://parler.com/profile/{username}",
                Followers = Json.Long(line, "followers"),
                Following = Json.Long(line, "following"),
                Extra = Json.Str(line, "verified") is { } verified ? new Dictionary<string, string> { ["verified"] = verified } : Post.EmptyExtra,
            };
        }
        return LineParse.Of(post, author);
    }

    private static DateTime? ParseCreatedAt(string? text) =>
        text is { Length: 14 } && DateTime.TryParseExact(text, "yyyyMMddHHmmss", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d)
            ? d
            : null;
}
