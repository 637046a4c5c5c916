using System.Globalization;
using System.Text.Json;
using Archiver.Model;
using Archiver.Platforms.Common;
using static Archiver.Platforms.Mastodon.JsonFields;

namespace Archiver.Platforms.Mastodon;

/// <summary>A Mastodon-API account object into an <see cref="Author"/>.</summary>
public static class MastodonAccountMapper
{
    public static Author? Map(JsonElement account, string platform, string host)
    {
        var id = Str(account, "id");
        var acct = Str(account, "acct", "username");
        if (id is null && acct is null) return null;
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        Put(extra, "username", Str(account, "username"));
        Put(extra, "note_html", Str(account, "note"));
        Put(extra, "header", Str(account, "header"));
        Put(extra, "locked", Str(account, "locked"));
        Put(extra, "bot", Str(account, "bot"));
        Put(extra, "group", Str(account, "group"));
        Put(extra, "last_status_at", Str(account, "last_status_at"));
        Put(extra, "uri", Str(account, "uri"));
        Put(extra, "verified", Str(account, "verified", "is_verified"));
        if (Fields(account) is { } fields) extra["fields"] = fields;
        var bot = Bool(account, "bot") == true;
        var group = Bool(account, "group") == true;
        return new Author
        {
            Platform = platform,
            Host = host,
            NativeId = id ?? acct!,
            Handle = acct,
            DisplayName = NonEmpty(Str(account, "display_name", "displayName", "name") ?? ""),
            Description = NonEmpty(LightHtml.ToText(Str(account, "note"))),
            Url = Str(account, "url"),
            Kind = bot ? "bot" : group ? "group" : "account",
            Followers = Long(account, "followers_count", "followersCount"),
            Following = Long(account, "following_count", "followingCount"),
            PostsCount = Long(account, "statuses_count", "statusesCount"),
            AvatarUrl = Str(account, "avatar", "avatar_static"),
            CreatedAt = Date(account, "created_at", "createdAt"),
            Extra = extra,
        };
    }

    /// <summary>Profile fields as JSON: [{"name":..,"value":.. (text),"verified_at":..}].</summary>
    private static string? Fields(JsonElement account)
    {
        var list = Arr(account, "fields").Where(f => f.ValueKind == JsonValueKind.Object).ToList();
        if (list.Count == 0) return null;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            foreach (var field in list)
            {
                json.WriteStartObject();
                json.WriteString("name", Str(field, "name") ?? "");
                json.WriteString("value", LightHtml.ToText(Str(field, "value")));
                if (Str(field, "verified_at") is { } verified) json.WriteString("verified_at", verified);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    internal static void Put(Dictionary<string, string> extra, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value)) extra[key] = value;
    }

    private static string? NonEmpty(string value) => value.Length == 0 ? null : value;

    internal static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
