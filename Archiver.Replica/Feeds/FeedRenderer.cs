using System.Globalization;
using System.Text;

namespace Archiver.Replica;

/// <summary>RSS 2.0 and Atom 1.0 feeds of the Telegram channels' latest posts, linking to the Telegram origin.</summary>
public sealed class FeedRenderer(TelegramGenerator generator, string telegramOrigin, string feedsOrigin)
{
    public const int Items = 20;

    public List<TelegramPost> Latest(TelegramChannel c, ReplicaView version) =>
        generator.IndicesBefore(c, null, version, Items).Select(i => generator.Post(c, i, version)!).Reverse().ToList();

    public static string Title(TelegramPost p)
    {
        var plain = TelegramMarkup.TextPlain(p);
        if (plain.Length == 0) plain = p.Kind switch { TgKind.Poll => p.Poll!.Question, _ => p.Kind.ToString() };
        return new RichText([new Segment(SegmentKind.Text, plain)]).Snippet(80);
    }

    public string Link(TelegramPost p) => $"{telegramOrigin}/{p.DataPost}";

    public string Rss(TelegramChannel c, ReplicaView version)
    {
        var items = Latest(c, version);
        var sb = new StringBuilder();
        sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n")
          .Append("<title>").Append(Html.Xml(c.Title)).Append("</title>\n<link>").Append(telegramOrigin).Append("/s/").Append(c.Name).Append("</link>\n")
          .Append("<description>").Append(Html.Xml(c.Description)).Append("</description>\n<language>").Append(c.Language.Code).Append("</language>\n")
          .Append("<atom:link href=\"").Append(feedsOrigin).Append("/feeds/").Append(c.Name).Append(".rss\" rel=\"self\" type=\"application/rss+xml\"/>\n");
        if (items.Count > 0) sb.Append("<lastBuildDate>").Append(Rfc822(items[0].Date)).Append("</lastBuildDate>\n");
        foreach (var p in items)
        {
            sb.Append("<item>\n<title>").Append(Html.Xml(Title(p))).Append("</title>\n<link>").Append(Link(p)).Append("</link>\n")
              .Append("<guid isPermaLink=\"true\">").Append(Link(p)).Append("</guid>\n<pubDate>").Append(Rfc822(p.Date)).Append("</pubDate>\n")
              .Append("<author>").Append(Html.Xml(p.Signature ?? c.Title)).Append("</author>\n")
              .Append("<description>").Append(Html.Xml(TelegramMarkup.TextHtml(p, telegramOrigin))).Append("</description>\n</item>\n");
        }
        sb.Append("</channel>\n</rss>\n");
        return sb.ToString();
    }

    public string Atom(TelegramChannel c, ReplicaView version)
    {
        var items = Latest(c, version);
        var sb = new StringBuilder();
        sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"").Append(c.Language.Code).Append("\">\n")
          .Append("<id>").Append(feedsOrigin).Append("/feeds/").Append(c.Name).Append(".atom</id>\n<title>").Append(Html.Xml(c.Title)).Append("</title>\n")
          .Append("<subtitle>").Append(Html.Xml(c.Description)).Append("</subtitle>\n")
          .Append("<link rel=\"alternate\" href=\"").Append(telegramOrigin).Append("/s/").Append(c.Name).Append("\"/>\n")
          .Append("<link rel=\"self\" href=\"").Append(feedsOrigin).Append("/feeds/").Append(c.Name).Append(".atom\"/>\n")
          .Append("<updated>").Append(Iso(items.Count > 0 ? items[0].Date : PostStream.Start)).Append("</updated>\n");
        foreach (var p in items)
        {
            sb.Append("<entry>\n<id>").Append(Link(p)).Append("</id>\n<title>").Append(Html.Xml(Title(p))).Append("</title>\n")
              .Append("<link rel=\"alternate\" href=\"").Append(Link(p)).Append("\"/>\n<published>").Append(Iso(p.Date)).Append("</published>\n<updated>").Append(Iso(p.Date)).Append("</updated>\n")
              .Append("<author><name>").Append(Html.Xml(p.Signature ?? c.Title)).Append("</name></author>\n")
              .Append("<content type=\"html\">").Append(Html.Xml(TelegramMarkup.TextHtml(p, telegramOrigin))).Append("</content>\n</entry>\n");
        }
        sb.Append("</feed>\n");
        return sb.ToString();
    }

    public static string Rfc822(DateTime t) => t.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
    public static string Iso(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
