using System.Buffers.Binary;
using System.Text;
using Archiver.Model;

namespace Archiver.Storage;

/// <summary>
/// Decodes a post document's BSON bytes (as <see cref="BsonMapping"/> and the writer lay them out) straight
/// into a <see cref="StoredPost"/>, without LiteDB's BsonDocument: LiteDB's own deserializer costs ~10 µs
/// per post, which alone would cap an export below its target. Field names are the on-disk format; the
/// tests compare this reader with <see cref="ArchiveStore.ScanPosts"/> field by field so the two cannot drift.
/// </summary>
internal static class PostBsonReader
{
    private const byte Double = 0x01, String = 0x02, Document = 0x03, Array = 0x04, Boolean = 0x08,
        DateTimeType = 0x09, Null = 0x0A, Int32 = 0x10, Int64 = 0x12;

    public static PostHeader ReadHeader(ReadOnlySpan<byte> bson)
    {
        string key = "", platform = "";
        string? channel = null;
        DateTime? createdAt = null;
        DateTime firstSeen = default;
        var pos = 4;
        while (Next(bson, ref pos, out var type, out var name, out var value))
        {
            if (name.SequenceEqual("_id"u8)) key = Str(type, value) ?? "";
            else if (name.SequenceEqual("platform"u8)) platform = Str(type, value) ?? "";
            else if (name.SequenceEqual("channel"u8)) channel = Str(type, value);
            else if (name.SequenceEqual("createdAt"u8)) createdAt = Date(type, value);
            else if (name.SequenceEqual("fs"u8)) firstSeen = Date(type, value) ?? default;
        }
        return new PostHeader(key, platform, channel, createdAt, firstSeen);
    }

