using Archiver.Model;

namespace Archiver.Export;

/// <summary>The tables of schema version 1. The column order here is the column order of every format.</summary>
public static class ExportTables
{
    private static readonly IReadOnlyList<string> NoStrings = [];

    public static readonly Table<PostRow> Posts = new("posts", "Posts (record_type post) and, with --with-history, their earlier versions (post_version).",
    [
        Column<PostRow>.Str(ExportSchema.RecordTypeField, "post (current version) or post_version (an earlier version)", r => r.RecordType),
        Column<PostRow>.Str(ExportSchema.SchemaVersionField, "export schema version", _ => ExportSchema.Version),
        Column<PostRow>.Str("key", "platform:host:native_id, the post's identity in the archive", r => r.Key),
        Column<PostRow>.Str("platform", "telegram, mastodon, ...", r => r.Post.Platform),
        Column<PostRow>.Str("host", "host the post was served from", r => r.Post.Host),
        Column<PostRow>.Str("native_id", "the platform's id of the post", r => r.Post.NativeId),
        Column<PostRow>.Str("url", "public URL of the post", r => r.Post.Url),
        Column<PostRow>.Str("channel", "channel, group or timeline the post appeared in", r => r.Post.Channel),
        Column<PostRow>.Str("author_id", "stable account id, else the handle", r => r.Post.AuthorId),
        Column<PostRow>.Str("author_handle", "author's handle, without @", r => r.Post.AuthorHandle),
        Column<PostRow>.Str("author_name", "author's display name", r => r.Post.AuthorName),
        Column<PostRow>.Ts("created_at", "when the post was published (UTC)", r => r.Post.CreatedAt),
        Column<PostRow>.Ts("edited_at", "when the platform says it was edited (UTC)", r => r.Post.EditedAt),
        Column<PostRow>.Str("kind", "post, reply, forward, reblog, service, ...", r => r.Post.Kind),
        Column<PostRow>.Str("language", "language code when known", r => r.Post.Language),
        Column<PostRow>.Str("text", "the text as a reader sees it", r => r.Post.Text),
        Column<PostRow>.Str("html", "the original markup of the text, when served as HTML", r => r.Post.Html),
        Column<PostRow>.Str("reply_to", "native id of the post replied to", r => r.Post.ReplyTo),
        Column<PostRow>.Str("forwarded_from", "name or handle of a forward's or reblog's source", r => r.Post.ForwardedFrom),
        Column<PostRow>.Str("forwarded_url", "link to a forward's or reblog's source", r => r.Post.ForwardedUrl),
        Column<PostRow>.Strings("hashtags", "hashtags without #, in order of appearance", r => r.Post.Hashtags),
        Column<PostRow>.Strings("mentions", "mentioned handles without @, in order of appearance", r => r.Post.Mentions),
        Column<PostRow>.Strings("links", "absolute URLs linked from the text", r => r.Post.Links),
        Column<PostRow>.Strings("media_kinds", "kind of each attached media item (photo, video, ...)", r => MediaList(r.Post, m => m.Kind)),
        Column<PostRow>.Strings("media_urls", "URL of each attached media item (\"\" when unknown), parallel to media_kinds", r => MediaList(r.Post, m => m.Url)),
        Column<PostRow>.Strings("media_sha256", "SHA-256 of each downloaded media item (\"\" when not downloaded), parallel to media_kinds", r => MediaList(r.Post, m => m.Sha256)),
        Column<PostRow>.I64("views", "view count when last seen", r => r.Post.Views),
        Column<PostRow>.I64("likes", "like/favourite count when last seen", r => r.Post.Likes),
        Column<PostRow>.I64("shares", "share/reblog count when last seen", r => r.Post.Shares),
        Column<PostRow>.I64("replies", "reply count when last seen", r => r.Post.Replies),
        Column<PostRow>.Json("extra", "platform fields outside the common shape, as strings", r => r.Post.Extra),
        Column<PostRow>.I32("version", "1 for the first observed content, +1 per observed edit", r => r.Version),
        Column<PostRow>.Str("content_hash", "hash of the content of this version", r => r.ContentHash),
        Column<PostRow>.Ts("first_seen", "when the archive first saw the post (UTC)", r => r.FirstSeen),
        Column<PostRow>.Ts("version_seen", "when this version was first seen (UTC)", r => r.VersionSeen),
        Column<PostRow>.Ts("replaced_at", "post_version rows: when the next version was first seen (UTC)", r => r.ReplacedAt),
        Column<PostRow>.Bool("deleted", "true when a re-check found the post gone", r => r.DeletedAt is not null),
        Column<PostRow>.Ts("deleted_at", "when it was found gone (UTC)", r => r.DeletedAt),
        Column<PostRow>.I32("deleted_status", "HTTP status that showed it gone (404, 410, 451, ...)", r => r.DeletedStatus),
        Column<PostRow>.Str("deleted_reason", "how it was found gone", r => r.DeletedReason),
        Column<PostRow>.Str("capture_url", "provenance: URL of the capture the version came from", r => Empty(r.Capture?.Url)),
        Column<PostRow>.Ts("capture_fetched_at", "provenance: when it was fetched (UTC)", r => r.Capture?.FetchedAt),
        Column<PostRow>.I32("capture_status", "provenance: HTTP status", r => r.Capture?.Status),
        Column<PostRow>.Str("capture_payload_sha256", "provenance: SHA-256 of the HTTP payload", r => r.Capture?.PayloadSha256),
        Column<PostRow>.Str("capture_warc_file", "provenance: WARC file (relative to the archive's warc/)", r => r.Capture?.WarcFile),
        Column<PostRow>.I64("capture_warc_offset", "provenance: byte offset of the record in the WARC file", r => r.Capture?.WarcOffset),
        Column<PostRow>.Str("capture_warc_record_id", "provenance: WARC-Record-ID", r => r.Capture?.WarcRecordId),
    ]);

