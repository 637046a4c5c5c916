using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace Archiver.Platforms.Sites;

/// <summary>Reads <see cref="FieldSpec"/>s from one page: scope, selector, attribute or text, regular expression.</summary>
internal sealed class FieldReader(SiteProfile profile, Uri pageUrl, IDocument document)
{
    public IElement Root => document.DocumentElement;

    public IElement? Element(FieldSpec spec, IElement item)
    {
        var scope = spec.Scope == FieldScope.Page ? Root : item;
        return spec.Selector is null ? scope : scope.ChildNodes.QuerySelector(spec.Selector);
    }

    public string? One(FieldSpec spec, IElement item)
    {
        if (spec.Constant is not null) return spec.Constant;
        if (spec.Scope == FieldScope.Url) return Match(spec.Regex, pageUrl.AbsoluteUri);
        var element = Element(spec, item);
        return element is null ? null : Value(spec, element);
    }

    public IReadOnlyList<string> All(FieldSpec spec, IElement item)
    {
        if (spec.Constant is not null) return [spec.Constant];
        if (spec.Scope == FieldScope.Url) return Match(spec.Regex, pageUrl.AbsoluteUri) is { } v ? [v] : [];
        var scope = spec.Scope == FieldScope.Page ? Root : item;
        IEnumerable<IElement> elements = spec.Selector is null ? [scope] : scope.ChildNodes.QuerySelectorAll(spec.Selector);
        var values = new List<string>();
        foreach (var element in elements)
            if (Value(spec, element) is { } value) values.Add(value);
        return values;
    }

    /// <summary>An absolute URL for a link as written on the page (against the document's base), or null.</summary>
    public string? Absolute(string raw)
    {
        var trimmed = raw.Trim();
        if (trimmed.Length == 0 || trimmed.StartsWith('#') || trimmed.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase)) return null;
        var baseUrl = BaseUrl();
        return Uri.TryCreate(baseUrl, trimmed, out var absolute) ? absolute.AbsoluteUri : null;
    }

    private Uri? _base;

    private Uri BaseUrl()
    {
        if (_base is not null) return _base;
        var href = document.QuerySelector("base[href]")?.GetAttribute("href");
        _base = href is not null && Uri.TryCreate(pageUrl, href, out var b) ? b : pageUrl;
        return _base;
    }

    private string? Value(FieldSpec spec, IElement element)
    {
        var raw = spec.Attribute is not null ? element.GetAttribute(spec.Attribute)
            : spec.Html ? element.InnerHtml.Trim()
            : HtmlText.Of(element);
        if (raw is null) return null;
        if (spec.Regex is not null) return Match(spec.Regex, raw);
        var value = spec.Attribute is not null ? raw.Trim() : raw;
        return value.Length == 0 ? null : value;
    }

    private string? Match(Regex? regex, string input)
    {
        if (regex is null) return input;
        try
        {
            var match = regex.Match(input);
            if (!match.Success) return null;
            var value = match.Groups.Count > 1 ? match.Groups[1].Value : match.Value;
            return value.Length == 0 ? null : value;
        }
        catch (RegexMatchTimeoutException)
        {
            // A pathological pattern must not stall the crawl; profile name is in the caller's problem list.
            _ = profile;
            return null;
        }
    }
}
