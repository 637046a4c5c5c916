using System.Text.Json;
using Archiver.Model;

namespace Archiver.Platforms.Twitter;

/// <summary>
/// twarc2 JSONL, every shape twarc-csv reads: Twitter API v2 response pages (<c>data</c> = tweets or users,
/// <c>includes</c> = users, media, places, referenced tweets), <c>twarc2 stream</c> lines (one tweet with
/// <c>matching_rules</c>), error-only lines, flattened tweets (<c>twarc2 flatten</c>: the tweet with an
/// <c>author</c> object) and flattened users.
/// </summary>
public sealed class TwarcFormat : IDatasetFormat
{
    public const string Host = "twitter.com";

    public string Name => "twarc";

    public string Title => "twarc2 JSONL of Twitter API v2 tweets and users";

    /// <summary>
    /// A response page (<c>data</c> an array, with <c>includes</c>, <c>meta</c> or twarc's <c>__twarc</c>), a
    /// <c>twarc2 stream</c> line (<c>data</c> one tweet, with <c>matching_rules</c>), an error-only line
    /// (<c>errors</c>, which twarc2 writes when a tweet or user cannot be had), or a flattened tweet.
    /// </summary>
    public bool Recognises(JsonElement line)
    {
        if (line.ValueKind != JsonValueKind.Object) return false;
        if (line.TryGetProperty("data", out var d) && d.ValueKind is JsonValueKind.Array or JsonValueKind.Object
            && (Json.Has(line, "includes") || Json.Has(line, "matching_rules") || Json.Has(line, "__twarc") || Json.Has(line, "meta")))
            return true;
        if (!Json.Has(line, "data") && line.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Array && Json.Has(line, "__twarc")) return true;
        if (Json.Has(line, "author_id") && Json.Has(line, "text") && Json.Has(line, "created_at")) return true;
        // A flattened user (twarc2 users | twarc2 flatten): a Twitter user has public_metrics, a Mastodon account acct.
        return IsUser(line) && Json.Has(line, "public_metrics") && !Json.Has(line, "acct");
    }

