using Archiver.Capturing;
using Archiver.Platforms;
using Archiver.Platforms.Feeds;

namespace Archiver.Import;

/// <summary>
/// Chooses the platform parser for a captured response. The crawler's own note in the record comes first
/// (<see cref="CaptureHints"/>); then the URL (t.me, a Mastodon API path on a known host, a feed path, a
/// site profile's host); then, for mirrors, replicas and files from other crawlers, the unmistakable shape
/// of the body or a feed's content type.
/// </summary>
public sealed class CaptureRouter(PlatformRegistry platforms)
{
    public IPlatform? Route(Uri url, string? contentType, ReadOnlySpan<byte> body, string? platformHint = null)
    {
        if (platformHint is not null && platforms.Find(platformHint) is { } hinted) return hinted;
        if (platforms.ForUrl(url) is { } byUrl) return byUrl;
        // Bytes, not a decoded string: 64 KiB of text would be a large-object allocation per record.
        var head = body[..Math.Min(body.Length, 64 * 1024)];
        if (head.IndexOf("tgme_widget_message"u8) >= 0 || head.IndexOf("tme_no_messages_found"u8) >= 0)
            return platforms.Find("telegram");
        if (url.AbsolutePath.StartsWith("/api/v1/", StringComparison.Ordinal) && contentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
            return platforms.Find("mastodon");
        if (LooksLikeFeed(contentType, head)) return platforms.Find(FeedParser.Platform);
        return null;
    }

    /// <summary>Feeds live at any URL (<c>/index.php?format=rss</c>): a feed media type, or an XML body whose root is a feed.</summary>
    private static bool LooksLikeFeed(string? contentType, ReadOnlySpan<byte> head)
    {
        if (contentType is not null)
        {
            if (contentType.Contains("rss+xml", StringComparison.OrdinalIgnoreCase) || contentType.Contains("atom+xml", StringComparison.OrdinalIgnoreCase)
                || contentType.Contains("feed+json", StringComparison.OrdinalIgnoreCase))
                return true;
            if (!contentType.Contains("xml", StringComparison.OrdinalIgnoreCase)) return false;
        }
        var start = head[..Math.Min(head.Length, 2048)];
        return start.IndexOf("<rss"u8) >= 0 || start.IndexOf("<feed"u8) >= 0 || start.IndexOf("<rdf:RDF"u8) >= 0;
    }
}
