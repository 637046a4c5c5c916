using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Archiver.Model;
using Archiver.Platforms.Common;
using Archiver.Platforms.Sites;

namespace Archiver.Platforms.Parler;

/// <summary>One Parler post card as the 2021 web front end rendered it: author header, body, media, counts.</summary>
internal sealed partial record ParlerCard
{
    public required string? Username { get; init; }
    public required string? DisplayName { get; init; }
    public required string? Photo { get; init; }
    public required string? Badge { get; init; }
    public required string? Timestamp { get; init; }
    public required string? Text { get; init; }
    public required string? Html { get; init; }
    public required long? Views { get; init; }
    public required IReadOnlyList<string> Hashtags { get; init; }
    public required IReadOnlyList<string> Mentions { get; init; }
    /// <summary>The first mention as the reference parser's <c>@\w+</c> finds it, for <see cref="PostHash"/>.</summary>
    public required string? FirstWordMention { get; init; }
    public required IReadOnlyList<ParlerMedium> Media { get; init; }

    // Badge images as the reference parser names them (parler_parser userParserHelper.badge_map).
    private static readonly Dictionary<string, string> Badges = new(StringComparer.Ordinal)
    {
        ["00.svg"] = "Citizen",
        ["01.svg"] = "Influencer",
        ["02.svg"] = "Partnership",
        ["03.svg"] = "Affiliate",
        ["04.svg"] = "Locked",
        ["05.svg"] = "Citizen Restricted Comments",
        ["06.svg"] = "What is this",
        ["07.svg"] = "Employee",
        ["09.svg"] = "Early Adopter",
    };

    [GeneratedRegex(@"#(\w+)")]
    private static partial Regex HashtagPattern();

    [GeneratedRegex(@"@\w+")]
    private static partial Regex MentionPattern();

    public static ParlerCard Read(IElement card)
    {
        var header = card.QuerySelector(".card--header") ?? card;
        var badgeSrc = header.QuerySelector("img[alt='Badge']")?.GetAttribute("src");
        var body = card.QuerySelector(".card--body");
        var paragraph = body?.QuerySelector("p");
        var text = paragraph is null ? null : HtmlText.Rendered(paragraph);
        var mentions = paragraph?.QuerySelectorAll("span.at").Select(s => HtmlText.Rendered(s).TrimStart('@').Trim()).Where(s => s.Length > 0).ToList() ?? [];
        if (mentions.Count == 0 && text is not null) mentions = MentionPattern().Matches(text).Select(m => m.Value[1..]).ToList();
        return new ParlerCard
        {
            Username = Clean(header.QuerySelector(".author--username")?.TextContent),
            DisplayName = Clean(header.QuerySelector(".author--name")?.TextContent),
            Photo = header.QuerySelector("img[alt='Post Author Profile Pic']")?.GetAttribute("src")
                ?? header.QuerySelector("img[alt='Comment Author Profile Pic']")?.GetAttribute("src"),
            Badge = badgeSrc is null ? null : Badges.GetValueOrDefault(badgeSrc[(badgeSrc.LastIndexOf('/') + 1)..]),
            Timestamp = Clean(header.QuerySelector(".post--timestamp")?.TextContent),
            Text = text,
            // The reference parser's text is BeautifulSoup's get_text(" "): text nodes joined by single spaces.
            RawText = paragraph is null ? null : string.Join(' ', paragraph.Descendants<AngleSharp.Dom.IText>().Select(t => t.Data)),
            Html = paragraph?.InnerHtml,
            Views = ApproximateCount.Find(header.QuerySelector(".impressions--count")?.TextContent),
            Hashtags = text is null ? [] : HashtagPattern().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList(),
            Mentions = mentions.Distinct(StringComparer.Ordinal).ToList(),
            FirstWordMention = text is null ? null : MentionPattern().Match(text) is { Success: true } m ? m.Value : null,
            Media = body is null ? [] : body.QuerySelectorAll("div[class*='mc-'][class*='--container']").Select(ParlerMedium.Read).OfType<ParlerMedium>().ToList(),
        };
    }

