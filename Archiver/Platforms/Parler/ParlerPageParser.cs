using AngleSharp.Dom;
using Archiver.Model;
using Archiver.Platforms.Common;
using Archiver.Platforms.Sites;

namespace Archiver.Platforms.Parler;

/// <summary>
/// Parler's 2021 server-rendered pages: a single post (<c>/post/ID</c>) or a profile's posts
/// (<c>/profile/NAME/posts</c>). An echo is stored as the echo itself plus the echoed post (and, for an echo of an
/// echo, the root post), each with the counts the page attributes to it.
/// </summary>
internal static class ParlerPageParser
{
    public const string Quote = "quote";

    private sealed class Output(string host, CaptureTime capture)
    {
        public readonly List<Post> Posts = [];
        public readonly Dictionary<string, Author> Authors = new(StringComparer.Ordinal);
        public readonly string Host = host;
        public readonly CaptureTime Capture = capture;
        private readonly Dictionary<string, string> _claimed = new(StringComparer.Ordinal);

        /// <summary>
        /// The id a card is stored under, or null when the same card (same fingerprint) is already on the page, as an
        /// echoed post shown by several echoes is. A fallback id (the reference's post_hash, or the echo's name) is
        /// shared by different cards whenever their text, author and first tag agree ("#Stopthesteal" three times, two
        /// image-only posts by one user): a card of its own (<paramref name="ownCard"/>: the main post of a card
        /// wrapper), or one with another fingerprint, gets the next free "-2", "-3" in page order, so each card keeps
        /// its own identity and a re-parse of the page gives the same ids.
        /// </summary>
        public string? Claim(string id, string fingerprint, bool isFallback, bool ownCard)
        {
            if (_claimed.TryGetValue(id, out var existing))
            {
                if (!isFallback || (!ownCard && existing == fingerprint)) return null;
                var n = 2;
                while (_claimed.ContainsKey($"{id}-{n}")) n++;
                id = $"{id}-{n}";
            }
            _claimed[id] = fingerprint;
            return id;
        }
    }

    /// <summary>The capture time the relative ages are counted back from, where it came from, or why there is none.</summary>
    public sealed record CaptureTime(DateTime? At, string Source);

    public static ParseResult Parse(IDocument document, FetchedPage page, string host, CaptureTime capture)
    {
        var output = new Output(host, capture);
        var problems = new List<ParseProblem>();
        var profile = document.QuerySelector("#hero--wrapper");
        string? channel = null;
        if (profile is not null)
        {
            var author = ReadProfile(profile, host);
            if (author is not null) { output.Authors[author.NativeId] = author; channel = author.Handle; }
            var wrappers = document.QuerySelectorAll("div.post--card--wrapper");
            foreach (var wrapper in wrappers) ReadCardWrapper(wrapper, output, PostIdIn(wrapper), channel, document, author);
            if (wrappers.Length == 0) problems.Add(new ParseProblem("profile page without posts", page.Url.AbsoluteUri));
        }
        else if (document.QuerySelector("div.card--post-container") is { } single)
        {
            var id = document.QuerySelector("meta[property='og:url']")?.GetAttribute("content") is { } og && og.Contains("/post/", StringComparison.Ordinal)
                ? og[(og.LastIndexOf("/post/", StringComparison.Ordinal) + 6)..].Trim('/')
                : null;
            ReadCardWrapper(single.ParentElement ?? single, output, string.IsNullOrEmpty(id) ? null : id, null, document, null);
        }
        else if (document.QuerySelector("app-root") is not null)
            problems.Add(new ParseProblem("Parler's JavaScript app shell: this capture holds no server-rendered posts", page.Url.AbsoluteUri));
        else
            problems.Add(new ParseProblem("not a Parler post or profile page (no post card, no profile header)", page.Url.AbsoluteUri));
        if (output.Posts.Count == 0 && problems.Count == 0)
            problems.Add(new ParseProblem("a post card without a readable post (no author header or body)", page.Url.AbsoluteUri));
        return new ParseResult { Posts = output.Posts, Authors = output.Authors.Values.ToList(), Problems = problems };
    }