    public static StoredPost Read(ReadOnlySpan<byte> bson, StringPool? pool = null)
    {
        string platform = "", host = "", nid = "", kind = PostKinds.Post, text = "", hash = "";
        string? url = null, channel = null, authorId = null, authorHandle = null, authorName = null, html = null,
            lang = null, langSrc = null, replyTo = null, fwdFrom = null, fwdUrl = null, delReason = null;
        DateTime? createdAt = null, editedAt = null, deletedAt = null;
        DateTime firstSeen = default, versionSeen = default;
        long? views = null, likes = null, shares = null, replies = null;
        int? delStatus = null;
        int version = 1;
        long sequence = 0;
        IReadOnlyList<string> tags = [], mentions = [], links = [];
        IReadOnlyList<MediaRef> media = [];
        IReadOnlyDictionary<string, string> extra = Post.EmptyExtra;
        Capture? capture = null;
        var pos = 4;
        while (Next(bson, ref pos, out var type, out var name, out var value))
        {
            switch (name.Length)
            {
                case 2:
                    if (name.SequenceEqual("fs"u8)) firstSeen = Date(type, value) ?? default;
                    else if (name.SequenceEqual("vs"u8)) versionSeen = Date(type, value) ?? default;
                    break;
                case 3:
                    if (name.SequenceEqual("nid"u8)) nid = Str(type, value) ?? "";
                    else if (name.SequenceEqual("url"u8)) url = Str(type, value);
                    else if (name.SequenceEqual("ver"u8)) version = (int)(Long(type, value) ?? 1);
                    else if (name.SequenceEqual("seq"u8)) sequence = Long(type, value) ?? 0;
                    else if (name.SequenceEqual("cap"u8) && type == Document) capture = ReadCapture(value);
                    else if (name.SequenceEqual("del"u8)) deletedAt = Date(type, value);
                    break;
                default:
                    if (name.SequenceEqual("platform"u8)) platform = Pooled(pool, type, value) ?? "";
                    else if (name.SequenceEqual("host"u8)) host = Pooled(pool, type, value) ?? "";
                    else if (name.SequenceEqual("channel"u8)) channel = Pooled(pool, type, value);
                    else if (name.SequenceEqual("authorId"u8)) authorId = Pooled(pool, type, value);
                    else if (name.SequenceEqual("authorHandle"u8)) authorHandle = Pooled(pool, type, value);
                    else if (name.SequenceEqual("authorName"u8)) authorName = Pooled(pool, type, value);
                    else if (name.SequenceEqual("createdAt"u8)) createdAt = Date(type, value);
                    else if (name.SequenceEqual("editedAt"u8)) editedAt = Date(type, value);
                    else if (name.SequenceEqual("kind"u8)) kind = Pooled(pool, type, value) ?? PostKinds.Post;
                    else if (name.SequenceEqual("text"u8)) text = Str(type, value) ?? "";
                    else if (name.SequenceEqual("html"u8)) html = Str(type, value);
                    else if (name.SequenceEqual("lang"u8)) lang = Pooled(pool, type, value);
                    else if (name.SequenceEqual("langSrc"u8)) langSrc = Pooled(pool, type, value);
                    else if (name.SequenceEqual("replyTo"u8)) replyTo = Str(type, value);
                    else if (name.SequenceEqual("fwdFrom"u8)) fwdFrom = Pooled(pool, type, value);
                    else if (name.SequenceEqual("fwdUrl"u8)) fwdUrl = Str(type, value);
                    else if (name.SequenceEqual("tags"u8)) tags = StrList(type, value, pool);
                    else if (name.SequenceEqual("mentions"u8)) mentions = StrList(type, value, pool);
                    else if (name.SequenceEqual("links"u8)) links = StrList(type, value);
                    else if (name.SequenceEqual("media"u8) && type == Array) media = ReadMedia(value);
                    else if (name.SequenceEqual("views"u8)) views = Long(type, value);
                    else if (name.SequenceEqual("likes"u8)) likes = Long(type, value);
                    else if (name.SequenceEqual("shares"u8)) shares = Long(type, value);
                    else if (name.SequenceEqual("replies"u8)) replies = Long(type, value);
                    else if (name.SequenceEqual("extra"u8) && type == Array) extra = ReadExtra(value);
                    else if (name.SequenceEqual("hash"u8)) hash = Str(type, value) ?? "";
                    else if (name.SequenceEqual("delStatus"u8)) delStatus = (int?)Long(type, value);
                    else if (name.SequenceEqual("delReason"u8)) delReason = Str(type, value);
                    break;
            }
        }
        var post = new Post
        {
            Platform = platform,
            Host = host,
            NativeId = nid,
            Url = url,
            Channel = channel,
            AuthorId = authorId,
            AuthorHandle = authorHandle,
            AuthorName = authorName,
            CreatedAt = createdAt,
            EditedAt = editedAt,
            Kind = kind,
            Text = text,
            Html = html,
            Language = lang,
            LanguageSource = langSrc,
            ReplyTo = replyTo,
            ForwardedFrom = fwdFrom,
            ForwardedUrl = fwdUrl,
            Hashtags = tags,
            Mentions = mentions,
            Links = links,
            Media = media,
            Views = views,
            Likes = likes,
            Shares = shares,
            Replies = replies,
            Extra = extra,
        };
        return new StoredPost
        {
            Post = post,
            ContentHash = hash,
            Version = version,
            FirstSeen = firstSeen,
            VersionSeen = versionSeen,
            DeletedAt = deletedAt,
            DeletedStatus = delStatus,
            DeletedReason = delReason,
            Capture = capture,
            Sequence = sequence,
        };
    }

    private static Capture ReadCapture(ReadOnlySpan<byte> bson)
    {
        string url = "";
        string? sha = null, warc = null, recordId = null;
        DateTime fetchedAt = default;
        int status = 0;
        long? offset = null;
        var pos = 4;
        while (Next(bson, ref pos, out var type, out var name, out var value))
        {
            if (name.SequenceEqual("url"u8)) url = Str(type, value) ?? "";
            else if (name.SequenceEqual("fetchedAt"u8)) fetchedAt = Date(type, value) ?? default;
            else if (name.SequenceEqual("status"u8)) status = (int)(Long(type, value) ?? 0);
            else if (name.SequenceEqual("sha256"u8)) sha = Str(type, value);
            else if (name.SequenceEqual("warc"u8)) warc = Str(type, value);
            else if (name.SequenceEqual("offset"u8)) offset = Long(type, value);
            else if (name.SequenceEqual("recordId"u8)) recordId = Str(type, value);
        }
        return new Capture { Url = url, FetchedAt = fetchedAt, Status = status, PayloadSha256 = sha, WarcFile = warc, WarcOffset = offset, WarcRecordId = recordId };
    }

