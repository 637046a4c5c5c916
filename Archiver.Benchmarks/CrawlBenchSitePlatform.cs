using System.Globalization;
using AngleSharp.Html.Parser;
using Archiver.Model;
using Archiver.Platforms;

namespace Archiver.Benchmarks;

/// <summary>
/// Stand-in parser for the shared crawl benchmark site (../shared/bench/gen_site.py) until the declarative
/// `site` platform with its `bench-site` profile is merged: the same work a profile does (parse the HTML,
/// 11 fields of 20 posts, pager links). Seeds: <c>bench-site:URL</c>. Used only by <c>Archiver.Benchmarks crawl</c>.
/// </summary>
public sealed partial class CrawlBenchSitePlatform(bool linksOnly = false) : IPlatform
{
    private const string Prefix = "bench-site:";

    [System.Text.RegularExpressions.GeneratedRegex("<a class=\"(next|rel)\" href=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex PagerLink();

    public string Name => "bench-site";

    public bool TryParseSeed(string seed, out Seed parsed)
    {
        parsed = null!;
        if (!seed.StartsWith(Prefix, StringComparison.Ordinal) || !Uri.TryCreate(seed[Prefix.Length..], UriKind.Absolute, out var url)) return false;
        parsed = new Seed { Platform = Name, Host = url.Authority, Kind = "site", Value = url.AbsoluteUri, Original = seed, BaseUrl = $"{url.Scheme}://{url.Authority}" };
        return true;
    }

    public IEnumerable<CrawlRequest> Start(Seed seed) => [new CrawlRequest { Url = new Uri(seed.Value), Platform = Name, Purpose = "page", Priority = 10 }];

    public bool CanParse(Uri url) => false;

    public ParseResult Parse(FetchedPage page)
    {
        if (page.Status != 200) return ParseResult.Failure($"HTTP {page.Status}");
        if (linksOnly) return new ParseResult { Next = LinksOnly(page) };
        var parser = new HtmlParser();
        using var document = parser.ParseDocument(new MemoryStream(page.Body.ToArray()));
        var host = page.Url.Authority;
        var posts = new List<Post>(20);
        foreach (var article in document.QuerySelectorAll("article.post"))
        {
            var id = article.GetAttribute("data-id");
            if (id is null) continue;
            var text = article.QuerySelector(".text");
            posts.Add(new Post
            {
                Platform = Name,
                Host = host,
                NativeId = id,
                Url = page.Url.AbsoluteUri + "#" + id,
                Channel = article.QuerySelector(".channel")?.TextContent,
                AuthorHandle = article.QuerySelector(".author")?.TextContent,
                CreatedAt = DateTime.TryParse(article.QuerySelector("time")?.GetAttribute("datetime"), CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var created) ? created : null,
                Text = text?.TextContent.Trim() ?? "",
                Language = text?.GetAttribute("lang"),
                Hashtags = article.QuerySelectorAll(".tags li").Select(li => li.TextContent.TrimStart('#')).ToList(),
                Links = article.QuerySelectorAll(".urls .url").Select(u => u.TextContent).ToList(),
                Likes = Number(article, ".likes"),
                Shares = Number(article, ".shares"),
                Views = Number(article, ".views"),
            });
        }
        var next = document.QuerySelectorAll("nav.pager a[href]")
            .Select(a => new CrawlRequest
            {
                Url = new Uri(page.Url, a.GetAttribute("href")!),
                Platform = Name,
                Purpose = "page",
                Depth = (page.Request?.Depth ?? 0) + 1,
                Priority = a.ClassList.Contains("next") ? 6 : 5,
            })
            .ToList();
        return new ParseResult { Posts = posts, Next = next };
    }

    /// <summary>The engine's own cost: only the pager links, found with a regex, and no posts to store.</summary>
    private List<CrawlRequest> LinksOnly(FetchedPage page)
    {
        var html = System.Text.Encoding.UTF8.GetString(page.Body.Span);
        return PagerLink().Matches(html).Select(m => new CrawlRequest
        {
            Url = new Uri(page.Url, m.Groups[2].Value),
            Platform = Name,
            Purpose = "page",
            Depth = (page.Request?.Depth ?? 0) + 1,
            Priority = m.Groups[1].Value == "next" ? 6 : 5,
        }).ToList();
    }

    private static long? Number(AngleSharp.Dom.IElement article, string selector) =>
        long.TryParse(article.QuerySelector(selector)?.TextContent, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
