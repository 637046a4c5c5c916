using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Archiver.Replica;

/// <summary>
/// Writes Mastodon API v1 JSON (statuses, accounts) with the fields of the real responses in
/// shared/fixtures/mastodon. Truth Social adds its fields; Gab sends some ids as numbers and extra fields.
/// </summary>
public sealed class MastodonJson(Flavor flavor, string origin)
{
    public Flavor Flavor { get; } = flavor;
    public string Origin { get; } = origin;

    public static string Stamp(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    public string StatusUrl(ApiStatus s) => s.Reblog is null
        ? $"{Origin}/@{s.Account.Username}/{Id(s.Id)}"
        : $"{Origin}/users/{s.Account.Username}/statuses/{Id(s.Id)}/activity";

    public string AccountUrl(ApiAccount a) => $"{Origin}/@{a.Username}";

    public static string AvatarPath(ApiAccount a) => MediaFile.Photo(Mix.Of(a.Stream.Key, 0xA7A7A), false).Path;

    /// <summary>The <c>content</c> HTML: one paragraph, Mastodon's link, mention and hashtag markup.</summary>
    public string Content(RichText text)
    {
        if (text.IsEmpty) return "";
        var sb = new StringBuilder(256).Append("<p>");
        foreach (var s in text.Segments)
        {
            switch (s.Kind)
            {
                case SegmentKind.Text: case SegmentKind.Emoji: sb.Append(Html.Escape(s.Value)); break;
                case SegmentKind.Bold: sb.Append("<strong>").Append(Html.Escape(s.Value)).Append("</strong>"); break;
                case SegmentKind.Break: sb.Append("<br />"); break;
                case SegmentKind.Hashtag:
                    sb.Append("<a href=\"").Append(Origin).Append("/tags/").Append(Uri.EscapeDataString(s.Value.ToLowerInvariant()))
                      .Append("\" class=\"mention hashtag\" rel=\"tag\">#<span>").Append(Html.Escape(s.Value)).Append("</span></a>");
                    break;
                case SegmentKind.Mention:
                    sb.Append("<span class=\"h-card\" translate=\"no\"><a href=\"").Append(Origin).Append("/@").Append(s.Value)
                      .Append("\" class=\"u-url mention\">@<span>").Append(s.Value).Append("</span></a></span>");
                    break;
                case SegmentKind.Link:
                    var rest = s.Value["https://".Length..];
                    sb.Append("<a href=\"").Append(Html.Escape(s.Value)).Append("\" target=\"_blank\" rel=\"nofollow noopener\" translate=\"no\"><span class=\"invisible\">https://</span><span class=\"\">")
                      .Append(Html.Escape(rest)).Append("</span><span class=\"invisible\"></span></a>");
                    break;
            }
        }
        return sb.Append("</p>").ToString();
    }

    public void Account(Utf8JsonWriter w, ApiAccount a, ReplicaView version)
    {
        w.WriteStartObject();
        w.WriteString("id", Id(a.Id));
        w.WriteString("username", a.Username);
        w.WriteString("acct", a.Username);
        w.WriteString("display_name", a.DisplayName);
        w.WriteBoolean("locked", false);
        w.WriteBoolean("bot", false);
        w.WriteBoolean("discoverable", true);
        w.WriteBoolean("indexable", true);
        w.WriteBoolean("group", false);
        w.WriteString("created_at", Stamp(a.CreatedAt));
        w.WriteString("note", $"<p>{Html.Escape(a.Note)}</p>");
        w.WriteString("url", AccountUrl(a));
        w.WriteString("uri", $"{Origin}/users/{a.Username}");
        w.WriteString("avatar", Origin + AvatarPath(a));
        w.WriteString("avatar_static", Origin + AvatarPath(a));
        var header = Origin + MediaFile.Photo(Mix.Of(a.Stream.Key, 0x4EAD), false).Path;
        w.WriteString("header", header);
        w.WriteString("header_static", header);
        w.WriteNumber("followers_count", a.Followers);
        w.WriteNumber("following_count", a.Following);
        w.WriteNumber("statuses_count", a.Stream.Count(version));
        var last = a.Stream.Count(version) - 1;
        if (last >= 0) w.WriteString("last_status_at", a.Stream.Time(last).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        else w.WriteNull("last_status_at");
        w.WriteBoolean("hide_collections", false);
        w.WriteBoolean("noindex", false);
        w.WriteStartArray("emojis"); w.WriteEndArray();
        w.WriteStartArray("roles"); w.WriteEndArray();
        w.WriteStartArray("fields");
        w.WriteStartObject();
        w.WriteString("name", "web");
        w.WriteString("value", $"<a href=\"https://{a.Username}.example\" target=\"_blank\" rel=\"nofollow noopener me\" translate=\"no\">{a.Username}.example</a>");
        w.WriteNull("verified_at");
        w.WriteEndObject();
        w.WriteEndArray();
        if (Flavor == Flavor.Gab)
        {
            w.WriteBoolean("is_pro", a.Index % 3 == 0);
            w.WriteBoolean("is_verified", false);
            w.WriteBoolean("is_donor", false);
        }
        if (Flavor == Flavor.TruthSocial) w.WriteBoolean("verified", a.Index == 0);
        w.WriteEndObject();
    }

    public void Status(Utf8JsonWriter w, ApiStatus s, ReplicaView version, bool nested = false)
    {
        w.WriteStartObject();
        // Gab sends the ids of embedded statuses as bare numbers.
        if (Flavor == Flavor.Gab && nested) w.WriteNumber("id", s.Id);
        else w.WriteString("id", Id(s.Id));
        w.WriteString("created_at", Stamp(s.CreatedAt));
        WriteOptionalId(w, "in_reply_to_id", s.InReplyToId);
        WriteOptionalId(w, "in_reply_to_account_id", s.InReplyToAccountId);
        w.WriteBoolean("sensitive", s.Sensitive);
        w.WriteString("spoiler_text", s.SpoilerText);
        w.WriteString("visibility", s.Visibility);
        if (s.Reblog is null) w.WriteString("language", s.Account.Language.Code);
        else w.WriteNull("language");
        w.WriteString("uri", s.Reblog is null ? $"{Origin}/users/{s.Account.Username}/statuses/{Id(s.Id)}" : $"{Origin}/users/{s.Account.Username}/statuses/{Id(s.Id)}/activity");
        w.WriteString("url", StatusUrl(s));
        w.WriteNumber("replies_count", s.RepliesCount);
        w.WriteNumber("reblogs_count", s.ReblogsCount);
        w.WriteNumber("favourites_count", s.FavouritesCount);
        w.WriteNumber("quotes_count", 0);
        if (s.EditedAt is { } edited) w.WriteString("edited_at", Stamp(edited));
        else w.WriteNull("edited_at");
        w.WriteBoolean("favourited", false);
        w.WriteBoolean("reblogged", false);
        w.WriteBoolean("muted", false);
        w.WriteBoolean("bookmarked", false);
        w.WriteBoolean("pinned", false);
        w.WriteString("content", Content(s.Text));
        w.WriteStartArray("filtered"); w.WriteEndArray();
        if (s.Reblog is { } original)
        {
            w.WritePropertyName("reblog");
            Status(w, original, version, nested: true);
        }
        else w.WriteNull("reblog");
        w.WriteStartObject("application");
        w.WriteString("name", "Web");
        w.WriteNull("website");
        w.WriteEndObject();
        w.WritePropertyName("account");
        Account(w, s.Account, version);
        MediaAttachments(w, s);
        Mentions(w, s);
        Tags(w, s);
        w.WriteStartArray("emojis"); w.WriteEndArray();
        Card(w, s.Card);
        Poll(w, s.Poll);
        w.WriteNull("quote");
        FlavorFields(w, s);
        w.WriteEndObject();
    }

    /// <summary>One entry of a status's edit history (Mastodon's StatusEdit): the version's content as written at <paramref name="writtenAt"/>.</summary>
    public void StatusEdit(Utf8JsonWriter w, ApiStatus s, DateTime writtenAt, ReplicaView version)
    {
        w.WriteStartObject();
        w.WriteString("content", Content(s.Text));
        w.WriteString("spoiler_text", s.SpoilerText);
        w.WriteBoolean("sensitive", s.Sensitive);
        w.WriteString("created_at", Stamp(writtenAt));
        w.WritePropertyName("account");
        Account(w, s.Account, version);
        if (s.Poll is { } poll)
        {
            w.WriteStartObject("poll");
            w.WriteStartArray("options");
            foreach (var (title, _) in poll.Options)
            {
                w.WriteStartObject();
                w.WriteString("title", title);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        else w.WriteNull("poll");
        MediaAttachments(w, s);
        w.WriteStartArray("emojis"); w.WriteEndArray();
        w.WriteEndObject();
    }

    private void WriteOptionalId(Utf8JsonWriter w, string name, long? id)
    {
        if (id is not { } v) w.WriteNull(name);
        else if (Flavor == Flavor.Gab) w.WriteNumber(name, v);
        else w.WriteString(name, Id(v));
    }

    private void MediaAttachments(Utf8JsonWriter w, ApiStatus s)
    {
        w.WriteStartArray("media_attachments");
        foreach (var m in s.Media)
        {
            w.WriteStartObject();
            w.WriteString("id", Id((long)(m.File.Key >> 8)));
            w.WriteString("type", m.Type);
            w.WriteString("url", Origin + m.File.Path);
            w.WriteString("preview_url", Origin + m.File.Path);
            w.WriteNull("remote_url");
            w.WriteNull("preview_remote_url");
            w.WriteNull("text_url");
            w.WriteStartObject("meta");
            if (m.File.Width > 0)
            {
                w.WriteStartObject("original");
                w.WriteNumber("width", m.File.Width);
                w.WriteNumber("height", m.File.Height);
                w.WriteString("size", $"{m.File.Width}x{m.File.Height}");
                w.WriteNumber("aspect", Math.Round(m.File.Width / (double)m.File.Height, 6));
                w.WriteEndObject();
            }
            w.WriteEndObject();
            if (m.Description is { } d) w.WriteString("description", d);
            else w.WriteNull("description");
            w.WriteString("blurhash", "UGC~-#M{0JfkNFofR%M{IURj%Mt7E0oM%MR*");
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private void Mentions(Utf8JsonWriter w, ApiStatus s)
    {
        w.WriteStartArray("mentions");
        foreach (var m in s.Mentioned)
        {
            w.WriteStartObject();
            w.WriteString("id", Id(m.Id));
            w.WriteString("username", m.Username);
            w.WriteString("url", AccountUrl(m));
            w.WriteString("acct", m.Username);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private void Tags(Utf8JsonWriter w, ApiStatus s)
    {
        w.WriteStartArray("tags");
        foreach (var tag in s.Text.Hashtags)
        {
            w.WriteStartObject();
            w.WriteString("name", tag);
            w.WriteString("url", $"{Origin}/tags/{Uri.EscapeDataString(tag.ToLowerInvariant())}");
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void Card(Utf8JsonWriter w, ApiCard? card)
    {
        if (card is null) { w.WriteNull("card"); return; }
        w.WriteStartObject("card");
        w.WriteString("url", card.Url);
        w.WriteString("title", card.Title);
        w.WriteString("description", card.Description);
        w.WriteString("type", "link");
        w.WriteString("author_name", "");
        w.WriteString("provider_name", "");
        w.WriteString("html", "");
        w.WriteNumber("width", 0);
        w.WriteNumber("height", 0);
        w.WriteNull("image");
        w.WriteEndObject();
    }

    private static void Poll(Utf8JsonWriter w, ApiPoll? poll)
    {
        if (poll is null) { w.WriteNull("poll"); return; }
        w.WritePropertyName("poll");
        PollObject(w, poll);
    }

    public static void PollObject(Utf8JsonWriter w, ApiPoll poll)
    {
        w.WriteStartObject();
        w.WriteString("id", Id(poll.Id));
        w.WriteString("expires_at", Stamp(poll.ExpiresAt));
        w.WriteBoolean("expired", true);
        w.WriteBoolean("multiple", poll.Multiple);
        w.WriteNumber("votes_count", poll.VotesCount);
        w.WriteNull("voters_count");
        w.WriteStartArray("options");
        foreach (var (title, votes) in poll.Options)
        {
            w.WriteStartObject();
            w.WriteString("title", title);
            w.WriteNumber("votes_count", votes);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("emojis"); w.WriteEndArray();
        w.WriteEndObject();
    }

    private void FlavorFields(Utf8JsonWriter w, ApiStatus s)
    {
        switch (Flavor)
        {
            case Flavor.TruthSocial:
                if (s.QuoteId is { } q) w.WriteString("quote_id", Id(q));
                else w.WriteNull("quote_id");
                w.WriteBoolean("sponsored", false);
                w.WriteNull("group");
                w.WriteNull("tv");
                w.WriteBoolean("votable", false);
                break;
            case Flavor.Gab:
                w.WriteNull("revised_at");
                w.WriteBoolean("has_quote", false);
                w.WriteNull("quote_of_id");
                w.WriteNull("group");
                w.WriteNull("expires_at");
                w.WriteString("plain_markdown", s.Text.Plain());
                break;
        }
    }
}
