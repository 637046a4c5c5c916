using Archiver.Platforms;

namespace Archiver.Import;

/// <summary>
/// Chooses the platform parser for a captured response: by URL first (t.me, a Mastodon API path on a
/// known host, ...); for mirrors and replicas on other hosts, by the unmistakable shape of the body.
/// </summary>
public sealed class CaptureRouter(PlatformRegistry platforms)
{
    public IPlatform? Route(Uri url, string? contentType, ReadOnlySpan<byte> body)
    {
        if (platforms.ForUrl(url) is { } byUrl) return byUrl;
        // Bytes, not a decoded string: 64 KiB of text would be a large-object allocation per record.
        var head = body[..Math.Min(body.Length, 64 * 1024)];
        if (head.IndexOf("tgme_widget_message"u8) >= 0 || head.IndexOf("tme_no_messages_found"u8) >= 0)
            return platforms.Find("telegram");
        if (url.AbsolutePath.StartsWith("/api/v1/", StringComparison.Ordinal) && contentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
            return platforms.Find("mastodon");
        return null;
    }
}
