using System.Globalization;
using System.Net;

namespace Archiver.Platforms.Feeds;

/// <summary>RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 from an <see cref="XmlTree"/>, relative links resolved by xml:base.</summary>
public static class FeedXmlReader
{
    public const string Atom10 = "http://www.w3.org/2005/Atom";
    public const string Atom03 = "http://purl.org/atom/ns#";
    public const string Rss10 = "http://purl.org/rss/1.0/";
    public const string Rss090 = "http://my.netscape.com/rdf/simple/0.9/";
    public const string Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    public const string Dc = "http://purl.org/dc/elements/1.1/";
    public const string DcTerms = "http://purl.org/dc/terms/";
    public const string Content = "http://purl.org/rss/1.0/modules/content/";
    public const string Media = "http://search.yahoo.com/mrss/";
    public const string Xhtml = "http://www.w3.org/1999/xhtml";
    public const string Itunes = "http://www.itunes.com/dtds/podcast-1.0.dtd";

    public static FeedDocument? Read(XmlTree tree, Uri? url)
    {
        var root = tree.Root;
        if (root is null) return null;
        // A feed pasted into another document (an XHTML page around an Atom feed) is read where it sits.
        if (root.LocalName is not ("feed" or "rss" or "RDF" or "channel")) root = Descendants(root).FirstOrDefault(e => e.LocalName is "feed" or "rss" or "RDF");
        if (root is null) return null;
        return root.LocalName switch
        {
            // Atom under an unexpected namespace (or none) is still read as Atom, in that namespace.
            "feed" => ReadAtom(root, tree, url, root.Namespace),
            "rss" => ReadRss(root, tree, url),
            "RDF" => ReadRdf(root, tree, url),
            "channel" => ReadRssChannel(root, root, tree, url, "rss"),
            _ => null,
        };
    }

    private static IEnumerable<XmlNodeElement> Descendants(XmlNodeElement element)
    {
        foreach (var child in element.Elements())
        {
            yield return child;
            foreach (var d in Descendants(child)) yield return d;
        }
    }

    private static FeedDocument ReadRss(XmlNodeElement rss, XmlTree tree, Uri? url)
    {
        var version = rss.Attribute("version") ?? "";
        var format = version switch { "0.90" => "rss090", "0.91" => "rss091", "0.92" => "rss092", "0.93" or "0.94" => "rss09x", _ => "rss20" };
        // Some RSS 2.0 feeds put their elements in a namespace (http://backend.userland.com/rss2).
        var ns = rss.Namespace;
        var channel = Child(rss, ns, "channel") ?? rss;
        return ReadRssChannel(channel, channel, tree, url, format, ns);
    }

    private static FeedDocument ReadRdf(XmlNodeElement rdf, XmlTree tree, Uri? url)
    {
        var ns = rdf.Elements().Any(e => e.Namespace == Rss090) ? Rss090 : Rss10;
        var channel = rdf.Element(ns, "channel") ?? rdf;
        // RSS 1.0 puts items beside the channel, not inside it.
        return ReadRssChannel(channel, rdf, tree, url, ns == Rss090 ? "rss090" : "rss10", ns);
    }

