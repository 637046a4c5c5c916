using Archiver.Model;
using LiteDB;

namespace Archiver.Storage;

/// <summary>
/// Hand-written mapping between records and BSON. LiteDB's reflection mapper costs several
/// microseconds and kilobytes per document; on the insert path that is most of the budget.
/// Field names are stable: they are the on-disk format.
/// </summary>
internal static class BsonMapping
{
    public static BsonDocument FromPost(Post post, BsonDocument doc)
    {
        doc["platform"] = post.Platform;
        doc["host"] = post.Host;
        doc["nid"] = post.NativeId;
        Set(doc, "url", post.Url);
        Set(doc, "channel", post.Channel);
        Set(doc, "authorId", post.AuthorId);
        Set(doc, "authorHandle", post.AuthorHandle);
        Set(doc, "authorName", post.AuthorName);
        Set(doc, "createdAt", post.CreatedAt);
        Set(doc, "editedAt", post.EditedAt);
        doc["kind"] = post.Kind;
        doc["text"] = post.Text;
        Set(doc, "html", post.Html);
        Set(doc, "lang", post.Language);
        Set(doc, "langSrc", post.LanguageSource);
        Set(doc, "replyTo", post.ReplyTo);
        Set(doc, "fwdFrom", post.ForwardedFrom);
        Set(doc, "fwdUrl", post.ForwardedUrl);
        SetList(doc, "tags", post.Hashtags);
        SetList(doc, "mentions", post.Mentions);
        SetList(doc, "links", post.Links);
        if (post.Media.Count > 0)
        {
            var media = new BsonArray();
            foreach (var m in post.Media) media.Add(FromMediaRef(m));
            doc["media"] = media;
        }
        else doc.Remove("media");
        Set(doc, "views", post.Views);
        Set(doc, "likes", post.Likes);
        Set(doc, "shares", post.Shares);
        Set(doc, "replies", post.Replies);
        SetDictionary(doc, "extra", post.Extra);
        return doc;
    }

    public static Post ToPost(BsonDocument doc) => new()
    {
        Platform = doc["platform"].AsString,
        Host = doc["host"].AsString,
        NativeId = doc["nid"].AsString,
        Url = Str(doc, "url"),
        Channel = Str(doc, "channel"),
        AuthorId = Str(doc, "authorId"),
        AuthorHandle = Str(doc, "authorHandle"),
        AuthorName = Str(doc, "authorName"),
        CreatedAt = Date(doc, "createdAt"),
        EditedAt = Date(doc, "editedAt"),
        Kind = Str(doc, "kind") ?? PostKinds.Post,
        Text = Str(doc, "text") ?? "",
        Html = Str(doc, "html"),
        Language = Str(doc, "lang"),
        LanguageSource = Str(doc, "langSrc"),
        ReplyTo = Str(doc, "replyTo"),
        ForwardedFrom = Str(doc, "fwdFrom"),
        ForwardedUrl = Str(doc, "fwdUrl"),
        Hashtags = List(doc, "tags"),
        Mentions = List(doc, "mentions"),
        Links = List(doc, "links"),
        Media = doc.TryGetValue("media", out var media) && media.IsArray
            ? media.AsArray.Select(m => ToMediaRef(m.AsDocument)).ToList()
            : [],
        Views = Long(doc, "views"),
        Likes = Long(doc, "likes"),
        Shares = Long(doc, "shares"),
        Replies = Long(doc, "replies"),
        Extra = Dictionary(doc, "extra"),
    };

    public static BsonDocument FromMediaRef(MediaRef m)
    {
        var doc = new BsonDocument { ["kind"] = m.Kind };
        Set(doc, "url", m.Url);
        Set(doc, "sha256", m.Sha256);
        Set(doc, "mime", m.Mime);
        Set(doc, "width", m.Width);
        Set(doc, "height", m.Height);
        if (m.DurationSeconds is { } d) doc["duration"] = d;
        Set(doc, "title", m.Title);
        Set(doc, "description", m.Description);
        return doc;
    }

    public static MediaRef ToMediaRef(BsonDocument doc) => new()
    {
        Kind = Str(doc, "kind") ?? "file",
        Url = Str(doc, "url"),
        Sha256 = Str(doc, "sha256"),
        Mime = Str(doc, "mime"),
        Width = doc.TryGetValue("width", out var w) && w.IsNumber ? w.AsInt32 : null,
        Height = doc.TryGetValue("height", out var h) && h.IsNumber ? h.AsInt32 : null,
        DurationSeconds = doc.TryGetValue("duration", out var d) && d.IsNumber ? d.AsDouble : null,
        Title = Str(doc, "title"),
        Description = Str(doc, "description"),
    };

    public static BsonDocument FromCapture(Capture c)
    {
        var doc = new BsonDocument { ["url"] = c.Url, ["fetchedAt"] = c.FetchedAt, ["status"] = c.Status };
        Set(doc, "sha256", c.PayloadSha256);
        Set(doc, "warc", c.WarcFile);
        Set(doc, "offset", c.WarcOffset);
        Set(doc, "recordId", c.WarcRecordId);
        return doc;
    }

