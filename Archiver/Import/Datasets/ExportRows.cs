using System.Globalization;
using System.Text.Json;
using Archiver.Export;
using Archiver.Model;

namespace Archiver.Import.Datasets;

/// <summary>A row of Archiver's own posts table (docs/export-schema.md) with the bookkeeping the store needs to restore it.</summary>
public sealed record ExportedPost(string RecordType, Post Post, int Version, DateTime? FirstSeen, DateTime? VersionSeen,
    DateTime? DeletedAt, int? DeletedStatus, string? DeletedReason, Capture? Capture)
{
    public bool IsCurrent => RecordType == PostRow.Current;
}

public sealed record ExportedAuthor(Author Author, bool Gone, DateTime? FirstSeen, DateTime? LastSeen, DateTime? GoneAt, int? GoneStatus, int Version, Capture? Capture);

public sealed record ExportedMedia(Media Media, string? ExportPath);

/// <summary>
/// Pure parse functions for the rows of Archiver's own JSONL export, schema versions 1 and 2 (version 1 had
/// media as three parallel lists). Values are taken exactly as written (no trimming, no de-duplication), so a
/// re-export writes the same bytes.
/// </summary>
public static class ExportRows
{
    public static readonly IReadOnlySet<string> RecordTypes = new HashSet<string>(StringComparer.Ordinal) { PostRow.Current, PostRow.EarlierVersion, "author", "media" };
    private static readonly IReadOnlySet<string> Versions = new HashSet<string>(StringComparer.Ordinal) { "1", ExportSchema.Version };

    /// <summary>Whether a JSON line is a row of an Archiver export (a record_type we write and a schema_version).</summary>
    public static bool Recognises(JsonElement line) =>
        line.ValueKind == JsonValueKind.Object && Text(line, ExportSchema.RecordTypeField) is { } type && RecordTypes.Contains(type)
        && Text(line, ExportSchema.SchemaVersionField) is not null;

    public static string? RecordType(JsonElement line) => Text(line, ExportSchema.RecordTypeField);

    /// <summary>The schema check shared by every row: a version this build reads.</summary>
    public static string? VersionError(JsonElement line) =>
        Text(line, ExportSchema.SchemaVersionField) is { } v && Versions.Contains(v) ? null
            : $"export schema_version '{Text(line, ExportSchema.SchemaVersionField)}' is not one this build reads ({string.Join(", ", Versions)})";

    /// <summary>The checks every post and author row passes first: a readable schema version and a full identity.</summary>
    private static bool TryIdentity(JsonElement row, string what, out string platform, out string host, out string nativeId, out string? error)
    {
        platform = Text(row, "platform") ?? "";
        host = Text(row, "host") ?? "";
        nativeId = Text(row, "native_id") ?? "";
        error = VersionError(row);
        if (error is null && (platform.Length == 0 || host.Length == 0 || nativeId.Length == 0))
            error = $"{what} row without platform, host or native_id";
        return error is null;
    }

    public static ExportedPost? Post(JsonElement row, out string? error)
    {
        if (!TryIdentity(row, "post", out var platform, out var host, out var nativeId, out error)) return null;
        var post = new Post
        {
            Platform = platform,
            Host = host,
            NativeId = nativeId,
            Url = Text(row, "url"),
            Channel = Text(row, "channel"),
            AuthorId = Text(row, "author_id"),
            AuthorHandle = Text(row, "author_handle"),
            AuthorName = Text(row, "author_name"),
            CreatedAt = Time(row, "created_at"),
            EditedAt = Time(row, "edited_at"),
            Kind = Text(row, "kind") ?? PostKinds.Post,
            Language = Text(row, "language"),
            LanguageSource = Text(row, "language_source"),
            Text = Text(row, "text") ?? "",
            Html = Text(row, "html"),
            ReplyTo = Text(row, "reply_to"),
            ForwardedFrom = Text(row, "forwarded_from"),
            ForwardedUrl = Text(row, "forwarded_url"),
            Hashtags = List(row, "hashtags"),
            Mentions = List(row, "mentions"),
            Links = List(row, "links"),
            Media = row.TryGetProperty("media", out var media) ? MediaItems(media) : ParallelMedia(row),
            Views = Number(row, "views"),
            Likes = Number(row, "likes"),
            Shares = Number(row, "shares"),
            Replies = Number(row, "replies"),
            Extra = Map(row, "extra"),
        };
        return new ExportedPost(RecordType(row) ?? PostRow.Current, post, (int)(Number(row, "version") ?? 1),
            Time(row, "first_seen"), Time(row, "version_seen"), Time(row, "deleted_at"), (int?)Number(row, "deleted_status"),
            Text(row, "deleted_reason"), Capture(row));
    }

