using Archiver.Model;
using Archiver.Platforms.Common;
using Archiver.Platforms.Sites;

namespace Archiver.Platforms.Feeds;

/// <summary>RSS, Atom and JSON Feed: seeds <c>feed:URL</c>, <c>rss:URL</c>, <c>atom:URL</c>.</summary>
public sealed class FeedPlatform : IPlatform
{
    public const string FeedPurpose = "feed";
    private static readonly string[] Prefixes = ["feed:", "rss:", "atom:"];

    public string Name => FeedParser.Platform;

    public bool TryParseSeed(string seed, out Seed parsed)
    {
        parsed = null!;
        var prefix = Prefixes.FirstOrDefault(p => seed.StartsWith(p, StringComparison.OrdinalIgnoreCase));
        if (prefix is null) return false;
        var rest = seed[prefix.Length..].Trim();
        // "feed://example.com/rss" is the old feed URL scheme for http.
        if (prefix == "feed:" && rest.StartsWith("//", StringComparison.Ordinal)) rest = "http:" + rest;
        if (!Uri.TryCreate(rest, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")) return false;
        parsed = new Seed { Platform = Name, Host = UrlTools.HostKey(url), Kind = "feed", Value = url.AbsoluteUri, Original = seed, BaseUrl = url.GetLeftPart(UriPartial.Authority) };
        return true;
    }

    public IEnumerable<CrawlRequest> Start(Seed seed)
    {
        yield return new CrawlRequest { Url = new Uri(seed.Value), Platform = Name, Purpose = FeedPurpose, Priority = 1, SeedOriginal = seed.Original };
    }

    /// <summary>Feeds live at any URL; a feed capture is recognised by its path, the content decides in <see cref="Parse"/>.</summary>
    /// <summary>Feeds live at any URL (<c>/index.php?format=rss</c>): a feed media type, or an XML body whose root is a feed.</summary>
    public bool RecognisesCapture(Uri url, string? contentType, ReadOnlySpan<byte> head)
    {
        if (contentType is not null)
        {
            if (contentType.Contains("rss+xml", StringComparison.OrdinalIgnoreCase) || contentType.Contains("atom+xml", StringComparison.OrdinalIgnoreCase)
                || contentType.Contains("feed+json", StringComparison.OrdinalIgnoreCase))
                return true;
            if (!contentType.Contains("xml", StringComparison.OrdinalIgnoreCase)) return false;
        }
        var start = head[..Math.Min(head.Length, 2048)];
        return start.IndexOf("<rss"u8) >= 0 || start.IndexOf("<feed"u8) >= 0 || start.IndexOf("<rdf:RDF"u8) >= 0;
    }

    public bool CanParse(Uri url)
    {
        var path = url.AbsolutePath.ToLowerInvariant();
        return path.EndsWith(".rss", StringComparison.Ordinal) || path.EndsWith(".atom", StringComparison.Ordinal) || path.EndsWith("/feed", StringComparison.Ordinal)
            || path.EndsWith("/feed/", StringComparison.Ordinal) || path.EndsWith("/rss", StringComparison.Ordinal) || path.EndsWith("rss.xml", StringComparison.Ordinal)
            || path.EndsWith("atom.xml", StringComparison.Ordinal) || path.EndsWith("feed.json", StringComparison.Ordinal) || path.EndsWith("/atom", StringComparison.Ordinal);
    }

    public ParseResult Parse(FetchedPage page) => FeedParser.Parse(page);
}