    private static Author? ReadProfile(IElement hero, string host)
    {
        var username = ParlerCard.Clean(hero.QuerySelector(".profile--username")?.TextContent)?.TrimStart('@');
        if (username is null) return null;
        var bio = hero.QuerySelector(".profile--bio")?.TextContent;
        var lines = bio?.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);
        var description = lines is null ? null : string.Join('\n', lines);
        var cover = hero.QuerySelector("#hero--top img")?.GetAttribute("src");
        return new Author
        {
            Platform = ParlerPlatform.PlatformName,
            Host = host,
            NativeId = username,
            Handle = username,
            DisplayName = ParlerCard.Clean(hero.QuerySelector(".profile--name")?.TextContent),
            Description = string.IsNullOrEmpty(description) ? null : description,
            AvatarUrl = hero.QuerySelector(".profile-photo-image img")?.GetAttribute("src"),
            Url = $"https://parler.com/profile/{username}/posts",
            Extra = cover is null ? Post.EmptyExtra : new Dictionary<string, string> { ["cover_photo"] = cover },
        };
    }

    /// <summary>On profile pages the only trace of a post's id is its comment-list toggle.</summary>
    private static string? PostIdIn(IElement wrapper) =>
        wrapper.QuerySelector("[id^='show-comments-']")?.Id?["show-comments-".Length..] is { Length: > 0 } id ? id : null;

    private static void ReadCardWrapper(IElement scope, Output output, string? id, string? channel, IDocument document, Author? profileOwner)
    {
        var container = scope.QuerySelector("div.card--post-container") ?? scope;
        var byline = container.QuerySelector("div.echo-byline--wrapper");
        var reply = container.QuerySelector("span.reblock.show-under-echo");
        var original = container.QuerySelector("span.reblock.post");
        var parentElement = container.QuerySelector("span.reblock.echo--parent");
        var rootElement = container.QuerySelector("span.reblock.echo--root");
        var counts = container.QuerySelectorAll(".card--footer .pa--item--count").Select(c => ApproximateCount.Find(c.TextContent)).ToList();
        long? Count(int i) => i < counts.Count ? counts[i] : null;

        if (byline is null)
        {
            if (original is null) return;
            var card = ParlerCard.Read(original);
            var postId = Add(output, card, id, card.PostHash(), PostKinds.Post, 1, "new post", channel, Count(0), Count(1), Count(2), null, ownCard: true);
            ReadComments(scope, output, postId ?? id ?? card.PostHash(), channel);
            return;
        }

        ParlerCard? root = rootElement is null ? null : ParlerCard.Read(rootElement);
        var rootId = root is null ? null : Add(output, root, null, root.PostHash(), PostKinds.Post, 0, null, channel, null, null, null, null) ?? root.PostHash();
        var parent = parentElement is null ? null : ParlerCard.Read(parentElement);
        string? parentId = null;

        if (reply is null)
        {
            // An echo without a comment: the footer's counts are the echoed post's (as the reference parser reads it).
            if (parent is not null)
                parentId = Add(output, parent, null, parent.PostHash(), root is null ? PostKinds.Post : Quote, 0, null, channel, Count(0), Count(1), Count(2), rootId) ?? parent.PostHash();
            var echoer = EchoerOf(byline, document, profileOwner);
            var typeId = root is null ? 2 : 4;
            var typeName = root is null ? "echoed post" : "echoed post with root echo and no reply";
            // Without a Parler id an echo is identified by who echoed what: every echo by one user has the same (empty) text.
            Add(output, echoer, id, $"echo:{echoer.Handle}:{parentId}", PostKinds.Reblog, typeId, typeName, channel, null, null, null, parentId,
                reblogOf: parent, bylineTimestamp: ParlerCard.Clean(byline.QuerySelector(".eb--timestamp")?.TextContent), ownCard: true);
        }
        else
        {
            if (parent is not null)
                parentId = Add(output, parent, null, parent.PostHash(), root is null ? PostKinds.Post : Quote, 0, null, channel, null, null, null, rootId) ?? parent.PostHash();
            var main = ParlerCard.Read(reply);
            Add(output, main, id, main.PostHash(), Quote, root is null ? 3 : 5, root is null ? "echoed post with reply" : "echoed post with root echo and reply",
                channel, Count(0), Count(1), Count(2), parentId, ownCard: true);
        }
    }

    /// <summary>The echoer of an echo without comment: name from "Echoed By NAME", handle from the page title.</summary>
    private static ParlerCard EchoerOf(IElement byline, IDocument document, Author? profileOwner)
    {
        var statement = ParlerCard.Clean(byline.QuerySelector(".eb--statement")?.TextContent);
        var name = statement is not null && statement.StartsWith("Echoed By ", StringComparison.Ordinal) ? statement[10..].Trim() : statement;
        var title = document.QuerySelector("meta[name='twitter:title']")?.GetAttribute("content")?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        var username = profileOwner is not null ? "@" + profileOwner.Handle : title;
        return new ParlerCard
        {
            Username = username,
            DisplayName = name,
            Photo = byline.QuerySelector(".eb--profile-pic img")?.GetAttribute("src"),
            Badge = null,
            Timestamp = ParlerCard.Clean(byline.QuerySelector(".eb--timestamp")?.TextContent),
            Text = null,
            RawText = null,
            Html = null,
            Views = null,
            Hashtags = [],
            Mentions = [],
            FirstWordMention = null,
            Media = [],
        };
    }

    private static void ReadComments(IElement scope, Output output, string postId, string? channel)
    {
        foreach (var comment in scope.QuerySelectorAll("div.comment--card--wrapper, div.reply--card--wrapper"))
        {
            var card = comment.QuerySelector(".card--comment-container");
            if (card is null) continue;
            var read = ParlerCard.Read(card);
            var id = comment.QuerySelector("[id^='show-replies-']")?.Id?["show-replies-".Length..] is { Length: > 0 } own ? own : read.PostHash();
            var parentComment = comment.ClassList.Contains("reply--card--wrapper")
                ? comment.Closest("div.comment--card--wrapper")?.QuerySelector("[id^='show-replies-']")?.Id?["show-replies-".Length..]
                : null;
            var counts = card.QuerySelectorAll(".card--footer .ca--item--count").Select(c => ApproximateCount.Find(c.TextContent)).ToList();
            var post = Build(output, read, id, PostKinds.Reply, 0, null, channel, counts.ElementAtOrDefault(0), null, counts.ElementAtOrDefault(2), null);
            output.Posts.Add(post with { ReplyTo = parentComment ?? postId, Extra = new Dictionary<string, string>(post.Extra) { ["downvotes"] = counts.ElementAtOrDefault(1)?.ToString() ?? "" } });
        }
    }

    /// <summary>
    /// Adds a card under Parler's id, else under <paramref name="fallbackId"/> made unique on the page (see
    /// <see cref="Output.Claim"/>); returns the id it was stored under, or null when the same card was already there
    /// (its first id is then the fallback id as given, or the Parler id).
    /// </summary>
    private static string? Add(Output output, ParlerCard card, string? parlerId, string fallbackId, string kind, int typeId, string? typeName, string? channel,
        long? comments, long? echoes, long? upvotes, string? target, ParlerCard? reblogOf = null, string? bylineTimestamp = null, bool ownCard = false)
    {
        var fingerprint = string.Join('\u001f', card.Handle, card.Text, card.Html, card.Timestamp ?? bylineTimestamp, card.MediaJson(), target);
        var id = output.Claim(parlerId ?? fallbackId, fingerprint, isFallback: parlerId is null, ownCard);
        if (id is null) return null;
        output.Posts.Add(Build(output, card, id, kind, typeId, typeName, channel, comments, echoes, upvotes, target, reblogOf, bylineTimestamp));
        return id;
    }

    private static Post Build(Output output, ParlerCard card, string id, string kind, int typeId, string? typeName, string? channel,
        long? comments, long? echoes, long? upvotes, string? target, ParlerCard? reblogOf = null, string? bylineTimestamp = null)
    {
        if (card.ToAuthor(output.Host) is { } author) output.Authors.TryAdd(author.NativeId, author);
        var timestamp = card.Timestamp ?? bylineTimestamp;
        var extra = new Dictionary<string, string>(StringComparer.Ordinal) { ["post_hash"] = card.PostHash() };
        var createdAt = RelativeAge.Estimate(output.Capture.At ?? default, timestamp);
        if (timestamp is not null)
        {
            extra["timestamp"] = timestamp;
            if (createdAt is not null)
            {
                // Parler showed only "2 weeks ago": the time is the capture time minus that, as exact as its unit.
                extra["created_at_estimated"] = "true";
                extra["captured_at"] = output.Capture.At!.Value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
                extra["captured_at_source"] = output.Capture.Source;
            }
            else if (output.Capture.At is null) extra["created_at_unknown"] = output.Capture.Source;
        }
        if (typeName is not null) { extra["post_type"] = typeName; extra["post_type_id"] = typeId.ToString(System.Globalization.CultureInfo.InvariantCulture); }
        if (card.Badge is not null) extra["badge"] = card.Badge;
        if (card.Media.Count > 0) extra["media"] = card.MediaJson();
        if (kind == PostKinds.Reblog && target is not null) extra["reblog_of"] = target;
        if (kind == Quote && target is not null) extra["quote_id"] = target;
        var isParlerId = id.Length == 32 && id.All(char.IsAsciiHexDigit);
        return new Post
        {
            Platform = ParlerPlatform.PlatformName,
            Host = output.Host,
            NativeId = id,
            Url = isParlerId ? $"https://parler.com/post/{id}" : null,
            Channel = channel,
            AuthorId = card.Handle,
            AuthorHandle = card.Handle,
            AuthorName = card.DisplayName,
            CreatedAt = createdAt,
            Kind = kind,
            Text = card.Text ?? "",
            Html = card.Html,
            ForwardedFrom = reblogOf?.Handle,
            Hashtags = card.Hashtags,
            Mentions = card.Mentions,
            Links = card.Media.Where(m => m.Type != "image" && m.LinkSrc is not null && Uri.IsWellFormedUriString(m.LinkSrc, UriKind.Absolute))
                .Select(m => m.LinkSrc!).Distinct(StringComparer.Ordinal).ToList(),
            Media = card.Media.Select(m => m.ToMediaRef()).ToList(),
            Views = card.Views,
            Replies = comments,
            Shares = echoes,
            Likes = upvotes,
            Extra = extra,
        };
    }
}