    public static ExportedAuthor? Author(JsonElement row, out string? error)
    {
        if (!TryIdentity(row, "author", out var platform, out var host, out var nativeId, out error)) return null;
        var author = new Author
        {
            Platform = platform,
            Host = host,
            NativeId = nativeId,
            Handle = Text(row, "handle"),
            DisplayName = Text(row, "display_name"),
            Description = Text(row, "description"),
            Url = Text(row, "url"),
            Kind = Text(row, "kind") ?? "account",
            Followers = Number(row, "followers"),
            Following = Number(row, "following"),
            PostsCount = Number(row, "posts_count"),
            AvatarUrl = Text(row, "avatar_url"),
            AvatarSha256 = Text(row, "avatar_sha256"),
            CreatedAt = Time(row, "created_at"),
            Extra = Map(row, "extra"),
        };
        return new ExportedAuthor(author, Text(row, "status") == "gone", Time(row, "first_seen"), Time(row, "last_seen"),
            Time(row, "gone_at"), (int?)Number(row, "gone_status"), (int)(Number(row, "version") ?? 1), Capture(row));
    }

    public static ExportedMedia? Media(JsonElement row, out string? error)
    {
        error = VersionError(row);
        if (error is not null) return null;
        var sha = Text(row, "sha256");
        var path = Text(row, "archive_path");
        if (sha is null || sha.Length != 64 || !sha.All(Uri.IsHexDigit))
        {
            error = "media row without a valid sha256";
            return null;
        }
        if (path is null)
        {
            error = "media row without archive_path";
            return null;
        }
        return new ExportedMedia(new Media
        {
            Sha256 = sha,
            Mime = Text(row, "mime") ?? "application/octet-stream",
            Size = Number(row, "size") ?? 0,
            SourceUrl = Text(row, "source_url") ?? "",
            LocalPath = path,
            FetchedAt = Time(row, "fetched_at") ?? default,
        }, Text(row, "export_path"));
    }

    private static Capture? Capture(JsonElement row)
    {
        var url = Text(row, "capture_url");
        var fetched = Time(row, "capture_fetched_at");
        if (url is null && fetched is null) return null;
        return new Capture
        {
            Url = url ?? "",
            FetchedAt = fetched ?? default,
            Status = (int)(Number(row, "capture_status") ?? 0),
            PayloadSha256 = Text(row, "capture_payload_sha256"),
            WarcFile = Text(row, "capture_warc_file"),
            WarcOffset = Number(row, "capture_warc_offset"),
            WarcRecordId = Text(row, "capture_warc_record_id"),
        };
    }

    private static IReadOnlyList<MediaRef> MediaItems(JsonElement array)
    {
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0) return [];
        var items = new List<MediaRef>(array.GetArrayLength());
        foreach (var m in array.EnumerateArray())
        {
            if (m.ValueKind != JsonValueKind.Object) continue;
            items.Add(new MediaRef
            {
                Kind = Text(m, "kind") ?? "",
                Url = Text(m, "url"),
                Sha256 = Text(m, "sha256"),
                Mime = Text(m, "mime"),
                Width = (int?)Number(m, "width"),
                Height = (int?)Number(m, "height"),
                DurationSeconds = m.TryGetProperty("duration_seconds", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetDouble() : null,
                Title = Text(m, "title"),
                Description = Text(m, "description"),
            });
        }
        return items;
    }

    /// <summary>Schema version 1: media_kinds, media_urls and media_sha256 in parallel, "" for unknown.</summary>
    private static IReadOnlyList<MediaRef> ParallelMedia(JsonElement row)
    {
        var kinds = List(row, "media_kinds");
        if (kinds.Count == 0) return [];
        var urls = List(row, "media_urls");
        var hashes = List(row, "media_sha256");
        return kinds.Select((kind, i) => new MediaRef
        {
            Kind = kind,
            Url = i < urls.Count && urls[i].Length > 0 ? urls[i] : null,
            Sha256 = i < hashes.Count && hashes[i].Length > 0 ? hashes[i] : null,
        }).ToList();
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    private static DateTime? Time(JsonElement e, string name)
    {
        var text = Text(e, name);
        if (text is null) return null;
        return DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t : null;
    }

    private static IReadOnlyList<string> List(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Array || v.GetArrayLength() == 0) return [];
        var list = new List<string>(v.GetArrayLength());
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String) list.Add(item.GetString()!);
        }
        return list;
    }

    private static IReadOnlyDictionary<string, string> Map(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Object) return new Dictionary<string, string>();
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in v.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.String) map[p.Name] = p.Value.GetString()!;
        }
        return map;
    }
}
