namespace Archiver.Capturing;

/// <summary>
/// Sort-friendly URI Reordering Transform as pywb and WACZ indexes use it:
/// <c>http://www.Example.com:8080/a?b=2&amp;a=1</c> becomes <c>com,example:8080)/a?a=1&amp;b=2</c>.
/// </summary>
public static class Surt
{
    public static string Of(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.HostNameType == UriHostNameType.Unknown && string.IsNullOrEmpty(uri.Host))
            return url.ToLowerInvariant();
        var host = uri.Host.ToLowerInvariant().Trim('.');
        if (host.StartsWith("www.", StringComparison.Ordinal)) host = host[4..];
        var reversed = uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            ? host
            : string.Join(',', host.Split('.').Reverse());
        var port = uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var path = uri.AbsolutePath.ToLowerInvariant();
        var query = uri.Query.TrimStart('?');
        var sorted = query.Length == 0
            ? ""
            : "?" + string.Join('&', query.Split('&').Where(p => p.Length > 0).Order(StringComparer.Ordinal)).ToLowerInvariant();
        return reversed + port + ")" + path + sorted;
    }
}
