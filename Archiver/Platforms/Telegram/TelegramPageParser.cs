using System.Text;
using AngleSharp.Html.Parser;
using Archiver.Model;
using Archiver.Platforms.Common;

namespace Archiver.Platforms.Telegram;

/// <summary>
/// A t.me/s channel page (or an embed widget page) into posts, the channel, the listing window and the next
/// page. Pure: the same page always gives the same result.
/// </summary>
public static class TelegramPageParser
{
    public const string PurposeChannelPage = "channel-page";
    public const string PurposePostEmbed = "post-embed";

    [ThreadStatic]
    private static HtmlParser? _parser;

    /// <summary>
    /// One parser per thread (a parser is not documented as thread-safe). Comments, script and style text and the
    /// path data of the bubble-tail SVGs are dropped while tokenizing: none of it is content, and it is a third of a page.
    /// </summary>
    private static HtmlParser Parser => _parser ??= new HtmlParser(new HtmlParserOptions
    {
        DisableElementPositionTracking = true,
        SkipComments = true,
        SkipScriptText = true,
        SkipRawText = true,
        ShouldEmitAttribute = static (ref AngleSharp.Html.Parser.Tokens.Struct.StructHtmlToken _, ReadOnlyMemory<char> name) => !(name.Length == 1 && name.Span[0] == 'd'),
    });

    private static readonly HashSet<string> PageClasses = new(StringComparer.Ordinal)
    {
        "tgme_widget_message", "tme_no_messages_found", "tgme_channel_info", "tgme_page", "body_widget_post",
    };

    public static ParseResult Parse(FetchedPage page)
    {
        var host = UrlTools.HostKey(page.Url);
        var channelHint = ChannelHint(page);
        if (page.Status is 404 or 410 or 451)
        {
            var key = channelHint is null ? page.Url.AbsoluteUri : PostKey.Of(TelegramPlatform.PlatformName, host, channelHint);
            return new ParseResult { Gone = [new GoneEntity(key, "channel", page.Status, $"HTTP {page.Status} from {page.Url}")] };
        }
        if (page.Status is < 200 or >= 300)
            return ParseResult.Failure($"HTTP {page.Status} from {host}: no channel page to read", page.Url.AbsoluteUri, fatal: false);
        if (page.Body.IsEmpty)
            return ParseResult.Failure("empty body: not a Telegram page", page.Url.AbsoluteUri);

        if (PageLimits.CheckSize(page.Body.Length, page.Url) is { } tooBig) return tooBig;
        // The DOM may point into the decoded buffer: it goes back to the pool only once the result is built.
        using var text = DecodeWithoutBubbleTails(page.Body.Span);
        if (PageLimits.Check(text.Memory.Span, page.Url) is { } refused) return refused;
        using var document = Parser.ParseDocument(text.Memory);
        // One walk finds the messages and the page-level markers; each further whole-page query would cost as much.
        var index = document.DocumentElement is { } root ? new ClassIndex(root, PageClasses) : null;
        var problems = new List<ParseProblem>();
        var messages = new List<TelegramMessageParser.Message>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in index?.All("tgme_widget_message") ?? [])
        {
            if (element.LocalName != "div") continue;
            var message = TelegramMessageParser.Parse(element, page.Url, host, out var problem);
            if (message is null)
            {
                problems.Add(new ParseProblem(problem ?? "unreadable message", element.GetAttribute("data-post") ?? page.Url.AbsoluteUri));
                continue;
            }
            if (seen.Add(message.Post.NativeId)) messages.Add(message);
        }

        var channel = messages.Count > 0 ? messages[0].Post.Channel : channelHint;
        var authors = new List<Author>();
        var header = TelegramChannelHeader.Parse(document, index?.First("tgme_channel_info"), index?.First("tgme_page"), page.Url, host, channel);
        if (header is not null) authors.Add(header);
        else if (messages.Count > 0) authors.Add(FromMessage(messages[0], host, page.Url));

        var noMessages = index?.First("tme_no_messages_found") is not null;
        if (messages.Count == 0 && !noMessages && authors.Count == 0 && problems.Count == 0)
            return ParseResult.Failure("not a Telegram channel page: no tgme_widget_message, channel header or 'no posts' marker", page.Url.AbsoluteUri);

        var since = TelegramPaging.Bound(page.Request?.Context, TelegramPaging.ContextSince);
        var until = TelegramPaging.Bound(page.Request?.Context, TelegramPaging.ContextUntil);
        var posts = messages
            .Where(m => m.Post.CreatedAt is not { } at || ((since is null || at >= since) && (until is null || at < until)))
            .Select(m => m.Post)
            .ToList();

