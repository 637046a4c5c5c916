using AngleSharp.Css.Dom;
using AngleSharp.Dom;
using Archiver.Platforms.Common;
using Archiver.Platforms.Sites.Fast;

namespace Archiver.Platforms.Sites;

/// <summary>What the profile reader needs from a parsed page, for either parser's tree.</summary>
internal interface ISiteDom<TNode>
{
    TNode Root { get; }
    IEnumerable<TNode> SelectAll(TNode scope, ProfileSelector selector);
    bool TrySelectFirst(TNode scope, ProfileSelector selector, out TNode found);
    string? Attribute(TNode node, string name);
    string Text(TNode node);
    string InnerHtml(TNode node);
    string? BaseHref { get; }
    IEnumerable<string> LinkHrefs(TNode node);
    /// <summary>The language the page declares for a node: the nearest <c>lang</c> (or <c>xml:lang</c>) on it or an ancestor (HTML's rule).</summary>
    string? Language(TNode node);
}

internal sealed class AngleSharpDom(IDocument document) : ISiteDom<IElement>
{
    public IElement Root => document.DocumentElement;
    public IEnumerable<IElement> SelectAll(IElement scope, ProfileSelector selector) => scope.ChildNodes.QuerySelectorAll(selector.Css);

    public bool TrySelectFirst(IElement scope, ProfileSelector selector, out IElement found)
    {
        found = scope.ChildNodes.QuerySelector(selector.Css)!;
        return found is not null;
    }

    public string? Attribute(IElement node, string name) => node.GetAttribute(name);
    public string Text(IElement node) => HtmlText.Rendered(node);
    public string InnerHtml(IElement node) => node.InnerHtml;
    public string? BaseHref => document.QuerySelector("base[href]")?.GetAttribute("href");
    public IEnumerable<string> LinkHrefs(IElement node) => node.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!);

    public string? Language(IElement node)
    {
        for (var e = node; e is not null; e = e.ParentElement)
            if ((e.GetAttribute("lang") ?? e.GetAttribute("xml:lang")) is { } lang) return lang;
        return null;
    }

    /// <summary>Items are matched from the document, so that selectors may name html/body.</summary>
    public IEnumerable<IElement> Items(ProfileSelector selector) => document.ChildNodes.QuerySelectorAll(selector.Css);
}

internal sealed class FastDom(FastDocument document) : ISiteDom<int>
{
    private static readonly FastSelector Links = FastSelector.TryParse("a[href]")!;
    private static readonly FastSelector Base = FastSelector.TryParse("base[href]")!;

    public int Root => FastDocument.Root;
    public IEnumerable<int> SelectAll(int scope, ProfileSelector selector) => selector.Fast!.SelectAll(document, scope);

    public bool TrySelectFirst(int scope, ProfileSelector selector, out int found)
    {
        found = selector.Fast!.SelectFirst(document, scope);
        return found >= 0;
    }

    public string? Attribute(int node, string name) => document.Attribute(node, name);
    public string Text(int node) => FastText.Of(document, node);
    public string InnerHtml(int node) => document.InnerHtml(node);
    public string? BaseHref => Base.SelectFirst(document, FastDocument.Root) is var b and >= 0 ? document.Attribute(b, "href") : null;
    public IEnumerable<string> LinkHrefs(int node) => Links.SelectAll(document, node).Select(a => document.Attribute(a, "href")!);

    public string? Language(int node)
    {
        for (var n = node; n > FastDocument.Root; n = document.Parent(n))
            if ((document.Attribute(n, "lang") ?? document.Attribute(n, "xml:lang")) is { } lang) return lang;
        return null;
    }
}

/// <summary><see cref="HtmlText.Rendered"/> rules over a <see cref="FastDocument"/>.</summary>
internal static class FastText
{
    public static string Of(FastDocument doc, int node)
    {
        var text = new RenderedText();
        if (doc.Name(node) is { } name && HtmlText.RenderedSkipped.Contains(name))
            for (var child = doc.FirstChild(node); child >= 0; child = doc.NextSibling(child)) Walk(doc, child, text, preformatted: true);
        else Walk(doc, node, text, preformatted: false);
        return text.Finish();
    }

    private static void Walk(FastDocument doc, int node, RenderedText text, bool preformatted)
    {
        var name = doc.Name(node);
        if (name is null) { text.Append(doc.Text(node), preformatted); return; }
        if (HtmlText.RenderedSkipped.Contains(name)) return;
        if (name == "br") { text.LineBreak(); return; }
        var block = HtmlText.RenderedBlocks.Contains(name);
        if (block) text.BlockBoundary();
        var pre = preformatted || name is "pre" or "textarea";
        for (var child = doc.FirstChild(node); child >= 0; child = doc.NextSibling(child)) Walk(doc, child, text, pre);
        if (block) text.BlockBoundary();
    }
}