    private static FeedDocument ReadRssChannel(XmlNodeElement channel, XmlNodeElement itemParent, XmlTree tree, Uri? url, string format, string ns = "")
    {
        var items = itemParent.Elements().Where(e => e.LocalName.Equals("item", StringComparison.OrdinalIgnoreCase) && (e.Namespace == ns || e.Namespace == "")).ToList();
        if (items.Count == 0 && itemParent != channel)
            items = channel.Elements().Where(e => e.LocalName == "item").ToList();
        return new FeedDocument
        {
            Format = format,
            Title = Plain(Child(channel, ns, "title")) ?? Plain(channel.Element(Dc, "title")),
            Link = Link(Child(channel, ns, "link"), url) ?? AtomLinks(channel, url, Atom10).FirstOrDefault(l => l.Rel == "alternate")?.Href,
            Id = Plain(channel.Element(Atom10, "id")),
            Description = Plain(Child(channel, ns, "description")),
            Language = Plain(Child(channel, ns, "language")) ?? Plain(channel.Element(Dc, "language")) ?? channel.Language(),
            Author = Plain(Child(channel, ns, "managingEditor")) ?? Plain(channel.Element(Dc, "creator")),
            Updated = FeedDates.Parse(Plain(Child(channel, ns, "lastBuildDate")) ?? Plain(Child(channel, ns, "pubDate")) ?? Plain(channel.Element(Dc, "date")) ?? Plain(channel.Element(DcTerms, "modified"))),
            ImageUrl = Plain(Child(Child(channel, ns, "image") ?? itemParent.Element(ns, "image"), ns, "url")),
            Entries = items.Select(i => ReadRssItem(i, url, ns)).ToList(),
            Problems = tree.Problems,
        };
    }