    private static List<MediaRef> ReadMedia(ReadOnlySpan<byte> array)
    {
        var result = new List<MediaRef>();
        var pos = 4;
        while (Next(array, ref pos, out var type, out _, out var value))
        {
            if (type != Document) continue;
            string kind = "file";
            string? url = null, sha = null, mime = null, title = null, description = null;
            int? width = null, height = null;
            double? duration = null;
            var inner = 4;
            while (Next(value, ref inner, out var t, out var name, out var v))
            {
                if (name.SequenceEqual("kind"u8)) kind = Str(t, v) ?? "file";
                else if (name.SequenceEqual("url"u8)) url = Str(t, v);
                else if (name.SequenceEqual("sha256"u8)) sha = Str(t, v);
                else if (name.SequenceEqual("mime"u8)) mime = Str(t, v);
                else if (name.SequenceEqual("width"u8)) width = (int?)Long(t, v);
                else if (name.SequenceEqual("height"u8)) height = (int?)Long(t, v);
                else if (name.SequenceEqual("duration"u8)) duration = t == Double ? BinaryPrimitives.ReadDoubleLittleEndian(v) : Long(t, v);
                else if (name.SequenceEqual("title"u8)) title = Str(t, v);
                else if (name.SequenceEqual("description"u8)) description = Str(t, v);
            }
            result.Add(new MediaRef { Kind = kind, Url = url, Sha256 = sha, Mime = mime, Width = width, Height = height, DurationSeconds = duration, Title = title, Description = description });
        }
        return result;
    }

    private static Dictionary<string, string> ReadExtra(ReadOnlySpan<byte> array)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var pos = 4;
        while (Next(array, ref pos, out var type, out _, out var pair))
        {
            if (type != Array) continue;
            var inner = 4;
            if (!Next(pair, ref inner, out var kt, out _, out var k) || !Next(pair, ref inner, out var vt, out _, out var v)) continue;
            if (Str(kt, k) is { } key && Str(vt, v) is { } val) result[key] = val;
        }
        return result;
    }

    private static IReadOnlyList<string> StrList(byte type, ReadOnlySpan<byte> array, StringPool? pool = null)
    {
        if (type != Array) return [];
        var result = new List<string>(4);
        var pos = 4;
        while (Next(array, ref pos, out var t, out _, out var v))
        {
            if (Pooled(pool, t, v) is { } s) result.Add(s);
        }
        return result;
    }

    /// <summary>Reads the element at <paramref name="pos"/>: its type, name and value bytes; false at the end.</summary>
    private static bool Next(ReadOnlySpan<byte> doc, ref int pos, out byte type, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        value = default;
        name = default;
        type = pos < doc.Length ? doc[pos] : (byte)0;
        if (type == 0) return false;
        pos++;
        var end = doc[pos..].IndexOf((byte)0);
        if (end < 0) throw Malformed();
        name = doc.Slice(pos, end);
        pos += end + 1;
        var length = type switch
        {
            Double or DateTimeType or Int64 => 8,
            Int32 => 4,
            Boolean => 1,
            Null or 0xFF or 0x7F => 0,
            String => 4 + BinaryPrimitives.ReadInt32LittleEndian(doc[pos..]),
            Document or Array => BinaryPrimitives.ReadInt32LittleEndian(doc[pos..]),
            0x05 => 5 + BinaryPrimitives.ReadInt32LittleEndian(doc[pos..]),
            0x07 => 12,
            0x13 => 16,
            _ => throw Malformed(),
        };
        if (length < 0 || pos + length > doc.Length) throw Malformed();
        value = doc.Slice(pos, length);
        pos += length;
        return true;
    }

    private static string? Str(byte type, ReadOnlySpan<byte> value) =>
        type == String ? Encoding.UTF8.GetString(value[4..^1]) : null;

    private static string? Pooled(StringPool? pool, byte type, ReadOnlySpan<byte> value) =>
        type != String ? null : pool is null ? Encoding.UTF8.GetString(value[4..^1]) : pool.Get(value[4..^1]);

    private static long? Long(byte type, ReadOnlySpan<byte> value) => type switch
    {
        Int32 => BinaryPrimitives.ReadInt32LittleEndian(value),
        Int64 => BinaryPrimitives.ReadInt64LittleEndian(value),
        Double => (long)BinaryPrimitives.ReadDoubleLittleEndian(value),
        _ => null,
    };

    private static DateTime? Date(byte type, ReadOnlySpan<byte> value)
    {
        if (type != DateTimeType) return null;
        var ms = BinaryPrimitives.ReadInt64LittleEndian(value);
        // LiteDB stores DateTime.MinValue/MaxValue as the extreme millisecond values; clamp like it does.
        if (ms <= -62135596800000) return DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc);
        if (ms >= 253402300800000) return DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc);
        return DateTime.UnixEpoch.AddMilliseconds(ms);
    }

    private static ArchiverException Malformed() =>
        new("A post document in the archive is malformed (invalid BSON); run 'archiver verify' on the archive.");
}
