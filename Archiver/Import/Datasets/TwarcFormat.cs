using System.Text.Json;
using Archiver.Model;

namespace Archiver.Import.Datasets;

/// <summary>
/// twarc2 JSONL: each line is either a Twitter API v2 response (<c>data</c> = tweets, <c>includes.users</c>)
/// or a flattened tweet (<c>twarc2 flatten</c>: the tweet with an <c>author</c> object).
/// </summary>
public sealed class TwarcFormat : IDatasetFormat
{
    public const string Host = "twitter.com";

    public ImportFormat Format => ImportFormat.Twarc;

    public bool Recognises(JsonElement line) =>
        (line.ValueKind == JsonValueKind.Object && line.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Array && Json.Has(line, "includes"))
        || (Json.Has(line, "author_id") && Json.Has(line, "text") && Json.Has(line, "created_at"));

    public LineParse Parse(JsonElement line)
    {
        if (line.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
        {
            var users = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            if (line.TryGetProperty("includes", out var includes) && includes.TryGetProperty("users", out var u) && u.ValueKind == JsonValueKind.Array)
            {
                foreach (var user in u.EnumerateArray())
                {
                    if (Json.Str(user, "id") is { } uid) users[uid] = user;
                }
            }
            var posts = new List<Post>();
            foreach (var tweet in data.EnumerateArray())
            {
                var authorId = Json.Str(tweet, "author_id");
                var post = Tweet(tweet, authorId is not null && users.TryGetValue(authorId, out var user) ? user : default);
                if (post is not null) posts.Add(post);
            }
            return new LineParse(posts, users.Values.Select(ToAuthor).ToList());
        }
        var author = line.TryGetProperty("author", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
        var single = Tweet(line, author);
        return single is null ? LineParse.Fail("tweet without id") : LineParse.Of(single, author.ValueKind == JsonValueKind.Object ? ToAuthor(author) : null);
    }

    private static Post? Tweet(JsonElement tweet, JsonElement user)
    {
        var id = Json.Str(tweet, "id");
        if (id is null) return null;
        var handle = user.ValueKind == JsonValueKind.Object ? Json.Str(user, "username") : null;
        var metrics = tweet.TryGetProperty("public_metrics", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        string? replyTo = null, quoted = null, retweeted = null;
        if (tweet.TryGetProperty("referenced_tweets", out var refs) && refs.ValueKind == JsonValueKind.Array)
        {
            foreach (var r in refs.EnumerateArray())
            {
                switch (Json.Str(r, "type"))
                {
                    case "replied_to": replyTo = Json.Str(r, "id"); break;
                    case "quoted": quoted = Json.Str(r, "id"); break;
                    case "retweeted": retweeted = Json.Str(r, "id"); break;
                }
            }
        }
        var entities = tweet.TryGetProperty("entities", out var e) && e.ValueKind == JsonValueKind.Object ? e : default;
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        if (quoted is not null) extra["quote_id"] = quoted;
        if (retweeted is not null) extra["retweet_of"] = retweeted;
        if (Json.Str(tweet, "conversation_id") is { } conversation) extra["conversation_id"] = conversation;
        return new Post
        {
            Platform = "twitter",
            Host = Host,
            NativeId = id,
            Url = handle is null ? $"https://twitter.com/i/web/status/{id}" : $"https://twitter.com/{handle}/status/{id}",
            AuthorId = Json.Str(tweet, "author_id"),
            AuthorHandle = handle,
            AuthorName = user.ValueKind == JsonValueKind.Object ? Json.Str(user, "name") : null,
            CreatedAt = Json.Date(Json.Str(tweet, "created_at")),
            Kind = retweeted is not null ? PostKinds.Reblog : replyTo is not null ? PostKinds.Reply : PostKinds.Post,
            Text = Json.Str(tweet, "text") ?? "",
            Language = Json.Str(tweet, "lang"),
            ReplyTo = replyTo,
            Hashtags = EntityValues(entities, "hashtags", "tag"),
            Mentions = EntityValues(entities, "mentions", "username"),
            Links = EntityValues(entities, "urls", "expanded_url"),
            Likes = metrics.ValueKind == JsonValueKind.Object ? Json.Long(metrics, "like_count") : null,
            Shares = metrics.ValueKind == JsonValueKind.Object ? Json.Long(metrics, "retweet_count") : null,
            Replies = metrics.ValueKind == JsonValueKind.Object ? Json.Long(metrics, "reply_count") : null,
            Views = metrics.ValueKind == JsonValueKind.Object ? Json.Long(metrics, "impression_count") : null,
            Extra = extra,
        };
    }

    private static IReadOnlyList<string> EntityValues(JsonElement entities, string kind, string field)
    {
        if (entities.ValueKind != JsonValueKind.Object || !entities.TryGetProperty(kind, out var list) || list.ValueKind != JsonValueKind.Array) return [];
        var values = new List<string>();
        foreach (var item in list.EnumerateArray())
        {
            if (Json.Str(item, field) is { Length: > 0 } v && !values.Contains(v)) values.Add(v);
        }
        return values;
    }

    private static Author ToAuthor(JsonElement user)
    {
        var metrics = user.TryGetProperty("public_metrics", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        return new Author
        {
            Platform = "twitter",
            Host = Host,
            NativeId = Json.Str(user, "id") ?? Json.Str(user, "username") ?? "?",
            Handle = Json.Str(user, "username"),
            DisplayName = Json.Str(user, "name"),
            Description = Json.Str(user, "description"),
            CreatedAt = Json.Date(Json.Str(user, "created_at")),
            Followers = metrics.ValueKind == JsonValueKind.Object ? Json.Long(metrics, "followers_count") : null,
            Following = metrics.ValueKind == JsonValueKind.Object ? Json.Long(metrics, "following_count") : null,
            PostsCount = metrics.ValueKind == JsonValueKind.Object ? Json.Long(metrics, "tweet_count") : null,
        };
    }
}