    public static readonly Table<AuthorRow> Authors = new("authors", "Accounts and channels that wrote or published the exported posts.",
    [
        Column<AuthorRow>.Str(ExportSchema.RecordTypeField, "author", _ => "author"),
        Column<AuthorRow>.Str(ExportSchema.SchemaVersionField, "export schema version", _ => ExportSchema.Version),
        Column<AuthorRow>.Str("key", "platform:host:native_id", r => r.Key),
        Column<AuthorRow>.Str("platform", "platform", r => r.Author.Platform),
        Column<AuthorRow>.Str("host", "host", r => r.Author.Host),
        Column<AuthorRow>.Str("native_id", "the platform's stable id, else the handle", r => r.Author.NativeId),
        Column<AuthorRow>.Str("handle", "handle without @", r => r.Author.Handle),
        Column<AuthorRow>.Str("display_name", "display name", r => r.Author.DisplayName),
        Column<AuthorRow>.Str("description", "profile text", r => r.Author.Description),
        Column<AuthorRow>.Str("url", "profile URL", r => r.Author.Url),
        Column<AuthorRow>.Str("kind", "account, channel, group, bot, ...", r => r.Author.Kind),
        Column<AuthorRow>.I64("followers", "followers when last seen", r => r.Author.Followers),
        Column<AuthorRow>.I64("following", "accounts followed when last seen", r => r.Author.Following),
        Column<AuthorRow>.I64("posts_count", "post count the platform shows", r => r.Author.PostsCount),
        Column<AuthorRow>.Str("avatar_url", "avatar URL", r => r.Author.AvatarUrl),
        Column<AuthorRow>.Str("avatar_sha256", "SHA-256 of the downloaded avatar", r => r.Author.AvatarSha256),
        Column<AuthorRow>.Ts("created_at", "when the account was created (UTC)", r => r.Author.CreatedAt),
        Column<AuthorRow>.Str("status", "active or gone", r => r.Stored.Status == AuthorStatus.Gone ? "gone" : "active"),
        Column<AuthorRow>.Ts("gone_at", "when it was found gone (UTC)", r => r.Stored.GoneAt),
        Column<AuthorRow>.I32("gone_status", "HTTP status that showed it gone", r => r.Stored.GoneStatus),
        Column<AuthorRow>.Ts("first_seen", "when the archive first saw it (UTC)", r => r.Stored.FirstSeen),
        Column<AuthorRow>.Ts("last_seen", "when the archive last saw it (UTC)", r => r.Stored.LastSeen),
        Column<AuthorRow>.I32("version", "profile version (+1 per observed profile change)", r => r.Stored.Version),
        Column<AuthorRow>.Json("extra", "platform fields outside the common shape", r => r.Author.Extra),
        Column<AuthorRow>.Str("capture_url", "provenance: URL of the capture", r => Empty(r.Stored.Capture?.Url)),
        Column<AuthorRow>.Ts("capture_fetched_at", "provenance: when it was fetched (UTC)", r => r.Stored.Capture?.FetchedAt),
        Column<AuthorRow>.I32("capture_status", "provenance: HTTP status", r => r.Stored.Capture?.Status),
        Column<AuthorRow>.Str("capture_payload_sha256", "provenance: SHA-256 of the HTTP payload", r => r.Stored.Capture?.PayloadSha256),
        Column<AuthorRow>.Str("capture_warc_file", "provenance: WARC file", r => r.Stored.Capture?.WarcFile),
        Column<AuthorRow>.I64("capture_warc_offset", "provenance: byte offset in the WARC file", r => r.Stored.Capture?.WarcOffset),
    ]);

    public static readonly Table<MediaRow> Media = new("media", "Downloaded media files referenced by the exported posts.",
    [
        Column<MediaRow>.Str(ExportSchema.RecordTypeField, "media", _ => "media"),
        Column<MediaRow>.Str(ExportSchema.SchemaVersionField, "export schema version", _ => ExportSchema.Version),
        Column<MediaRow>.Str("sha256", "SHA-256 of the file's bytes (its identity)", r => r.Media.Sha256),
        Column<MediaRow>.Str("mime", "media type", r => r.Media.Mime),
        Column<MediaRow>.I64("size", "size in bytes", r => r.Media.Size),
        Column<MediaRow>.Str("source_url", "URL it was downloaded from", r => r.Media.SourceUrl),
        Column<MediaRow>.Ts("fetched_at", "when it was downloaded (UTC)", r => r.Media.FetchedAt),
        Column<MediaRow>.Str("archive_path", "path inside the archive directory", r => r.Media.LocalPath),
        Column<MediaRow>.Str("export_path", "path inside this export (with --with-media), else empty", r => r.ExportPath),
    ]);

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static IReadOnlyList<string> MediaList(Post post, Func<MediaRef, string?> pick)
    {
        if (post.Media.Count == 0) return NoStrings;
        var list = new string[post.Media.Count];
        for (var i = 0; i < list.Length; i++) list[i] = pick(post.Media[i]) ?? "";
        return list;
    }
}