        var isEmbed = page.Request?.Purpose == PurposePostEmbed || index?.First("body_widget_post") is not null;
        return new ParseResult
        {
            Posts = posts,
            Authors = authors,
            Problems = problems,
            Listing = isEmbed || channel is null ? null : Listing(page.Url, channel, messages, noMessages),
            // The channel's header is on its own pages only (any of its /s/ pages, or t.me/name), never on a post's embed.
            OwnPageOf = isEmbed ? null : header?.Key,
            Next = isEmbed || channel is null ? [] : Next(page, channel, messages, since, problems),
        };
    }

    private static ReadOnlySpan<byte> BubbleTailStart => "<svg class=\"bubble_icon\""u8;
    private static ReadOnlySpan<byte> SvgEnd => "</svg>"u8;

    /// <summary>
    /// Every message carries the same decorative SVG speech-bubble tail, about a third of a page's bytes; cutting
    /// those blocks out of the bytes before decoding halves the tokenizer's work, loses nothing, and leaves one
    /// buffer to decode instead of two.
    /// </summary>
    internal static PooledText DecodeWithoutBubbleTails(ReadOnlySpan<byte> body)
    {
        var at = body.IndexOf(BubbleTailStart);
        if (at < 0) return PooledText.Utf8(body);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(body.Length);
        try
        {
            var length = 0;
            var from = 0;
            while (at >= 0)
            {
                var end = body[at..].IndexOf(SvgEnd);
                if (end < 0) break;
                body[from..at].CopyTo(buffer.AsSpan(length));
                length += at - from;
                from = at + end + SvgEnd.Length;
                var next = body[from..].IndexOf(BubbleTailStart);
                at = next < 0 ? -1 : from + next;
            }
            body[from..].CopyTo(buffer.AsSpan(length));
            length += body.Length - from;
            return PooledText.Utf8(buffer.AsSpan(0, length));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string? ChannelHint(FetchedPage page)
    {
        if (page.Request?.Context.TryGetValue(TelegramPaging.ContextChannel, out var fromContext) == true) return fromContext;
        var segments = page.Url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length > 0 && segments[0] == "s") segments = segments[1..];
        return segments.Length > 0 && TelegramSeeds.IsChannelName(segments[0]) ? segments[0] : null;
    }

    private static ListingWindow? Listing(Uri url, string channel, List<TelegramMessageParser.Message> messages, bool noMessages)
    {
        var before = TelegramPaging.Before(url);
        var own = messages.Where(m => m.Post.Channel == channel).ToList();
        if (own.Count == 0)
            return noMessages ? new ListingWindow(channel, 1, before is { } b ? b - 1 : long.MaxValue, [], Head: before is null) : null;
        var ids = own.SelectMany(m => m.AlbumIds).Distinct().Order().ToList();
        // The page lists everything from its smallest id up to just below 'before' (or everything newer on the first page).
        var to = before is { } limit ? limit - 1 : ids[^1];
        return new ListingWindow(channel, ids[0], Math.Max(to, ids[^1]), ids.Select(i => $"{channel}/{i}").ToList(), Head: before is null);
    }

    private static List<CrawlRequest> Next(FetchedPage page, string channel, List<TelegramMessageParser.Message> messages,
        DateTime? since, List<ParseProblem> problems)
    {
        var ids = messages.Where(m => m.Post.Channel == channel).Select(m => m.Id).ToList();
        if (ids.Count == 0) return [];
        var smallest = ids.Min();
        if (smallest <= 1) return [];
        var before = TelegramPaging.Before(page.Url);
        if (before is { } current && smallest >= current)
        {
            problems.Add(new ParseProblem($"page before={current} did not move back (smallest id {smallest}); paging stopped to avoid a loop", page.Url.AbsoluteUri));
            return [];
        }
        var oldest = messages.Where(m => m.Post.CreatedAt is not null).Select(m => m.Post.CreatedAt!.Value).DefaultIfEmpty().Min();
        if (since is { } bound && oldest != default && oldest < bound) return [];

        var context = new Dictionary<string, string>(page.Request?.Context ?? CrawlRequest.EmptyContext, StringComparer.Ordinal)
        {
            [TelegramPaging.ContextChannel] = channel,
            [TelegramPaging.ContextBefore] = smallest.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return
        [
            new CrawlRequest
            {
                Url = TelegramPaging.PageUrl(page.Url, channel, smallest),
                Platform = TelegramPlatform.PlatformName,
                Purpose = PurposeChannelPage,
                Priority = (page.Request?.Priority ?? TelegramPlatform.NewestPriority) - 1,
                Depth = page.Request?.Depth ?? 0,
                SeedOriginal = page.Request?.SeedOriginal,
                Context = context,
            },
        ];
    }

    private static Author FromMessage(TelegramMessageParser.Message message, string host, Uri page)
    {
        var channel = message.Post.Channel!;
        return new Author
        {
            Platform = TelegramPlatform.PlatformName,
            Host = host,
            NativeId = channel,
            Handle = channel,
            DisplayName = message.ChannelTitle,
            Url = $"{UrlTools.Origin(page)}/{channel}",
            Kind = "channel",
        };
    }
}
