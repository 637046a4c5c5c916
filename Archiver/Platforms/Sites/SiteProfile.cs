using System.Text.RegularExpressions;

namespace Archiver.Platforms.Sites;

/// <summary>
/// A declarative description of a site's layout, loaded from a JSON file at run time: which elements are
/// posts and where each field of a post sits. A layout change is fixed by editing the file.
/// </summary>
public sealed record SiteProfile
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    /// <summary>Where the profile was loaded from (a path), for messages.</summary>
    public string? Source { get; init; }
    /// <summary>Regular expressions over absolute URLs this profile parses (for imports and <c>CanParse</c>).</summary>
    public IReadOnlyList<Regex> Urls { get; init; } = [];
    public required ProfileSelector Item { get; init; }
    public string ItemText => Item.Text;
    public SiteParserKind Parser { get; init; } = SiteParserKind.Standard;
    public IReadOnlyDictionary<string, FieldSpec> Fields { get; init; } = new Dictionary<string, FieldSpec>();
    /// <summary>.NET custom date formats tried in order; ISO 8601 and RFC 1123 are always tried after them.</summary>
    public IReadOnlyList<string> DateFormats { get; init; } = [];
    public string? DateCulture { get; init; }
    public FieldSpec? NextPage { get; init; }
    public FieldSpec? ThreadLinks { get; init; }
    public bool NeedsJavascript { get; init; }
    /// <summary>
    /// The site promises that a page shows every post of its channel in a run of increasing numeric ids, continued
    /// by <see cref="NextPage"/> (a forum thread): a re-crawl may then take an archived post missing from the run
    /// as deleted. Off unless the profile says <c>"listing": true</c>.
    /// </summary>
    public bool Listing { get; init; }
    /// <summary>For the browser fetcher: a selector to wait for before the page counts as rendered.</summary>
    public string? WaitFor { get; init; }

    /// <summary>The field names a profile may use; anything else in "fields" is kept in Extra.</summary>
    public static readonly IReadOnlySet<string> KnownFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "url", "author", "author_id", "author_name", "channel", "date", "text", "likes", "shares", "views",
        "replies", "links", "hashtags", "mentions", "reply_to", "title", "media",
    };

    public bool Matches(Uri url) => Urls.Any(r => r.IsMatch(url.AbsoluteUri));
}

/// <summary>Where a value comes from.</summary>
public enum FieldScope
{
    /// <summary>Relative to the post element (the default).</summary>
    Item,
    /// <summary>Anywhere in the page (e.g. a thread title shared by every post).</summary>
    Page,
    /// <summary>The page URL itself, through <see cref="FieldSpec.Regex"/>.</summary>
    Url,
}

/// <summary>
/// One field: a CSS selector (none = the scope element itself), an attribute (none = the text), an optional
/// regular expression whose first group (or whole match) is kept, or a constant.
/// </summary>
public sealed record FieldSpec
{
    public ProfileSelector? Selector { get; init; }
    public string? SelectorText => Selector?.Text;
    public string? Attribute { get; init; }
    public Regex? Regex { get; init; }
    public FieldScope Scope { get; init; } = FieldScope.Item;
    public string? Constant { get; init; }
    /// <summary>Keep the inner HTML (for "text": also stored as the post's Html).</summary>
    public bool Html { get; init; }

    public override string ToString() =>
        Constant is not null ? $"\"{Constant}\""
        : $"{(Scope == FieldScope.Item ? "" : Scope.ToString().ToLowerInvariant() + ":")}{SelectorText}{(Attribute is null ? "" : "@" + Attribute)}{(Regex is null ? "" : " ~ " + Regex)}";
}

/// <summary>Which HTML parser a profile runs on.</summary>
public enum SiteParserKind
{
    /// <summary>AngleSharp: the full HTML5 tree builder, right for any real-world page.</summary>
    Standard,
    /// <summary><see cref="Fast.FastHtmlParser"/>: for machine-generated, well-formed pages only.</summary>
    Fast,
}