    /// <summary>
    /// The reference parser's identity for a post without a Parler id: md5 hex of the text, of the @username, of the
    /// first hashtag, of the first mention, and of an always-empty fifth part, concatenated.
    /// </summary>
    public string PostHash()
    {
        static string Md5(string? s) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(s ?? "")));
        return Md5(RawText ?? Text) + Md5(Username) + Md5(Hashtags.FirstOrDefault()) + Md5(FirstWordMention) + Md5(null);
    }

    /// <summary>The paragraph's text nodes joined by spaces, whitespace not collapsed, which the reference hash uses.</summary>
    public string? RawText { get; init; }

    public static string? Clean(string? s)
    {
        var t = s?.Trim();
        return string.IsNullOrEmpty(t) ? null : t;
    }

    public string? Handle => Username?.TrimStart('@');

    public Author? ToAuthor(string host) => Handle is null ? null : new Author
    {
        Platform = ParlerPlatform.PlatformName,
        Host = host,
        NativeId = Handle,
        Handle = Handle,
        DisplayName = DisplayName,
        AvatarUrl = Photo,
        Url = $"https://parler.com/profile/{Handle}/posts",
        Extra = Badge is null ? Post.EmptyExtra : new Dictionary<string, string> { ["badge"] = Badge },
    };

    public string MediaJson() => JsonSerializer.Serialize(Media.Select(m => new Dictionary<string, object?>
    {
        ["medium_type"] = m.Type,
        ["title"] = m.Title,
        ["excerpt"] = m.Excerpt,
        ["image_src"] = m.ImageSrc,
        ["link_src"] = m.LinkSrc,
        ["sensitive"] = m.Sensitive,
    }), new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}

/// <summary>One media container (<c>mc-TYPE--container</c>): article, audio, basic, iframe-embed, image, video, website.</summary>
internal sealed record ParlerMedium(string Type, string? Title, string? Excerpt, string? ImageSrc, string? LinkSrc, bool Sensitive)
{
    public static ParlerMedium? Read(IElement container)
    {
        var cls = container.ClassList.FirstOrDefault(c => c.StartsWith("mc-", StringComparison.Ordinal) && c.EndsWith("--container", StringComparison.Ordinal));
        if (cls is null) return null;
        var type = cls[3..^"--container".Length];
        var sensitive = container.ClassList.Any(c => c.Contains("sensitive", StringComparison.OrdinalIgnoreCase))
            || container.QuerySelector("[class*='sensitive']") is not null;
        if (type == "image")
            return new ParlerMedium(type, null, null, container.QuerySelector(".mc-image--wrapper img")?.GetAttribute("src"), null, sensitive);
        var link = container.QuerySelector($"span.mc-{type}--link a");
        var linkText = link is null ? null : ParlerCard.Clean(link.TextContent);
        if (type == "video") linkText ??= container.QuerySelector("video source[src], video[src]")?.GetAttribute("src");
        return new ParlerMedium(
            type,
            container.QuerySelector($"span.mc-{type}--title")?.TextContent.Trim(),
            container.QuerySelector($"span.mc-{type}--excerpt")?.TextContent.Trim(),
            container.QuerySelector($".mc-{type}--image img")?.GetAttribute("src"),
            linkText,
            sensitive);
    }

    /// <summary>The record's media kind for this container.</summary>
    public MediaRef ToMediaRef() => new()
    {
        Kind = Type switch
        {
            "image" => "photo",
            "video" => "video",
            "audio" => "audio",
            "iframe-embed" => "embed",
            _ => "link_preview",
        },
        Url = Type == "image" ? ImageSrc : LinkSrc,
        Title = string.IsNullOrEmpty(Title) ? null : Title,
        Description = string.IsNullOrEmpty(Excerpt) ? null : Excerpt,
    };
}
