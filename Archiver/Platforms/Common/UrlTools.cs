using System.Globalization;
using System.Text.RegularExpressions;

namespace Archiver.Platforms.Common;

/// <summary>Small URL helpers shared by the adapters: host keys, resolving, CSS background images.</summary>
public static partial class UrlTools
{
    [GeneratedRegex(@"url\(\s*(?:'([^']*)'|""([^""]*)""|&quot;(.*?)&quot;|([^)'""\s]+))\s*\)", RegexOptions.CultureInvariant)]
    private static partial Regex CssUrlPattern();

    /// <summary>The host key of records.md: lower-case authority, the port only when not the scheme's default.</summary>
    public static string HostKey(Uri url) =>
        url.IsDefaultPort ? url.Host.ToLowerInvariant() : string.Create(CultureInfo.InvariantCulture, $"{url.Host.ToLowerInvariant()}:{url.Port}");

    /// <summary><c>scheme://authority</c> of a URL, without a trailing slash.</summary>
    public static string Origin(Uri url) => url.GetLeftPart(UriPartial.Authority);

    /// <summary>Resolves a link against the page it was found on; null for empty, javascript: or data: links.</summary>
    public static string? Resolve(Uri page, string? href)
    {
        if (string.IsNullOrWhiteSpace(href)) return null;
        href = href.Trim();
        // Most links on a page are already absolute and plain ASCII: building a Uri for each (media URLs with long
        // tokens) would cost more than the rest of the message.
        if (IsPlainAbsolute(href)) return href;
        if (href.StartsWith("//", StringComparison.Ordinal)) href = page.Scheme + ":" + href;
        if (!Uri.TryCreate(page, href, out var absolute)) return null;
        return absolute.Scheme is "http" or "https" ? absolute.AbsoluteUri : null;
    }

    private static bool IsPlainAbsolute(string href)
    {
        var rest = href.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? 8
            : href.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? 7 : -1;
        if (rest < 0 || rest == href.Length) return false;
        var hostEnd = href.IndexOfAny(['/', '?', '#'], rest);
        if (hostEnd < 0) return false; // "https://host" alone: let Uri add the root path
        for (var i = 0; i < href.Length; i++)
        {
            var c = href[i];
            if (c <= ' ' || c >= 0x7F || c is '"' or '<' or '>' or '\\' or '^' or '`' or '{' or '|' or '}') return false;
            if (i < hostEnd && char.IsAsciiLetterUpper(c)) return false;
        }
        return true;
    }

    /// <summary>The first <c>url(...)</c> of an inline style, resolved against the page.</summary>
    public static string? CssBackground(Uri page, string? style)
    {
        if (string.IsNullOrEmpty(style)) return null;
        var match = CssUrlPattern().Match(style);
        if (!match.Success) return null;
        for (var i = 1; i <= 4; i++)
        {
            if (match.Groups[i].Success) return Resolve(page, match.Groups[i].Value);
        }
        return null;
    }

    /// <summary>"1:09", "27:40", "1:02:03" as seconds.</summary>
    public static double? Duration(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        double total = 0;
        foreach (var part in text.Trim().Split(':'))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return null;
            total = total * 60 + n;
        }
        return total;
    }
}