    private static FeedEntry ReadRssItem(XmlNodeElement item, Uri? url, string ns)
    {
        var guid = Child(item, ns, "guid");
        var guidText = Plain(guid);
        var permalink = guid is not null && !string.Equals(guid.Attribute("isPermaLink"), "false", StringComparison.OrdinalIgnoreCase) && guidText is not null
            && Uri.TryCreate(guidText, UriKind.Absolute, out _);
        var link = Link(Child(item, ns, "link"), url) ?? AtomLinks(item, url, Atom10).FirstOrDefault(l => l.Rel == "alternate")?.Href ?? (permalink ? guidText : null);
        var (author, email) = RssAuthor(Plain(Child(item, ns, "author")) ?? Plain(item.Element(Dc, "creator")) ?? Plain(item.Element(Itunes, "author")));
        var description = Child(item, ns, "description") ?? item.Element(Dc, "description");
        var encoded = item.Element(Content, "encoded");
        var published = Plain(Child(item, ns, "pubDate")) ?? Plain(item.Element(Dc, "date")) ?? Plain(item.Element(DcTerms, "issued")) ?? Plain(item.Element(DcTerms, "created"));
        var updated = Plain(item.Element(DcTerms, "modified")) ?? Plain(item.Element(Atom10, "updated"));
        return new FeedEntry
        {
            Id = guidText ?? item.Attribute("about", Rdf),
            Title = Plain(Child(item, ns, "title")) ?? Plain(item.Element(Dc, "title")) ?? Plain(item.Element(Media, "title")),
            Link = link,
            Links = AtomLinks(item, url, Atom10),
            Author = author,
            AuthorEmail = email,
            Published = FeedDates.Parse(published),
            Updated = FeedDates.Parse(updated),
            DateText = published ?? updated,
            Summary = description?.Text().Trim(),
            Content = encoded?.Text().Trim(),
            ContentBase = (encoded ?? description ?? item).Base(url)?.AbsoluteUri,
            Language = item.Language(),
            Categories = item.Elements().Where(e => (e.LocalName == "category" && e.Namespace == ns) || (e.LocalName == "subject" && e.Namespace == Dc))
                .Select(e => e.Text().Trim()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList(),
            Enclosures = Enclosures(item, url),
            Comments = Link(Child(item, ns, "comments"), url),
            GuidIsPermaLink = permalink,
        };
    }

    private static FeedDocument ReadAtom(XmlNodeElement feed, XmlTree tree, Uri? url, string ns) => new()
    {
        Format = ns == Atom10 ? "atom10" : "atom03",
        Title = TextConstruct(feed.Element(ns, "title"), tree, asHtml: false),
        Link = AtomLinks(feed, url, ns).FirstOrDefault(l => l.Rel == "alternate")?.Href,
        Id = Id(feed.Element(ns, "id"), url),
        Description = TextConstruct(feed.Element(ns, "subtitle") ?? feed.Element(ns, "tagline"), tree, asHtml: false),
        Language = feed.Language(),
        Author = Plain(feed.Element(ns, "author")?.Element(ns, "name")),
        Updated = FeedDates.Parse(Plain(feed.Element(ns, "updated") ?? feed.Element(ns, "modified"))),
        ImageUrl = Plain(feed.Element(ns, "logo") ?? feed.Element(ns, "icon")),
        Entries = feed.Elements(ns, "entry").Select(e => ReadAtomEntry(e, tree, url, ns)).ToList(),
        Problems = tree.Problems,
    };

    private static FeedEntry ReadAtomEntry(XmlNodeElement entry, XmlTree tree, Uri? url, string ns)
    {
        var links = AtomLinks(entry, url, ns);
        var author = entry.Element(ns, "author") ?? entry.Parent?.Element(ns, "author");
        var content = entry.Element(ns, "content");
        var summary = entry.Element(ns, "summary");
        var published = Plain(entry.Element(ns, "published") ?? entry.Element(ns, "issued") ?? entry.Element(ns, "created") ?? entry.Element(Dc, "date"));
        // Of repeated dates the last wins, as in feedparser.
        var updated = Plain(entry.Elements(ns, "updated").LastOrDefault() ?? entry.Elements(ns, "modified").LastOrDefault());
        return new FeedEntry
        {
            Id = Id(entry.Element(ns, "id"), url),
            Title = TextConstruct(entry.Element(ns, "title"), tree, asHtml: false),
            Link = links.FirstOrDefault(l => l.Rel == "alternate")?.Href ?? links.FirstOrDefault()?.Href,
            Links = links,
            Author = Plain(author?.Element(ns, "name")) ?? Plain(entry.Element(Dc, "creator")),
            AuthorEmail = Plain(author?.Element(ns, "email")),
            AuthorUrl = Link(author?.Element(ns, "uri") ?? author?.Element(ns, "url"), url),
            Published = FeedDates.Parse(published),
            Updated = FeedDates.Parse(updated),
            DateText = published ?? updated,
            Summary = TextConstruct(summary, tree, asHtml: true),
            Content = content?.Attribute("src") is null ? TextConstruct(content, tree, asHtml: true) : null,
            ContentBase = (content ?? summary ?? entry).Base(url)?.AbsoluteUri,
            Language = (content ?? entry).Language(),
            Categories = entry.Elements(ns, "category").Select(c => c.Attribute("label") ?? c.Attribute("term") ?? c.Text().Trim())
                .Concat(entry.Elements(Dc, "subject").Select(s => s.Text().Trim())).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList(),
            Enclosures = Enclosures(entry, url).Concat(links.Where(l => l.Rel == "enclosure").Select(l => new FeedEnclosure(l.Href, l.Type, null, "link"))).ToList(),
            Comments = links.FirstOrDefault(l => l.Rel == "replies")?.Href,
        };
    }

    /// <summary>An Atom text construct as HTML (asHtml) or as plain text.</summary>
    private static string? TextConstruct(XmlNodeElement? element, XmlTree tree, bool asHtml)
    {
        if (element is null) return null;
        var type = (element.Attribute("type") ?? "text").ToLowerInvariant();
        var mode = element.Attribute("mode")?.ToLowerInvariant();
        string html;
        if (type is "xhtml" or "application/xhtml+xml" || mode == "xml")
        {
            var div = element.Elements().FirstOrDefault(e => e.LocalName == "div");
            var target = div ?? element;
            html = tree.Source[target.InnerStart..target.InnerEnd].Trim();
            if (element.Elements().Any() is false) html = WebUtility.HtmlEncode(element.Text().Trim());
        }
        else if (mode == "base64")
        {
            try { html = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(element.Text().Trim())); }
            catch (FormatException) { html = element.Text().Trim(); }
        }
        else if (type is "html" or "text/html" || mode == "escaped") html = element.Text().Trim();
        else return asHtml ? WebUtility.HtmlEncode(element.Text().Trim()) : element.Text().Trim();
        return asHtml ? html : FeedText.FromHtml(html);
    }

