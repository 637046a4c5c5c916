using Archiver.Model;
using Archiver.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Archiver.Serve;

/// <summary>What the app serves a stored media file as: its content type, and whether a browser may show it inline.</summary>
internal sealed record ServedMedia(Media Media, string FullPath, string ContentType, bool Inline)
{
    public bool IsImage => Inline && ContentType.StartsWith("image/", StringComparison.Ordinal);
    public bool IsVideo => Inline && ContentType.StartsWith("video/", StringComparison.Ordinal);
    public bool IsAudio => Inline && ContentType.StartsWith("audio/", StringComparison.Ordinal);
}

/// <summary>
/// <c>/media/{sha256}</c>: the archive's media files, served to the post page. Archived bytes are hostile: the
/// type comes from the file's first bytes (the sniffed image, video or audio formats below), or from the stored
/// type when it is one of those formats and the bytes are of a format not sniffed here; anything else (HTML,
/// SVG with its scripts, PDF, unknown) is an <c>application/octet-stream</c> attachment, never rendered by
/// the browser. <c>nosniff</c> (set for every response) stops the browser second-guessing the type; a
/// sandbox CSP keeps even a media document opened on its own from running anything. Range requests let a
/// video seek; the ETag is the content hash, which never changes for the same URL.
/// </summary>
internal static class MediaEndpoints
{
    /// <summary>Types shown inline: raster images, video and audio the browser decodes itself (no SVG: it is a document that can hold script).</summary>
    private static readonly HashSet<string> InlineTypes = new(StringComparer.Ordinal)
    {
        "image/jpeg", "image/png", "image/gif", "image/webp", "image/avif", "image/bmp",
        "video/mp4", "video/webm", "video/ogg", "video/quicktime",
        "audio/mpeg", "audio/ogg", "audio/mp4", "audio/aac", "audio/wav", "audio/webm", "audio/flac", "audio/opus",
    };

    private const string MediaPolicy = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox";

    public static void Map(WebApplication app, ServeViews views)
    {
        app.MapGet("/media/{sha256}", (HttpContext context, string sha256) =>
        {
            if (Find(views.For(context).Store, sha256) is not { } served)
                return Results.Text("This media file is not archived.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
            context.Response.Headers.ContentSecurityPolicy = MediaPolicy;
            context.Response.Headers.CacheControl = "private, max-age=31536000, immutable";
            var etag = new EntityTagHeaderValue("\"" + served.Media.Sha256.ToLowerInvariant() + "\"");
            return Results.File(served.FullPath, served.ContentType,
                fileDownloadName: served.Inline ? null : served.Media.Sha256.ToLowerInvariant() + ".bin",
                entityTag: etag, enableRangeProcessing: true);
        }).ExcludeFromDescription();
    }

    /// <summary>The stored file of <paramref name="sha256"/> and how to serve it; null when not archived (no record, or no file).</summary>
    public static ServedMedia? Find(ArchiveStore store, string? sha256)
    {
        if (sha256 is not { Length: 64 } || !sha256.All(char.IsAsciiHexDigit)) return null;
        var media = store.GetMedia(sha256.ToLowerInvariant()) ?? store.GetMedia(sha256.ToUpperInvariant());
        if (media is null) return null;
        // The path comes from the database: it must stay inside the archive's media folder.
        var root = Path.GetFullPath(store.Paths.Media) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(store.Paths.Root, media.LocalPath));
        if (!full.StartsWith(root, StringComparison.Ordinal) || !File.Exists(full)) return null;
        var type = TypeOf(full, media.Mime);
        return new ServedMedia(media, full, type ?? "application/octet-stream", type is not null);
    }

    /// <summary>The inline type of the file, or null (served as an attachment).</summary>
    internal static string? TypeOf(string path, string? storedMime)
    {
        var head = new byte[32];
        int n;
        using (var file = File.OpenRead(path)) n = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var sniffed = Sniff(head.AsSpan(0, n));
        if (sniffed is not null) return sniffed;
        var stored = storedMime?.Split(';')[0].Trim().ToLowerInvariant();
        // Formats not sniffed here (AAC, FLAC in MP4, ...) keep their stored type, but never bytes that look like markup.
        return stored is not null && InlineTypes.Contains(stored) && !LooksLikeMarkup(head.AsSpan(0, n)) ? stored : null;
    }

    /// <summary>Image, video and audio formats recognised by their signatures.</summary>
    internal static string? Sniff(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return "image/jpeg";
        if (b.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return "image/png";
        if (b.StartsWith("GIF87a"u8) || b.StartsWith("GIF89a"u8)) return "image/gif";
        if (b.Length >= 12 && b.StartsWith("RIFF"u8))
        {
            if (b[8..12].SequenceEqual("WEBP"u8)) return "image/webp";
            if (b[8..12].SequenceEqual("WAVE"u8)) return "audio/wav";
        }
        if (b.StartsWith("BM"u8) && b.Length >= 14) return "image/bmp";
        if (b.Length >= 12 && b[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = b[8..12];
            if (brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8)) return "image/avif";
            if (brand.SequenceEqual("qt  "u8)) return "video/quicktime";
            if (brand.SequenceEqual("M4A "u8)) return "audio/mp4";
            return "video/mp4";
        }
        if (b.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3])) return "video/webm";
        if (b.StartsWith("OggS"u8)) return "audio/ogg";
        if (b.StartsWith("ID3"u8) || (b.Length >= 2 && b[0] == 0xFF && (b[1] & 0xE0) == 0xE0)) return "audio/mpeg";
        if (b.StartsWith("fLaC"u8)) return "audio/flac";
        return null;
    }

    private static bool LooksLikeMarkup(ReadOnlySpan<byte> head)
    {
        // Leading white space and a UTF-8 byte order mark.
        var trimmed = head.TrimStart((ReadOnlySpan<byte>)[0x20, 0x09, 0x0D, 0x0A, 0xEF, 0xBB, 0xBF]);
        return trimmed.Length > 0 && trimmed[0] == (byte)'<';
    }
}
