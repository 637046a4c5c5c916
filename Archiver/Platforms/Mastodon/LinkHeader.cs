namespace Archiver.Platforms.Mastodon;

/// <summary>RFC 8288 <c>Link</c> headers as Mastodon pages with them: <c>&lt;url&gt;; rel="next", &lt;url&gt;; rel="prev"</c>.</summary>
public static class LinkHeader
{
    /// <summary>The absolute URL of the link with relation <paramref name="rel"/>, resolved against the page.</summary>
    public static Uri? Find(string? header, string rel, Uri page)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        var i = 0;
        while (i < header.Length)
        {
            var open = header.IndexOf('<', i);
            if (open < 0) return null;
            var close = header.IndexOf('>', open + 1);
            if (close < 0) return null;
            var target = header[(open + 1)..close];
            var next = header.IndexOf('<', close + 1);
            var parameters = next < 0 ? header[(close + 1)..] : header[(close + 1)..next];
            if (HasRel(parameters, rel) && Uri.TryCreate(page, target.Trim(), out var url) && url.Scheme is "http" or "https") return url;
            i = next < 0 ? header.Length : next;
        }
        return null;
    }

    private static bool HasRel(string parameters, string rel)
    {
        foreach (var part in parameters.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq < 0 || !part[..eq].Trim().Equals("rel", StringComparison.OrdinalIgnoreCase)) continue;
            var values = part[(eq + 1)..].Trim().TrimEnd(',').Trim().Trim('"').Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (values.Contains(rel, StringComparer.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
