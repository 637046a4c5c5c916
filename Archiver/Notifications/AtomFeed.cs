using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Archiver.Model;

namespace Archiver.Notifications;

/// <summary>
/// The archive's events as an Atom 1.0 feed (RFC 4287), newest first, for any feed reader: entry ids are the events'
/// ids (stable across rewrites), the feed is replaced atomically so a reader never sees half a file.
/// </summary>
public static class AtomFeed
{
    public static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    public static XDocument Build(string archiveRoot, IReadOnlyList<ArchiveEvent> events, DateTime now)
    {
        var newest = events.Count == 0 ? now : events.Max(e => e.ObservedAt);
        var feed = new XElement(Atom + "feed",
            new XElement(Atom + "id", "urn:archiver:events:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(archiveRoot))).AsSpan(0, 16))),
            new XElement(Atom + "title", $"Archiver events: {Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(archiveRoot)))}"),
            new XElement(Atom + "subtitle", "New posts, edits, deletions and channels gone or back, as a watch observed them"),
            new XElement(Atom + "updated", Time(newest)),
            new XElement(Atom + "author", new XElement(Atom + "name", "archiver")),
            new XElement(Atom + "generator", "archiver"));
        foreach (var e in events.Reverse())
        {
            var entry = new XElement(Atom + "entry",
                new XElement(Atom + "id", "urn:archiver:event:" + e.Id),
                new XElement(Atom + "title", $"{EventText.Name(e.Type)}: {e.Platform}:{e.Channel}{(e.PostKey is null ? "" : " " + e.PostKey)}"),
                new XElement(Atom + "updated", Time(e.ObservedAt)),
                new XElement(Atom + "published", Time(e.ObservedAt)),
                new XElement(Atom + "category", new XAttribute("term", EventText.Name(e.Type))),
                new XElement(Atom + "summary", new XAttribute("type", "text"), Clean(EventText.Line(e))));
            if (e.Evidence?.Url is { } url && Uri.TryCreate(url, UriKind.Absolute, out var link))
                entry.Add(new XElement(Atom + "link", new XAttribute("rel", "alternate"), new XAttribute("href", link.AbsoluteUri)));
            feed.Add(entry);
        }
        return new XDocument(new XDeclaration("1.0", "utf-8", null), feed);
    }

    /// <summary>Writes the feed beside <paramref name="path"/>, flushes it to disk and renames it over the old one.</summary>
    public static void Write(string path, string archiveRoot, IReadOnlyList<ArchiveEvent> events, DateTime now)
    {
        var document = Build(archiveRoot, events, now);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var writer = XmlWriter.Create(file, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, CloseOutput = false }))
                document.Save(writer);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    private static string Time(DateTime time) => XmlConvert.ToString(DateTime.SpecifyKind(time, DateTimeKind.Utc), "yyyy-MM-ddTHH:mm:ssZ");

    /// <summary>Characters XML 1.0 cannot carry (control characters in a scraped detail) are dropped.</summary>
    private static string Clean(string text) => new(text.Where(XmlConvert.IsXmlChar).ToArray());
}
