using System.Text;
using AngleSharp.Dom;

namespace Archiver.Platforms.Sites;

/// <summary>
/// The text a reader sees in an element: markup removed, whitespace collapsed as a browser renders it,
/// <c>&lt;br&gt;</c> and block ends as line breaks, scripts and styles dropped, no leading or trailing space.
/// (Platforms/Common gets a shared helper from another branch; this one serves Sites, Parler and Feeds.)
/// </summary>
public static class HtmlText
{
    internal static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
        "blockquote", "pre", "section", "article", "header", "footer", "aside", "nav", "figure", "figcaption",
        "form", "hr", "main", "address", "details", "summary", "fieldset", "center",
    };

    internal static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "head", "title", "iframe", "object", "svg",
    };

    public static string Of(INode? node)
    {
        if (node is null) return "";
        var writer = new RenderedText();
        // The node asked for is rendered even when it is one we skip inside text (a <title>, a <script>).
        if (node is IElement root && Skipped.Contains(root.LocalName))
            for (var child = root.FirstChild; child is not null; child = child.NextSibling) Walk(child, writer, preformatted: true);
        else Walk(node, writer, preformatted: false);
        return writer.Finish();
    }

    private static void Walk(INode node, RenderedText writer, bool preformatted)
    {
        switch (node)
        {
            case IText text:
                writer.Append(text.Data, preformatted);
                return;
            case IElement element:
                var name = element.LocalName;
                if (Skipped.Contains(name)) return;
                if (name == "br") { writer.LineBreak(); return; }
                var block = Blocks.Contains(name);
                if (block) writer.BlockBoundary();
                var pre = preformatted || name is "pre" or "textarea";
                for (var child = element.FirstChild; child is not null; child = child.NextSibling) Walk(child, writer, pre);
                if (block) writer.BlockBoundary();
                return;
            default:
                for (var child = node.FirstChild; child is not null; child = child.NextSibling) Walk(child, writer, preformatted);
                return;
        }
    }

}

/// <summary>Accumulates text as a browser renders it: collapsible whitespace, line breaks, block boundaries.</summary>
internal sealed class RenderedText
{
    private readonly StringBuilder _text = new();
    private bool _pendingSpace;
    private int _pendingBreaks;

    public void Append(string data, bool preformatted)
    {
        foreach (var c in data)
        {
            if (preformatted && c == '\n') { LineBreak(); continue; }
            if (!preformatted && IsCollapsible(c)) { _pendingSpace = true; continue; }
            Flush();
            _text.Append(c == '\u00A0' && !preformatted ? ' ' : c);
        }
    }

    public void LineBreak()
    {
        _pendingBreaks++;
        _pendingSpace = false;
    }

    public void BlockBoundary()
    {
        if (_pendingBreaks == 0) _pendingBreaks = 1;
        _pendingSpace = false;
    }

    private void Flush()
    {
        if (_text.Length > 0)
        {
            if (_pendingBreaks > 0) _text.Append('\n', _pendingBreaks);
            else if (_pendingSpace) _text.Append(' ');
        }
        _pendingBreaks = 0;
        _pendingSpace = false;
    }

    public string Finish() => _text.ToString().Trim();

    private static bool IsCollapsible(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f';
}
