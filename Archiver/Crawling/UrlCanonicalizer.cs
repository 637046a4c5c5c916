using System.Text;

namespace Archiver.Crawling;

/// <summary>
/// The frontier's identity for a URL: scheme and host lower-case, default port and fragment dropped, an empty
/// query dropped, query parameters sorted (stable, so repeated keys keep their order). Two URLs that a server
/// must answer alike get the same string.
/// </summary>
public static class UrlCanonicalizer
{
    public static string Canonicalize(Uri url)
    {
        if (!url.IsAbsoluteUri) throw new ArgumentException($"Not an absolute URL: {url}", nameof(url));
        var text = new StringBuilder(url.OriginalString.Length);
        text.Append(url.Scheme.ToLowerInvariant()).Append("://");
        if (!string.IsNullOrEmpty(url.UserInfo)) text.Append(url.UserInfo).Append('@');
        text.Append(url.IdnHost.ToLowerInvariant());
        if (!url.IsDefaultPort) text.Append(':').Append(url.Port);
        var path = url.AbsolutePath;
        text.Append(path.Length == 0 ? "/" : path);
        var query = url.Query.TrimStart('?');
        if (query.Length > 0)
        {
            var parts = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select((p, i) => (Key: p.Split('=', 2)[0], Part: p, Index: i))
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .ThenBy(p => p.Index)
                .Select(p => p.Part)
                .ToList();
            if (parts.Count > 0) text.Append('?').Append(string.Join('&', parts));
        }
        return text.ToString();
    }

    public static string Canonicalize(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? Canonicalize(uri) : throw new ArgumentException($"Not an absolute URL: {url}", nameof(url));

    /// <summary>The host key used for politeness: host plus port when not the default.</summary>
    public static string HostKey(Uri url) => Platforms.Common.UrlTools.HostKey(url);
}
