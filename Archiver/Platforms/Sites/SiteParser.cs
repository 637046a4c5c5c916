using System.Security.Cryptography;
using System.Text;
using AngleSharp.Html.Parser;
using Archiver.Model;
using Archiver.Platforms.Charsets;
using Archiver.Platforms.Common;
using Archiver.Platforms.Sites.Fast;

namespace Archiver.Platforms.Sites;

/// <summary>Applies a <see cref="SiteProfile"/> to a fetched page. Pure: the same page and profile give the same result.</summary>
public static class SiteParser
{
    public const string Platform = "site";
    public const string PagePurpose = "site-page";
    public const string ThreadPurpose = "site-thread";
    public const string ProfileKey = "profile";

    private static readonly HtmlParser Html = new(new HtmlParserOptions { IsScripting = false });

    public static ParseResult Parse(SiteProfile profile, FetchedPage page)
    {
        if (page.Status >= 400)
            return ParseResult.Failure($"HTTP {page.Status}: no posts on an error page", page.Url.AbsoluteUri);
        if (Common.PageLimits.CheckSize(page.Body.Length, page.Url) is { } tooBig) return tooBig;
        var decoded = TextDecoder.Decode(page.Body.Span, page.ContentType, DocumentKind.Html);
        if (Common.PageLimits.Check(decoded.Text, page.Url) is { } refused) return refused;
        if (profile.Parser == SiteParserKind.Fast)
        {
            var fast = new FastDom(FastHtmlParser.Parse(decoded.Text));
            return Parse(profile, page, fast, fast.SelectAll(FastDocument.Root, profile.Item));
        }
        // Disposing the document hands the tokenizer's pooled buffer back (else one large-object allocation per page).
        using var document = Html.ParseDocument(decoded.Text);
        var standard = new AngleSharpDom(document);
        return Parse(profile, page, standard, standard.Items(profile.Item));
    }

    private static ParseResult Parse<TNode>(SiteProfile profile, FetchedPage page, ISiteDom<TNode> dom, IEnumerable<TNode> items)
    {
        var host = UrlTools.HostKey(page.Url);
        var posts = new List<Post>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var problems = new List<ParseProblem>();
        var reader = new FieldReader<TNode>(page.Url, dom);
        var pageLanguage = DeclaredLanguage(page);
        foreach (var item in items)
        {
            var post = ReadPost(profile, reader, item, host, problems);
            // The language the page declares for the post (its own lang, else the nearest ancestor's, else the
            // HTTP Content-Language): data like any field; detection, if needed, happens where posts are stored.
            if ((Declared(dom.Language(item)) ?? pageLanguage) is { } language)
                post = post with { Language = language, LanguageSource = LanguageSources.Declared };
            // A post quoted inside another matches the item selector twice; the first (outer) reading wins.
            if (seen.Add(post.NativeId)) posts.Add(post);
        }
        if (posts.Count == 0)
            problems.Add(new ParseProblem(profile.NeedsJavascript && page.Request?.NeedsBrowser != true
                ? $"no element matches \"{profile.ItemText}\"; profile {profile.Name} needs JavaScript, fetch the page with the browser"
                : $"no element matches \"{profile.ItemText}\" (profile {profile.Name})", page.Url.AbsoluteUri));
        var listing = profile.Listing ? Listing(page, posts, IsLastPage(profile, reader)) : null;
        return new ParseResult { Posts = posts, Next = NextRequests(profile, reader, page, listing), Problems = problems, Listing = listing };
    }

    /// <summary>Context key of a next-page request: the highest post id the page before it showed.</summary>
    public const string ListedUpToKey = "listed_up_to";

    /// <summary>
    /// The run of ids a listing page covers: from just above the previous page's last id (when this page was reached
    /// through its next link) or this page's first id, up to this page's last. Only when every post has a numeric id
    /// and one channel, and the ids increase down the page; otherwise no claim.
    /// </summary>
    private static ListingWindow? Listing(FetchedPage page, List<Post> posts, bool last)
    {
        if (posts.Count == 0 || posts[0].Channel is not { } channel) return null;
        long previous = long.MinValue;
        foreach (var post in posts)
        {
            if (post.Channel != channel || !long.TryParse(post.NativeId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) || id <= previous)
                return null;
            previous = id;
        }
        var first = long.Parse(posts[0].NativeId, System.Globalization.CultureInfo.InvariantCulture);
        var from = page.Request?.Context.TryGetValue(ListedUpToKey, out var upTo) == true
            && long.TryParse(upTo, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var after) && after < first
            ? after + 1 : first;
        // The last page shows every post after the previous page's last, also those newer than its own last: a
        // thread's newest post deleted (with nothing posted after it) is missing from no other window.
        return new ListingWindow(channel, from, previous, posts.Select(p => p.NativeId).ToList(), Head: last);
    }

    /// <summary>
    /// Whether the page is its channel's last: the profile names its next-page link and the page has none. A profile
    /// without one promises nothing about later pages.
    /// </summary>
    private static bool IsLastPage<TNode>(SiteProfile profile, FieldReader<TNode> reader) =>
        profile.NextPage is { } next && reader.All(next, reader.Dom.Root).Count == 0;

