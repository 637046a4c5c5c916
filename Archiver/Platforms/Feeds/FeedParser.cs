using System.Security.Cryptography;
using System.Text;
using Archiver.Model;
using Archiver.Platforms.Charsets;
using Archiver.Platforms.Common;
using Archiver.Platforms.Sites;

namespace Archiver.Platforms.Feeds;

/// <summary>A fetched feed to records. Pure; never throws; what it had to repair is reported as problems.</summary>
public static class FeedParser
{
    public const string Platform = "feed";

    /// <summary>Bytes to a feed, decoded by the HTTP charset, BOM, XML declaration or detection.</summary>
    public static (FeedDocument? Feed, DecodedText Decoded) Read(ReadOnlySpan<byte> body, string? contentType, Uri? url)
    {
        var decoded = TextDecoder.Decode(body, contentType);
        var text = decoded.Text;
        var start = text.AsSpan().TrimStart();
        if (start.Length > 0 && start[0] is '{' or '[') return (JsonFeedReader.Read(text, url), decoded);
        // A feed nested past the page limit is refused before a tree is built (readers of the tree recurse).
        if (Common.PageLimits.Depth(text, xml: true, Common.PageLimits.MaxDepth) > Common.PageLimits.MaxDepth)
            throw new FeedTooDeepException();
        var tree = XmlTree.Parse(text);
        return (FeedXmlReader.Read(tree, url), decoded);
    }

    public static ParseResult Parse(FetchedPage page)
    {
        if (page.Status is 404 or 410) return new ParseResult { Gone = [new GoneEntity(page.Url.AbsoluteUri, "feed", page.Status, $"HTTP {page.Status}")] };
        if (page.Status >= 400) return ParseResult.Failure($"HTTP {page.Status}", page.Url.AbsoluteUri);
        if (Common.PageLimits.CheckSize(page.Body.Length, page.Url) is { } tooBig) return tooBig;
        FeedDocument? feed;
        try
        {
            (feed, _) = Read(page.Body.Span, page.ContentType, page.Url);
        }
        catch (FeedTooDeepException)
        {
            return ParseResult.Failure($"page refused: elements nested deeper than {Common.PageLimits.MaxDepth} elements (the limit for a page)", page.Url.AbsoluteUri, fatal: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ParseResult.Failure($"unreadable feed: {e.GetType().Name}: {e.Message}", page.Url.AbsoluteUri);
        }
        if (feed is null) return ParseResult.Failure("not a feed: no rss, RDF, feed or JSON Feed document", page.Url.AbsoluteUri);
        var host = UrlTools.HostKey(page.Url);
        var channel = feed.Title ?? page.Url.AbsoluteUri;
        var posts = new List<Post>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in feed.Entries)
        {
            var post = ToPost(entry, feed, host, channel);
            if (seen.Add(post.NativeId)) posts.Add(post);
        }
        var problems = feed.Problems.Select(p => new ParseProblem($"ill-formed feed: {p}", page.Url.AbsoluteUri)).ToList();
        foreach (var entry in feed.Entries.Where(e => e.Published is null && e.Updated is null && e.DateText is not null))
            problems.Add(new ParseProblem($"unreadable date '{entry.DateText}' (item {entry.Id ?? entry.Link ?? entry.Title}): kept as extra.date_unparsed, no created time", page.Url.AbsoluteUri));
        var author = new Author
        {
            Platform = Platform,
            Host = host,
            NativeId = page.Url.AbsoluteUri,
            Handle = null,
            DisplayName = feed.Title,
            Description = feed.Description,
            Url = feed.Link,
            Kind = "channel",
            AvatarUrl = feed.ImageUrl,
            Extra = new Dictionary<string, string> { ["format"] = feed.Format },
        };
        return new ParseResult { Posts = posts, Authors = [author], Problems = problems };
    }