    public LineParse Parse(JsonElement line)
    {
        if (line.TryGetProperty("data", out var data) && data.ValueKind is JsonValueKind.Array or JsonValueKind.Object)
        {
            var includes = new Includes(line.TryGetProperty("includes", out var inc) && inc.ValueKind == JsonValueKind.Object ? inc : default);
            var items = data.ValueKind == JsonValueKind.Array ? data.EnumerateArray().ToList() : [data];
            // twarc2 counts: tweets per period, no tweets. Said, so that nobody takes it for an import of tweets.
            if (items.Count > 0 && items.All(i => Json.Has(i, "tweet_count") && !Json.Has(i, "id")))
                return LineParse.Fail("twarc2 counts output (tweets per period): it holds no tweets to import");
            var posts = new List<Post>();
            var authors = new Dictionary<string, Author>(StringComparer.Ordinal);
            foreach (var user in includes.Users.Values) authors[Json.Str(user, "id") ?? ""] = ToAuthor(user);
            foreach (var item in items)
            {
                // A user lookup (twarc2 users, followers, following) holds users, not tweets.
                if (IsUser(item))
                {
                    authors[Json.Str(item, "id") ?? ""] = ToAuthor(item);
                    continue;
                }
                var authorId = Json.Str(item, "author_id");
                var post = Tweet(item, authorId is not null && includes.Users.TryGetValue(authorId, out var user) ? user : default, includes);
                if (post is not null) posts.Add(post);
            }
            // Tweets that these refer to (quoted, retweeted, replied to) come along, as twarc-csv inlines them; a
            // user lookup's includes.tweets (pinned tweets) do not: that file is about users.
            foreach (var referenced in items.Any(IsUser) ? [] : includes.Tweets)
            {
                var authorId = Json.Str(referenced, "author_id");
                var post = Tweet(referenced, authorId is not null && includes.Users.TryGetValue(authorId, out var user) ? user : default, includes);
                if (post is not null && !posts.Any(p => p.NativeId == post.NativeId)) posts.Add(post);
            }
            authors.Remove("");
            return new LineParse(posts, authors.Values.ToList());
        }
        // Errors only (deleted or protected tweets, suspended users): nothing to import, nothing wrong with the file.
        if (Json.Has(line, "errors") && !Json.Has(line, "id")) return new LineParse([], []);
        if (IsUser(line)) return new LineParse([], [ToAuthor(line)]);
        var author = line.TryGetProperty("author", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
        var single = Tweet(line, author, Includes.Flattened(line));
        return single is null ? LineParse.Fail("tweet without id") : LineParse.Of(single, author.ValueKind == JsonValueKind.Object ? ToAuthor(author) : null);
    }

    private static bool IsUser(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && Json.Has(item, "username") && !Json.Has(item, "text") && Json.Has(item, "id");

    /// <summary>The expansions of a response page: users, media, places and referenced tweets by id.</summary>
    private sealed class Includes
    {
        public Dictionary<string, JsonElement> Users { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, JsonElement> Media { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, JsonElement> Places { get; } = new(StringComparer.Ordinal);
        public List<JsonElement> Tweets { get; } = [];

        public Includes(JsonElement includes)
        {
            if (includes.ValueKind != JsonValueKind.Object) return;
            foreach (var (name, key, target) in new[] { ("users", "id", Users), ("media", "media_key", Media), ("places", "id", Places) })
            {
                if (!includes.TryGetProperty(name, out var list) || list.ValueKind != JsonValueKind.Array) continue;
                foreach (var item in list.EnumerateArray())
                {
                    if (Json.Str(item, key) is { } id) target[id] = item;
                }
            }
            if (includes.TryGetProperty("tweets", out var tweets) && tweets.ValueKind == JsonValueKind.Array) Tweets.AddRange(tweets.EnumerateArray());
        }

        /// <summary>A flattened tweet (twarc2 flatten) carries its expansions inline: attachments.media, geo.place.</summary>
        public static Includes Flattened(JsonElement tweet)
        {
            var includes = new Includes(default);
            if (tweet.TryGetProperty("attachments", out var att) && att.ValueKind == JsonValueKind.Object && att.TryGetProperty("media", out var media) && media.ValueKind == JsonValueKind.Array)
            {
                foreach (var m in media.EnumerateArray())
                {
                    if (Json.Str(m, "media_key") is { } key) includes.Media[key] = m;
                }
            }
            if (tweet.TryGetProperty("geo", out var geo) && geo.ValueKind == JsonValueKind.Object && geo.TryGetProperty("place", out var place) && Json.Str(place, "id") is { } id)
                includes.Places[id] = place;
            return includes;
        }
    }

    private static Post? Tweet(JsonElement tweet, JsonElement user, Includes includes)
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
        // What twarc-csv keeps beyond the common fields: edit history, withheld countries, place, the other counts.
        var edits = Json.Strings(tweet, "edit_history_tweet_ids");
        if (edits.Count > 1) extra["edit_history_tweet_ids"] = string.Join(',', edits);
        if (tweet.TryGetProperty("withheld", out var withheld) && withheld.ValueKind == JsonValueKind.Object)
        {
            if (Json.Strings(withheld, "country_codes") is { Count: > 0 } countries) extra["withheld_countries"] = string.Join(',', countries);
            if (Json.Str(withheld, "copyright") == "true") extra["withheld_copyright"] = "true";
        }
        if (tweet.TryGetProperty("geo", out var geo) && geo.ValueKind == JsonValueKind.Object)
        {
            if (Json.Str(geo, "place_id") is { } placeId)
            {
                extra["place_id"] = placeId;
                if (includes.Places.TryGetValue(placeId, out var place) && Json.Str(place, "full_name") is { } placeName) extra["place"] = placeName;
            }
            if (geo.TryGetProperty("coordinates", out var c) && c.ValueKind == JsonValueKind.Object && c.TryGetProperty("coordinates", out var xy) && xy.ValueKind == JsonValueKind.Array)
                extra["coordinates"] = xy.GetRawText();
        }
        if (metrics.ValueKind == JsonValueKind.Object)
        {
            foreach (var count in new[] { "quote_count", "bookmark_count" })
            {
                if (Json.Long(metrics, count) is { } value) extra[count] = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        if (Json.Str(tweet, "possibly_sensitive") == "true") extra["possibly_sensitive"] = "true";
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
            // The API returns text with &amp; &lt; &gt; escaped (as the web page shows it); readers want the characters.
            Text = System.Net.WebUtility.HtmlDecode(Json.Str(tweet, "text") ?? ""),
            Language = Json.Str(tweet, "lang"),
            ReplyTo = replyTo,
            Hashtags = EntityValues(entities, "hashtags", "tag"),
            Mentions = EntityValues(entities, "mentions", "username"),
            Links = EntityValues(entities, "urls", "expanded_url"),
            Media = MediaOf(tweet, includes),
            Likes = metrics.ValueKind == JsonValueKind.Object ? Json.Long(metrics, "like_count") : null,
            Shares = metrics.ValueKind == JsonValueKind.Object ? Json.Long(metrics, "retweet_count") : null,
            Replies = metrics.ValueKind == JsonValueKind.Object ? Json.Long(metrics, "reply_count") : null,
            Views = metrics.ValueKind == JsonValueKind.Object ? Json.Long(metrics, "impression_count") : null,
            Extra = extra,
        };
    }

    /// <summary>The tweet's attachments.media_keys resolved in includes.media (photo, video, animated_gif).</summary>
    private static IReadOnlyList<MediaRef> MediaOf(JsonElement tweet, Includes includes)
    {
        if (!tweet.TryGetProperty("attachments", out var att) || att.ValueKind != JsonValueKind.Object) return [];
        var keys = Json.Strings(att, "media_keys");
        var list = new List<MediaRef>(keys.Count);
        foreach (var key in keys)
        {
            if (!includes.Media.TryGetValue(key, out var media))
            {
                list.Add(new MediaRef { Kind = "document" });
                continue;
            }
            var type = Json.Str(media, "type");
            // A video's file is its best mp4 variant; its url (when given) is the preview image.
            string? best = null;
            long bestRate = -1;
            if (media.TryGetProperty("variants", out var variants) && variants.ValueKind == JsonValueKind.Array)
            {
                foreach (var v in variants.EnumerateArray())
                {
                    if (Json.Str(v, "content_type") != "video/mp4") continue;
                    var rate = Json.Long(v, "bit_rate") ?? 0;
                    if (rate > bestRate && Json.Str(v, "url") is { } u) (best, bestRate) = (u, rate);
                }
            }
            list.Add(new MediaRef
            {
                Kind = type switch { "photo" => "photo", "video" => "video", "animated_gif" => "gif", _ => "document" },
                Url = best ?? Json.Str(media, "url") ?? Json.Str(media, "preview_image_url"),
                Mime = best is not null ? "video/mp4" : null,
                Width = (int?)Json.Long(media, "width"),
                Height = (int?)Json.Long(media, "height"),
                DurationSeconds = Json.Long(media, "duration_ms") is { } ms ? ms / 1000.0 : null,
                Description = Json.Str(media, "alt_text"),
            });
        }
        return list;
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
            Url = Json.Str(user, "username") is { } handle ? $"https://twitter.com/{handle}" : null,
            AvatarUrl = Json.Str(user, "profile_image_url"),
            Extra = UserExtra(user, metrics),
        };
    }

    private static Dictionary<string, string> UserExtra(JsonElement user, JsonElement metrics)
    {
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "location", "verified", "verified_type", "protected", "pinned_tweet_id", "url" })
        {
            if (Json.Str(user, name) is { Length: > 0 } value) extra[name] = value;
        }
        if (metrics.ValueKind == JsonValueKind.Object && Json.Long(metrics, "listed_count") is { } listed)
            extra["listed_count"] = listed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (user.TryGetProperty("withheld", out var withheld) && Json.Strings(withheld, "country_codes") is { Count: > 0 } countries)
            extra["withheld_countries"] = string.Join(',', countries);
        return extra;
    }
}
