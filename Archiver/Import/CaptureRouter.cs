using Archiver.Capturing;
using Archiver.Platforms;

namespace Archiver.Import;

/// <summary>
/// Chooses the platform parser for a captured response. The crawler's own note in the record comes first
/// (<see cref="CaptureHints"/>); then the URL (<see cref="IPlatform.CanParse"/>: t.me, a Mastodon API path on a
/// known host, a feed path, a site profile's host); then, for mirrors, replicas and files from other crawlers,
/// each platform in registration order is asked whether the body or content type is unmistakably its own
/// (<see cref="IPlatform.RecognisesCapture"/>). It names no platform itself.
/// </summary>
public sealed class CaptureRouter(PlatformRegistry platforms)
{
    public IPlatform? Route(Uri url, string? contentType, ReadOnlySpan<byte> body, string? platformHint = null)
    {
        if (platformHint is not null && platforms.Find(platformHint) is { } hinted) return hinted;
        if (platforms.ForUrl(url) is { } byUrl) return byUrl;
        // Bytes, not a decoded string: 64 KiB of text would be a large-object allocation per record.
        var head = body[..Math.Min(body.Length, 64 * 1024)];
        foreach (var platform in platforms.All)
        {
            if (platform.RecognisesCapture(url, contentType, head)) return platform;
        }
        return null;
    }
}