    private static Post ReadPost<TNode>(SiteProfile profile, FieldReader<TNode> reader, TNode item, string host, List<ParseProblem> problems)
    {
        var cache = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? One(string field)
        {
            if (cache.TryGetValue(field, out var known)) return known;
            var value = profile.Fields.TryGetValue(field, out var spec) ? reader.One(spec, item) : null;
            cache[field] = value;
            return value;
        }
        IReadOnlyList<string> All(string field) => profile.Fields.TryGetValue(field, out var spec) ? reader.All(spec, item) : [];

        var textSpec = profile.Fields.GetValueOrDefault("text");
        TNode textElement = default!;
        var hasTextElement = textSpec is not null && reader.TryElement(textSpec, item, out textElement);
        var text = textSpec is null ? "" : One("text") ?? "";
        var author = One("author");
        var dateText = One("date");
        var created = dateText is null ? null : SiteDates.Parse(dateText, profile.DateFormats, profile.DateCulture);
        if (dateText is not null && created is null)
            problems.Add(new ParseProblem($"date \"{Clip(dateText)}\" matches none of the profile's date formats", profile.Name));

        var url = One("url") is { } rawUrl ? reader.Absolute(rawUrl) : null;
        var id = One("id") ?? url ?? "h:" + Hash(author, dateText, text);
        var extra = new Dictionary<string, string>(StringComparer.Ordinal) { [ProfileKey] = profile.Name };
        foreach (var (name, spec) in profile.Fields)
            if (!SiteProfile.KnownFields.Contains(name) || name == "title")
                if (One(name) is { } value) extra[name] = value;
        AddApproximate(extra, "views", One("views"));
        AddApproximate(extra, "likes", One("likes"));

        var links = profile.Fields.ContainsKey("links")
            ? All("links").Select(reader.Absolute).OfType<string>()
            : hasTextElement ? reader.Dom.LinkHrefs(textElement).Select(reader.Absolute).OfType<string>() : [];
        var replyTo = One("reply_to");
        return new Post
        {
            Platform = SiteParser.Platform,
            Host = host,
            NativeId = id,
            Url = url,
            Channel = One("channel"),
            AuthorId = One("author_id") ?? author,
            AuthorHandle = author,
            AuthorName = One("author_name") ?? author,
            CreatedAt = created,
            Kind = replyTo is null ? PostKinds.Post : PostKinds.Reply,
            Text = text,
            Html = hasTextElement ? reader.Dom.InnerHtml(textElement) : null,
            ReplyTo = replyTo,
            Hashtags = Distinct(All("hashtags").Select(h => h.TrimStart('#').Trim())),
            Mentions = Distinct(All("mentions").Select(m => m.TrimStart('@').Trim())),
            Links = Distinct(links),
            Media = All("media").Select(reader.Absolute).OfType<string>().Distinct(StringComparer.Ordinal)
                .Select(m => new MediaRef { Kind = "photo", Url = m }).ToList(),
            Views = ApproximateCount.Find(One("views")),
            Likes = ApproximateCount.Find(One("likes")),
            Shares = ApproximateCount.Find(One("shares")),
            Replies = ApproximateCount.Find(One("replies")),
            Extra = extra,
        };
    }

    /// <summary>A declared language tag, or null for an empty one (<c>lang=""</c> means "unknown" in HTML).</summary>
    private static string? Declared(string? tag) => string.IsNullOrWhiteSpace(tag) ? null : tag.Trim();

    /// <summary>A Content-Language header naming exactly one language (a list says the page is in several).</summary>
    private static string? DeclaredLanguage(FetchedPage page) =>
        page.Headers.FirstOrDefault(h => h.Key.Equals("Content-Language", StringComparison.OrdinalIgnoreCase)).Value is var value
        && Declared(value) is { } tag && !tag.Contains(',') ? tag : null;

    private static List<CrawlRequest> NextRequests<TNode>(SiteProfile profile, FieldReader<TNode> reader, FetchedPage page, ListingWindow? listing)
    {
        var requests = new List<CrawlRequest>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { page.Url.AbsoluteUri };
        var depth = (page.Request?.Depth ?? 0) + 1;
        var threadContext = new Dictionary<string, string> { [ProfileKey] = profile.Name };
        // The next page continues this page's run of ids: it covers everything after this page's last one.
        var nextContext = listing is null ? threadContext
            : new Dictionary<string, string> { [ProfileKey] = profile.Name, [ListedUpToKey] = listing.ToId.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        void Add(FieldSpec? spec, string purpose, int priority, Dictionary<string, string> context)
        {
            if (spec is null) return;
            foreach (var href in reader.All(spec, reader.Dom.Root))
            {
                if (reader.Absolute(href) is not { } absolute || !Uri.TryCreate(absolute, UriKind.Absolute, out var uri)) continue;
                if (uri.Scheme is not ("http" or "https") || !seen.Add(uri.AbsoluteUri)) continue;
                requests.Add(new CrawlRequest
                {
                    Url = uri,
                    Platform = Platform,
                    Purpose = purpose,
                    Priority = priority,
                    Depth = depth,
                    NeedsBrowser = profile.NeedsJavascript,
                    SeedOriginal = page.Request?.SeedOriginal,
                    Context = context,
                });
            }
        }
        Add(profile.NextPage, PagePurpose, 1, nextContext);
        Add(profile.ThreadLinks, ThreadPurpose, 0, threadContext);
        return requests;
    }

    private static void AddApproximate(Dictionary<string, string> extra, string field, string? text)
    {
        if (ApproximateCount.IsApproximate(text)) extra[field + "_text"] = text!.Trim();
    }

    private static List<string> Distinct(IEnumerable<string> values) =>
        values.Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    private static string Hash(params string?[] parts)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u001f", parts.Select(p => p ?? ""))));
        return Convert.ToHexStringLower(bytes)[..16];
    }

    private static string Clip(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
