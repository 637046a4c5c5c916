using System.Text.RegularExpressions;
using Archiver.Model;
using Archiver.Platforms.Common;

namespace Archiver.Platforms.Telegram;

/// <summary>
/// The seeds Telegram understands: <c>telegram:chan</c>, <c>@chan</c>, t.me / telegram.me URLs
/// (<c>t.me/chan</c>, <c>t.me/s/chan</c>, <c>t.me/chan/123</c>, <c>t.me/s/chan/123</c>) and
/// <c>telegram:ABSOLUTE-URL</c> for another origin serving the same pages (the replica, a mirror).
/// </summary>
public static partial class TelegramSeeds
{
    public const string DefaultBase = "https://t.me";

    [GeneratedRegex("^[A-Za-z0-9_]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ChannelPattern();

    // Paths of t.me that are not channels: invites, sticker sets, share links, private-channel links.
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "s", "c", "joinchat", "addstickers", "addemoji", "addtheme", "share", "proxy", "socks", "iv", "login",
        "setlanguage", "bg", "invoice", "contact", "boost", "embed", "i",
    };

    public static bool IsChannelName(string value) => ChannelPattern().IsMatch(value) && !Reserved.Contains(value);

    public static bool TryParse(string? text, out Seed seed)
    {
        seed = null!;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var original = text;
        text = text.Trim();
        if (text.StartsWith("telegram:", StringComparison.OrdinalIgnoreCase))
        {
            var rest = text["telegram:".Length..].Trim();
            if (rest.StartsWith("//", StringComparison.Ordinal)) return false;
            if (rest.Contains("://", StringComparison.Ordinal))
                return TryFromUrl(rest, original, anyOrigin: true, out seed);
            if (rest.StartsWith('@')) rest = rest[1..];
            return TryChannel(rest, null, DefaultBase, original, out seed);
        }
        if (text.StartsWith('@')) return TryChannel(text[1..], null, DefaultBase, original, out seed);
        if (!text.Contains("://", StringComparison.Ordinal)) text = "https://" + text;
        return TryFromUrl(text, original, anyOrigin: false, out seed);
    }

    private static bool TryFromUrl(string text, string original, bool anyOrigin, out Seed seed)
    {
        seed = null!;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")) return false;
        var host = url.Host.ToLowerInvariant();
        var isTelegramHost = host is "t.me" or "telegram.me" or "www.t.me" or "www.telegram.me";
        if (!anyOrigin && !isTelegramHost) return false;
        var baseUrl = isTelegramHost ? DefaultBase : UrlTools.Origin(url);
        var segments = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length > 0 && segments[0] == "s") segments = segments[1..];
        return segments.Length switch
        {
            1 => TryChannel(segments[0], null, baseUrl, original, out seed),
            2 when long.TryParse(segments[1], out var id) && id > 0 => TryChannel(segments[0], id, baseUrl, original, out seed),
            _ => false,
        };
    }

    private static bool TryChannel(string channel, long? postId, string baseUrl, string original, out Seed seed)
    {
        seed = null!;
        if (!IsChannelName(channel)) return false;
        var host = UrlTools.HostKey(new Uri(baseUrl));
        seed = new Seed
        {
            Platform = TelegramPlatform.PlatformName,
            Host = host,
            Kind = postId is null ? "channel" : "post",
            Value = postId is null ? channel : $"{channel}/{postId}",
            Original = original,
            BaseUrl = baseUrl,
        };
        return true;
    }
}
