using System.Text.RegularExpressions;

namespace Archiver.Platforms.Sites;

/// <summary>Reads <see cref="FieldSpec"/>s from one page: scope, selector, attribute or text, regular expression.</summary>
internal sealed class FieldReader<TNode>(Uri pageUrl, ISiteDom<TNode> dom)
{
    private Uri? _base;

    public ISiteDom<TNode> Dom => dom;

    public bool TryElement(FieldSpec spec, TNode item, out TNode element)
    {
        var scope = spec.Scope == FieldScope.Page ? dom.Root : item;
        if (spec.Selector is null) { element = scope; return true; }
        return dom.TrySelectFirst(scope, spec.Selector, out element);
    }

    public string? One(FieldSpec spec, TNode item)
    {
        if (spec.Constant is not null) return spec.Constant;
        if (spec.Scope == FieldScope.Url) return Match(spec.Regex, pageUrl.AbsoluteUri);
        return TryElement(spec, item, out var element) ? Value(spec, element) : null;
    }

    public IReadOnlyList<string> All(FieldSpec spec, TNode item)
    {
        if (spec.Constant is not null) return [spec.Constant];
        if (spec.Scope == FieldScope.Url) return Match(spec.Regex, pageUrl.AbsoluteUri) is { } v ? [v] : [];
        var scope = spec.Scope == FieldScope.Page ? dom.Root : item;
        IEnumerable<TNode> elements = spec.Selector is null ? [scope] : dom.SelectAll(scope, spec.Selector);
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
        return Uri.TryCreate(BaseUrl(), trimmed, out var absolute) ? absolute.AbsoluteUri : null;
    }

    private Uri BaseUrl()
    {
        if (_base is not null) return _base;
        var href = dom.BaseHref;
        _base = href is not null && Uri.TryCreate(pageUrl, href, out var b) ? b : pageUrl;
        return _base;
    }

    private string? Value(FieldSpec spec, TNode element)
    {
        var raw = spec.Attribute is not null ? dom.Attribute(element, spec.Attribute)
            : spec.Html ? dom.InnerHtml(element).Trim()
            : dom.Text(element);
        if (raw is null) return null;
        if (spec.Regex is not null) return Match(spec.Regex, raw);
        var value = spec.Attribute is not null ? raw.Trim() : raw;
        return value.Length == 0 ? null : value;
    }

    private static string? Match(Regex? regex, string input)
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
            // A pathological pattern must not stall the crawl: the field is simply absent.
            return null;
        }
    }
}
