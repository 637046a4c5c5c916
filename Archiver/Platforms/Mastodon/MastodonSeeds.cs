using System.Text.RegularExpressions;
using Archiver.Model;
using Archiver.Platforms.Common;

namespace Archiver.Platforms.Mastodon;

/// <summary>
/// Seeds of a Mastodon-API network: <c>NAME:@user@host</c>, <c>NAME:#tag@host</c> (the host may be left out where the
/// network has one home, as truthsocial.com and gab.com), profile and status URLs, and <c>NAME:ABSOLUTE-URL</c>.
/// </summary>
public static partial class MastodonSeeds
{
    [GeneratedRegex(@"^[A-Za-z0-9_.\-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex UserPattern();

    [GeneratedRegex(@"^[\p{L}\p{Mn}\p{Nd}_]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^(?=.{1,253}$)[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*(:[0-9]{1,5})?$", RegexOptions.CultureInvariant)]
    private static partial Regex HostPattern();

    public static bool TryParse(MastodonNetwork network, string? text, out Seed seed)
    {
        seed = null!;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var original = text;
        text = text.Trim();
        var prefix = network.Name + ":";
        if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            var rest = text[prefix.Length..].Trim();
            if (rest.Contains("://", StringComparison.Ordinal)) return TryUrl(network, rest, original, anyOrigin: true, out seed);
            if (rest.StartsWith('@')) return TryHandle(network, rest[1..], original, "account", out seed);
            if (rest.StartsWith('#')) return TryHandle(network, rest[1..], original, "hashtag", out seed);
            return false;
        }
        if (!text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !text.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) return false;
        return TryUrl(network, text, original, anyOrigin: false, out seed);
    }

    /// <summary><c>user@host</c> or <c>tag@host</c>; the host defaults to the network's home.</summary>
    private static bool TryHandle(MastodonNetwork network, string value, string original, string kind, out Seed seed)
    {
        seed = null!;
        var at = value.IndexOf('@');
        var name = at < 0 ? value : value[..at];
        var host = at < 0 ? network.HomeHost : value[(at + 1)..];
        if (host is null || !HostPattern().IsMatch(host)) return false;
        if (kind == "account" ? !UserPattern().IsMatch(name) : !TagPattern().IsMatch(name)) return false;
        return Make(network, new Uri("https://" + host), kind, name, original, out seed);
    }

    private static bool TryUrl(MastodonNetwork network, string text, string original, bool anyOrigin, out Seed seed)
    {
        seed = null!;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")) return false;
        if (!anyOrigin && !network.ClaimsHost(url.Host.ToLowerInvariant())) return false;
        var segments = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        // A plain URL on an unknown host is Mastodon's only in its own /@user shape; other paths need the prefix.
        if (!anyOrigin && network.HomeHost is null && (segments.Length == 0 || !segments[0].StartsWith('@'))) return false;
        var (kind, value) = segments switch
        {
            // Mastodon and Truth Social profiles and statuses: /@user, /@user/123, /@user/posts/123 (Truth Social).
            [var user] when user.StartsWith('@') => ("account", user[1..]),
            [var user, var id] when user.StartsWith('@') && IsId(id) => ("status", id),
            [var user, "posts", var id] when user.StartsWith('@') && IsId(id) => ("status", id),
            // ActivityPub paths: /users/user, /users/user/statuses/123.
            ["users", var user] => ("account", user),
            ["users", _, "statuses", var id] when IsId(id) => ("status", id),
            ["tags", var tag] => ("hashtag", tag),
            // Forks with bare user paths (Gab): /user and /user/posts/123.
            [var user] when network.BareUserPaths => ("account", user),
            [_, "posts", var id] when network.BareUserPaths && IsId(id) => ("status", id),
            _ => ("", ""),
        };
        if (kind.Length == 0) return false;
        if (kind == "account" && (value.Contains('@') ? !UserPattern().IsMatch(value[..value.IndexOf('@')]) : !UserPattern().IsMatch(value))) return false;
        if (kind == "hashtag" && !TagPattern().IsMatch(value)) return false;
        return Make(network, url, kind, value, original, out seed);
    }

    private static bool IsId(string value) => value.Length is > 0 and <= 40 && value.All(char.IsAsciiLetterOrDigit);

    private static bool Make(MastodonNetwork network, Uri origin, string kind, string value, string original, out Seed seed)
    {
        seed = new Seed
        {
            Platform = network.Name,
            Host = UrlTools.HostKey(origin),
            Kind = kind,
            Value = value,
            Original = original,
            BaseUrl = UrlTools.Origin(origin),
        };
        return true;
    }
}