    public static Post ToPost(FeedEntry entry, FeedDocument feed, string host, string channel)
    {
        var html = entry.Content ?? entry.Summary;
        var extra = new Dictionary<string, string>(StringComparer.Ordinal) { ["format"] = feed.Format };
        if (entry.Title is not null) extra["title"] = entry.Title;
        if (entry.Categories.Count > 0) extra["categories"] = System.Text.Json.JsonSerializer.Serialize(entry.Categories);
        if (entry.Comments is not null) extra["comments"] = entry.Comments;
        if (entry.AuthorEmail is not null) extra["author_email"] = entry.AuthorEmail;
        if (entry.Content is not null && entry.Summary is not null) extra["summary"] = FeedText.FromHtml(entry.Summary);
        var created = entry.Published ?? entry.Updated;
        if (created is null && entry.DateText is not null) extra["date_unparsed"] = entry.DateText;
        return new Post
        {
            Platform = Platform,
            Host = host,
            NativeId = entry.Id ?? entry.Link ?? "h:" + Hash(entry.Title, created?.ToString("O")),
            Url = entry.Link,
            Channel = channel,
            AuthorId = entry.AuthorUrl ?? entry.AuthorEmail ?? entry.Author,
            AuthorHandle = entry.Author,
            AuthorName = entry.Author,
            CreatedAt = created,
            EditedAt = entry.Published is not null && entry.Updated is not null && entry.Updated != entry.Published ? entry.Updated : null,
            Text = FeedItemText.WithTitle(entry.Title, FeedText.FromHtml(html)),
            Html = html,
            Language = entry.Language ?? feed.Language,
            LanguageSource = (entry.Language ?? feed.Language) is null ? null : LanguageSources.Declared,
            Links = FeedText.Links(html, entry.ContentBase),
            Media = entry.Enclosures.Select(e => new MediaRef { Kind = MediaKind(e.Type, e.Url), Url = e.Url, Mime = IsMime(e.Type) ? e.Type : null }).ToList(),
            Extra = extra,
        };
    }

    private static readonly string[] PhotoExtensions = [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".bmp", ".svg", ".heic", ".jfif"];
    private static readonly string[] VideoExtensions = [".mp4", ".m4v", ".mov", ".webm", ".mkv", ".avi", ".m3u8", ".mpd"];
    private static readonly string[] AudioExtensions = [".mp3", ".m4a", ".ogg", ".oga", ".opus", ".wav", ".aac", ".flac"];

    /// <summary>A type that names a file format (not empty, not a wildcard, not the "any bytes" octet-stream).</summary>
    private static bool IsMime(string? type) =>
        type is not null && type.Contains('/') && !type.Contains('*') && !type.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The kind of an enclosure: by its MIME type; else by the Media RSS <c>medium</c> ("image", "video") the reader
    /// passes when there is no type; else by the URL's extension (feeds often send an empty type or
    /// application/octet-stream for images); else a document.
    /// </summary>
    private static string MediaKind(string? type, string? url)
    {
        if (IsMime(type) || type is not null && !type.Contains('/'))
        {
            if (type!.StartsWith("image", StringComparison.OrdinalIgnoreCase)) return "photo";
            if (type.StartsWith("video", StringComparison.OrdinalIgnoreCase)) return "video";
            if (type.StartsWith("audio", StringComparison.OrdinalIgnoreCase)) return "audio";
            if (IsMime(type)) return "document";
        }
        else if (type is not null && type.StartsWith("image/", StringComparison.OrdinalIgnoreCase)) return "photo";
        var path = url is not null && Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.AbsolutePath : url ?? "";
        if (PhotoExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase))) return "photo";
        if (VideoExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase))) return "video";
        if (AudioExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase))) return "audio";
        return "document";
    }

    private static string Hash(params string?[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u001f", parts.Select(p => p ?? "")))))[..16];
}

/// <summary>A feed nested deeper than <see cref="Common.PageLimits.MaxDepth"/>: refused, not read.</summary>
public sealed class FeedTooDeepException() : Exception("feed nested deeper than the page limit");
