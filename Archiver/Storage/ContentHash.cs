using System.Buffers;
using System.IO.Hashing;
using System.Text;
using Archiver.Model;

namespace Archiver.Storage;

/// <summary>
/// The hash of what a post says (not when or where it was seen): text, markup, times, references,
/// media and extra fields. Counts (views, likes, ...) are excluded on purpose: they change on every visit
/// and would make every re-crawl look like an edit; the latest counts are still stored.
/// The language and its source are hashed, but a difference in them alone is not an edit: the store
/// relabels the post in place (see <c>PostSegment.StorePost</c>), since a label that Archiver derives
/// (declared or detected) may be filled in or improved later without the post having changed.
/// </summary>
public static class ContentHash
{
    public static ulong Of(Post post)
    {
        var hash = new XxHash64();
        Add(hash, post.Kind);
        Add(hash, post.Text);
        Add(hash, post.Html);
        Add(hash, post.Url);
        Add(hash, post.Channel);
        Add(hash, post.AuthorId);
        Add(hash, post.AuthorHandle);
        Add(hash, post.AuthorName);
        Add(hash, post.CreatedAt?.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(hash, post.EditedAt?.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(hash, post.Language);
        Add(hash, post.ReplyTo);
        Add(hash, post.ForwardedFrom);
        Add(hash, post.ForwardedUrl);
        foreach (var tag in post.Hashtags) Add(hash, tag);
        Add(hash, "\u0001");
        foreach (var mention in post.Mentions) Add(hash, mention);
        Add(hash, "\u0001");
        foreach (var link in post.Links) Add(hash, link);
        Add(hash, "\u0001");
        foreach (var media in post.Media)
        {
            Add(hash, media.Kind);
            Add(hash, media.Url);
            Add(hash, media.Sha256);
        }
        Add(hash, "\u0001");
        foreach (var (key, value) in post.Extra.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Add(hash, key);
            Add(hash, value);
        }
        // Appended only when set, so posts stored before languages had a source keep their hash.
        if (post.LanguageSource is not null)
        {
            Add(hash, "\u0002");
            Add(hash, post.LanguageSource);
        }
        return hash.GetCurrentHashAsUInt64();
    }

    /// <summary>Hash of the counts (views, likes, shares, replies); never 0, which marks "unknown".</summary>
    public static uint OfCounts(Post post)
    {
        Span<long> counts = [post.Views ?? -1, post.Likes ?? -1, post.Shares ?? -1, post.Replies ?? -1];
        var hash = (uint)XxHash64.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes(counts));
        return hash == 0 ? 1u : hash;
    }

    /// <summary>A 64-bit hash of a record key, for the in-memory "already stored, unchanged?" map.</summary>
    public static ulong OfKey(string key)
    {
        Span<byte> buffer = stackalloc byte[512];
        var max = Encoding.UTF8.GetMaxByteCount(key.Length);
        if (max <= buffer.Length)
        {
            var n = Encoding.UTF8.GetBytes(key, buffer);
            return XxHash64.HashToUInt64(buffer[..n]);
        }
        return XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(key));
    }

    public static string ToHex(ulong hash) => hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    private static void Add(XxHash64 hash, string? value)
    {
        // Length-prefixed so ("ab","c") and ("a","bc") differ; null differs from "".
        Span<byte> prefix = stackalloc byte[4];
        var length = value is null ? -1 : value.Length;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(prefix, length);
        hash.Append(prefix);
        if (string.IsNullOrEmpty(value)) return;
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        var rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var n = Encoding.UTF8.GetBytes(value, rented);
            hash.Append(rented.AsSpan(0, n));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
