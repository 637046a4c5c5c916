using System.Security.Cryptography;
using System.Text;
using Archiver.Model;
using Archiver.Platforms.Charsets;
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
        var tree = XmlTree.Parse(text);
        return (FeedXmlReader.Read(tree, url), decoded);
    }

    public static ParseResult Parse(FetchedPage page)
    {
        if (page.Status is 404 or 410) return new ParseResult { Gone = [new GoneEntity(page.Url.AbsoluteUri, "feed", page.Status, $"HTTP {page.Status}")] };
        if (page.Status >= 400) return ParseResult.Failure($"HTTP {page.Status}", page.Url.AbsoluteUri);
        FeedDocument? feed;
        try
        {
            (feed, _) = Read(page.Body.Span, page.ContentType, page.Url);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ParseResult.Failure($"unreadable feed: {e.GetType().Name}: {e.Message}", page.Url.AbsoluteUri);
        }
        if (feed is null) return ParseResult.Failure("not a feed: no rss, RDF, feed or JSON Feed document", page.Url.AbsoluteUri);
        var host = Hosts.Of(page.Url);
        var channel = feed.Title ?? page.Url.AbsoluteUri;
        var posts = new List<Post>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in feed.Entries)
        {
            var post = ToPost(entry, feed, host, channel);
            if (seen.Add(post.NativeId)) posts.Add(post);
        }
        var problems = feed.Problems.Select(p => new ParseProblem($"ill-formed feed: {p}", page.Url.AbsoluteUri)).ToList();
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
            Text = FeedText.FromHtml(html),
            Html = html,
            Language = entry.Language ?? feed.Language,
            LanguageSource = (entry.Language ?? feed.Language) is null ? null : LanguageSources.Declared,
            Links = FeedText.Links(html, entry.ContentBase),
            Media = entry.Enclosures.Select(e => new MediaRef { Kind = MediaKind(e.Type), Url = e.Url, Mime = e.Type == "image/*" ? null : e.Type }).ToList(),
            Extra = extra,
        };
    }

    private static string MediaKind(string? mime) => mime switch
    {
        null => "document",
        _ when mime.StartsWith("image", StringComparison.OrdinalIgnoreCase) => "photo",
        _ when mime.StartsWith("video", StringComparison.OrdinalIgnoreCase) => "video",
        _ when mime.StartsWith("audio", StringComparison.OrdinalIgnoreCase) => "audio",
        _ => "document",
    };

    private static string Hash(params string?[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u001f", parts.Select(p => p ?? "")))))[..16];
}