    public static Capture? ToCapture(BsonValue value)
    {
        if (!value.IsDocument) return null;
        var doc = value.AsDocument;
        return new Capture
        {
            Url = Str(doc, "url") ?? "",
            FetchedAt = Date(doc, "fetchedAt") ?? default,
            Status = doc.TryGetValue("status", out var s) && s.IsNumber ? s.AsInt32 : 0,
            PayloadSha256 = Str(doc, "sha256"),
            WarcFile = Str(doc, "warc"),
            WarcOffset = Long(doc, "offset"),
            WarcRecordId = Str(doc, "recordId"),
        };
    }

    public static BsonDocument FromAuthor(Author a, BsonDocument doc)
    {
        doc["platform"] = a.Platform;
        doc["host"] = a.Host;
        doc["nid"] = a.NativeId;
        Set(doc, "handle", a.Handle);
        Set(doc, "name", a.DisplayName);
        Set(doc, "description", a.Description);
        Set(doc, "url", a.Url);
        doc["kind"] = a.Kind;
        Set(doc, "followers", a.Followers);
        Set(doc, "following", a.Following);
        Set(doc, "postsCount", a.PostsCount);
        Set(doc, "avatarUrl", a.AvatarUrl);
        Set(doc, "avatarSha256", a.AvatarSha256);
        Set(doc, "createdAt", a.CreatedAt);
        SetDictionary(doc, "extra", a.Extra);
        return doc;
    }

    public static Author ToAuthor(BsonDocument doc) => new()
    {
        Platform = doc["platform"].AsString,
        Host = doc["host"].AsString,
        NativeId = doc["nid"].AsString,
        Handle = Str(doc, "handle"),
        DisplayName = Str(doc, "name"),
        Description = Str(doc, "description"),
        Url = Str(doc, "url"),
        Kind = Str(doc, "kind") ?? "account",
        Followers = Long(doc, "followers"),
        Following = Long(doc, "following"),
        PostsCount = Long(doc, "postsCount"),
        AvatarUrl = Str(doc, "avatarUrl"),
        AvatarSha256 = Str(doc, "avatarSha256"),
        CreatedAt = Date(doc, "createdAt"),
        Extra = Dictionary(doc, "extra"),
    };

    public static BsonDocument FromMedia(Media m) => new()
    {
        ["_id"] = m.Sha256,
        ["mime"] = m.Mime,
        ["size"] = m.Size,
        ["sourceUrl"] = m.SourceUrl,
        ["path"] = m.LocalPath,
        ["fetchedAt"] = m.FetchedAt,
    };

    public static Media ToMedia(BsonDocument doc) => new()
    {
        Sha256 = doc["_id"].AsString,
        Mime = Str(doc, "mime") ?? "application/octet-stream",
        Size = Long(doc, "size") ?? 0,
        SourceUrl = Str(doc, "sourceUrl") ?? "",
        LocalPath = Str(doc, "path") ?? "",
        FetchedAt = Date(doc, "fetchedAt") ?? default,
    };

    public static void Set(BsonDocument doc, string name, string? value)
    {
        if (value is null) doc.Remove(name);
        else doc[name] = value;
    }

    public static void Set(BsonDocument doc, string name, long? value)
    {
        if (value is null) doc.Remove(name);
        else doc[name] = value.Value;
    }

    public static void Set(BsonDocument doc, string name, int? value)
    {
        if (value is null) doc.Remove(name);
        else doc[name] = value.Value;
    }

    public static void Set(BsonDocument doc, string name, DateTime? value)
    {
        if (value is null) doc.Remove(name);
        else doc[name] = DateTime.SpecifyKind(value.Value, DateTimeKind.Utc);
    }

    public static string? Str(BsonDocument doc, string name) =>
        doc.TryGetValue(name, out var v) && v.IsString ? v.AsString : null;

    public static long? Long(BsonDocument doc, string name) =>
        doc.TryGetValue(name, out var v) && v.IsNumber ? v.AsInt64 : null;

    public static int? Int(BsonDocument doc, string name) =>
        doc.TryGetValue(name, out var v) && v.IsNumber ? v.AsInt32 : null;

    /// <summary>LiteDB returns dates as local time; the archive is UTC throughout.</summary>
    public static DateTime? Date(BsonDocument doc, string name) =>
        doc.TryGetValue(name, out var v) && v.IsDateTime ? v.AsDateTime.ToUniversalTime() : null;

    private static void SetList(BsonDocument doc, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            doc.Remove(name);
            return;
        }
        var array = new BsonArray();
        foreach (var v in values) array.Add(v);
        doc[name] = array;
    }

    private static IReadOnlyList<string> List(BsonDocument doc, string name) =>
        doc.TryGetValue(name, out var v) && v.IsArray ? v.AsArray.Select(x => x.AsString).ToList() : [];

    private static void SetDictionary(BsonDocument doc, string name, IReadOnlyDictionary<string, string> values)
    {
        if (values.Count == 0)
        {
            doc.Remove(name);
            return;
        }
        // Stored as [[key, value], ...]: platform keys may contain '.' or '$', which BSON field names may not.
        var array = new BsonArray();
        foreach (var (k, v) in values.OrderBy(p => p.Key, StringComparer.Ordinal)) array.Add(new BsonArray { k, v });
        doc[name] = array;
    }

    private static IReadOnlyDictionary<string, string> Dictionary(BsonDocument doc, string name)
    {
        if (!doc.TryGetValue(name, out var v) || !v.IsArray) return Post.EmptyExtra;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in v.AsArray)
        {
            if (pair.IsArray && pair.AsArray.Count == 2) result[pair.AsArray[0].AsString] = pair.AsArray[1].AsString;
        }
        return result;
    }
}
