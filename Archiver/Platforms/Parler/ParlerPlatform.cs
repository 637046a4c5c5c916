using AngleSharp.Html.Parser;
using Archiver.Model;
using Archiver.Platforms.Charsets;
using Archiver.Platforms.Sites;

namespace Archiver.Platforms.Parler;

/// <summary>
/// Parler as archived after the January 2021 takedown: seeds <c>parler:URL</c> (a parler.com page or a mirror of the
/// dump) or <c>parler:FILE</c> (a page of the dump on disk).
/// </summary>
public sealed class ParlerPlatform : IPlatform
{
    public const string PlatformName = "parler";
    public const string PagePurpose = "parler-page";
    private const string DefaultHost = "parler.com";

    private static readonly HtmlParser Html = new(new HtmlParserOptions { IsScripting = false });

    public string Name => PlatformName;

    public bool TryParseSeed(string seed, out Seed parsed)
    {
        parsed = null!;
        if (!seed.StartsWith("parler:", StringComparison.OrdinalIgnoreCase)) return false;
        var rest = seed[7..].Trim();
        if (rest.Length == 0) return false;
        if (Uri.TryCreate(rest, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            parsed = new Seed { Platform = Name, Host = Hosts.Of(url), Kind = "url", Value = url.AbsoluteUri, Original = seed, BaseUrl = url.GetLeftPart(UriPartial.Authority) };
            return true;
        }
        var path = rest.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? new Uri(rest).LocalPath : Path.GetFullPath(rest);
        parsed = new Seed { Platform = Name, Host = DefaultHost, Kind = "file", Value = path, Original = seed };
        return true;
    }

    public IEnumerable<CrawlRequest> Start(Seed seed)
    {
        var url = seed.Kind == "file" ? new Uri(seed.Value) : new Uri(seed.Value);
        yield return new CrawlRequest { Url = url, Platform = Name, Purpose = PagePurpose, SeedOriginal = seed.Original };
    }

    public bool CanParse(Uri url) =>
        url.Host.Equals(DefaultHost, StringComparison.OrdinalIgnoreCase) || url.Host.EndsWith(".parler.com", StringComparison.OrdinalIgnoreCase);

    public ParseResult Parse(FetchedPage page)
    {
        if (page.Status is 404 or 410)
            return new ParseResult { Gone = [new GoneEntity(page.Url.AbsoluteUri, "page", page.Status, $"HTTP {page.Status}")] };
        if (page.Status >= 400) return ParseResult.Failure($"HTTP {page.Status}", page.Url.AbsoluteUri);
        try
        {
            var text = TextDecoder.Decode(page.Body.Span, page.ContentType, DocumentKind.Html).Text;
            // Pages of the dump read from disk carry file: URLs; their records belong to parler.com.
            var host = page.Url.IsFile ? DefaultHost : Hosts.Of(page.Url);
            using var document = Html.ParseDocument(text);
            return ParlerPageParser.Parse(document, page, host);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ParseResult.Failure($"unreadable Parler page: {e.GetType().Name}: {e.Message}", page.Url.AbsoluteUri);
        }
    }
}