    private static List<FeedLink> AtomLinks(XmlNodeElement element, Uri? url, string ns) =>
        element.Elements().Where(e => e.LocalName == "link" && (e.Namespace == ns || e.Namespace == Atom10 || e.Namespace == Atom03) && e.Attribute("href") is not null)
            .Select(e => new FeedLink(Resolve(e.Attribute("href")!, e, url), e.Attribute("rel") ?? "alternate", e.Attribute("type"), e.Attribute("title")))
            .ToList();

    private static List<FeedEnclosure> Enclosures(XmlNodeElement item, Uri? url)
    {
        var list = new List<FeedEnclosure>();
        foreach (var e in item.Elements())
        {
            if (e.LocalName == "enclosure" && e.Namespace is "" or Rss10 && e.Attribute("url") is { } u)
                list.Add(new FeedEnclosure(Resolve(u, e, url), e.Attribute("type"), long.TryParse(e.Attribute("length"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null, "enclosure"));
            else if (e.Namespace == Media && e.LocalName is "content" or "thumbnail" && e.Attribute("url") is { } m)
                list.Add(new FeedEnclosure(Resolve(m, e, url), e.Attribute("type") ?? (e.LocalName == "thumbnail" ? "image/*" : e.Attribute("medium")), null, "media:" + e.LocalName));
            else if (e.Namespace == Media && e.LocalName == "group")
                list.AddRange(Enclosures(e, url));
        }
        return list;
    }

    /// <summary>RSS elements are matched case-insensitively in their own namespace ("pubdate" occurs in the wild).</summary>
    private static XmlNodeElement? Child(XmlNodeElement? parent, string ns, string local) =>
        parent?.Elements().FirstOrDefault(e => e.Namespace == ns && e.LocalName == local)
        ?? parent?.Elements().FirstOrDefault(e => (e.Namespace == ns || e.Namespace == "") && e.LocalName.Equals(local, StringComparison.OrdinalIgnoreCase));

    private static string? Plain(XmlNodeElement? element)
    {
        var text = element?.Text().Trim();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>An id that is a path ("/2004/entry") is resolved like a link; other ids (tag:, urn:, words) are kept.</summary>
    private static string? Id(XmlNodeElement? element, Uri? url) =>
        Plain(element) is { } id ? id.StartsWith('/') || id.StartsWith("./", StringComparison.Ordinal) || id.StartsWith("../", StringComparison.Ordinal) ? Resolve(id, element!, url) : id : null;

    private static string? Link(XmlNodeElement? element, Uri? url) =>
        Plain(element) is { } href ? Resolve(href, element!, url) : null;

    private static string Resolve(string href, XmlNodeElement context, Uri? url)
    {
        var trimmed = href.Trim();
        // An absolute link is kept as written (Uri would lower-case the host and re-escape the path).
        if (Uri.TryCreate(trimmed, UriKind.Absolute, out var given) && given.Scheme is "http" or "https") return trimmed;
        var baseUri = context.Base(url);
        return baseUri is not null && Uri.TryCreate(baseUri, trimmed, out var absolute) && absolute.Scheme is "http" or "https" or "ftp" or "mailto" or "file"
            ? absolute.AbsoluteUri
            : trimmed;
    }

    /// <summary>RSS "author" is an e-mail, often "jo@example.com (Jo)"; the name is the part in parentheses.</summary>
    private static (string? Name, string? Email) RssAuthor(string? raw)
    {
        if (raw is null) return (null, null);
        var open = raw.IndexOf('(');
        var close = raw.LastIndexOf(')');
        if (open > 0 && close > open && raw[..open].Contains('@')) return (raw[(open + 1)..close].Trim(), raw[..open].Trim());
        return raw.Contains('@') && !raw.Contains(' ') ? (raw, raw) : (raw, null);
    }
}
