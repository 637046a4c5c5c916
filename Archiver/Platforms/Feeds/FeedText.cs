using AngleSharp.Html.Parser;
using Archiver.Platforms.Common;
using Archiver.Platforms.Sites;

namespace Archiver.Platforms.Feeds;

/// <summary>HTML from a feed (escaped or CDATA) as reader text and as links, parsed by the standard HTML parser.</summary>
public static class FeedText
{
    private static readonly HtmlParser Parser = new(new HtmlParserOptions { IsScripting = false });

    public static string FromHtml(string? html)
    {
        if (string.IsNullOrEmpty(html)) return "";
        if (!html.Contains('<') && !html.Contains('&')) return string.Join(' ', html.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        using var document = Parser.ParseDocument(html);
        return HtmlText.Rendered(document.Body);
    }

    public static IReadOnlyList<string> Links(string? html, string? baseUrl)
    {
        if (string.IsNullOrEmpty(html) || !html.Contains("href", StringComparison.OrdinalIgnoreCase)) return [];
        using var document = Parser.ParseDocument(html);
        Uri.TryCreate(baseUrl, UriKind.Absolute, out var baseUri);
        var links = new List<string>();
        foreach (var a in document.QuerySelectorAll("a[href]"))
        {
            var href = a.GetAttribute("href")!.Trim();
            if (href.Length == 0 || href.StartsWith('#')) continue;
            if (baseUri is not null ? Uri.TryCreate(baseUri, href, out var abs) : Uri.TryCreate(href, UriKind.Absolute, out abs))
                if (abs.Scheme is "http" or "https" && !links.Contains(abs.AbsoluteUri)) links.Add(abs.AbsoluteUri);
        }
        return links;
    }
}
