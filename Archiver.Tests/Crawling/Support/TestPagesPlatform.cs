using System.Text;
using System.Text.RegularExpressions;
using Archiver.Model;
using Archiver.Platforms;

namespace Archiver.Tests.Crawling.Support;

/// <summary>
/// Test double of a platform: seeds <c>testsite:URL</c>; parses the <see cref="TestSite"/> pages
/// (<c>&lt;article data-id&gt;</c> posts, one image each, <c>&lt;a href&gt;</c> links). Public with a
/// parameterless constructor so a crawler child process can load it with --platform-plugin.
/// </summary>
public sealed partial class TestPagesPlatform : IPlatform
{
    public string Name => "testsite";

    public bool TryParseSeed(string seed, out Seed parsed)
    {
        parsed = null!;
        if (!seed.StartsWith("testsite:", StringComparison.Ordinal) || !Uri.TryCreate(seed["testsite:".Length..], UriKind.Absolute, out var url)) return false;
        parsed = new Seed { Platform = Name, Host = url.Authority, Kind = "site", Value = url.AbsoluteUri, Original = seed, BaseUrl = $"{url.Scheme}://{url.Authority}" };
        return true;
    }

    public IEnumerable<CrawlRequest> Start(Seed seed) =>
        [new CrawlRequest { Url = new Uri(seed.Value), Platform = Name, Purpose = "page", Priority = 10, NeedsBrowser = new Uri(seed.Value).AbsolutePath.StartsWith("/js", StringComparison.Ordinal) }];

    public bool CanParse(Uri url) => false;

    public ParseResult Parse(FetchedPage page)
    {
        if (page.Status is 404 or 410) return new ParseResult { Gone = [new GoneEntity(PostKey.Of(Name, page.Url.Authority, page.Url.AbsolutePath), "post", page.Status, "page gone")] };
        if (page.Status != 200) return ParseResult.Failure($"HTTP {page.Status}");
        var html = Encoding.UTF8.GetString(page.Body.Span);
        var depth = page.Request?.Depth ?? 0;
        var image = ImageLink().Match(html) is { Success: true } m ? new Uri(page.Url, m.Groups[1].Value).AbsoluteUri : null;
        var posts = PostLink().Matches(html).Select(match => new Post
        {
            Platform = Name,
            Host = page.Url.Authority,
            NativeId = match.Groups[1].Value,
            Url = page.Url.AbsoluteUri + "#" + match.Groups[1].Value,
            Channel = "pages",
            Text = match.Groups[2].Value,
            Media = image is null ? [] : [new MediaRef { Kind = "photo", Url = image }],
        }).ToList();
        var next = Link().Matches(html).Select(match => new CrawlRequest
        {
            Url = new Uri(page.Url, match.Groups[1].Value),
            Platform = Name,
            Purpose = "page",
            Depth = depth + 1,
            Priority = 5,
        }).ToList();
        // The channel page lists numbered posts: it says which id range it covers, so a re-crawl can tell deletions.
        var numbered = posts.Select(p => long.TryParse(p.NativeId, out var n) ? n : -1).Where(n => n >= 0).ToList();
        var listing = page.Url.AbsolutePath == "/channel.html" && numbered.Count > 0
            ? new ListingWindow("pages", numbered.Min(), numbered.Max(), posts.Select(p => p.NativeId).ToList())
            : null;
        return new ParseResult { Posts = posts, Next = next, Listing = listing };
    }

    [GeneratedRegex("<article data-id=\"([^\"]+)\">([^<]*)</article>")]
    private static partial Regex PostLink();

    [GeneratedRegex("<a href=\"([^\"]+)\">")]
    private static partial Regex Link();

    [GeneratedRegex("<img src=\"([^\"]+)\">")]
    private static partial Regex ImageLink();
}
