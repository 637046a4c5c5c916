using System.Text;
using AngleSharp.Dom;

namespace Archiver.Platforms.Common;

/// <summary>
/// The text a reader sees in markup: markup removed, whitespace collapsed, <c>&lt;br&gt;</c> and block ends as
/// line breaks, invisible elements skipped, no leading or trailing whitespace. Two rule sets live here, both kept
/// as they were because stored texts (and so the content hashes that tell an edit) depend on them:
/// <see cref="ToText"/> (Telegram; the rules <see cref="LightHtml"/> applies to Mastodon's HTML) and
/// <see cref="Rendered"/> (Sites, Parler, Feeds; the rules the fast site parser applies too).
/// </summary>
public static class HtmlText
{
    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
        "tr", "table", "section", "article", "header", "footer", "dd", "dt", "dl", "figure", "figcaption", "hr",
    };

    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "template", "noscript", "svg", "head",
    };

    /// <summary>Reader text by the rules of <see cref="ReaderText"/> (Telegram).</summary>
    public static string ToText(INode? node)
    {
        if (node is null) return "";
        var builder = new StringBuilder();
        Walk(node, builder, preformatted: false);
        return ReaderText.Normalize(builder);
    }

    private static void Walk(INode node, StringBuilder output, bool preformatted)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText text:
                    AppendText(output, text.Data, preformatted);
                    break;
                case IElement element:
                    var name = element.LocalName;
                    if (Skipped.Contains(name)) break;
                    if (name == "br") { output.Append('\n'); break; }
                    var block = Blocks.Contains(name);
                    if (block) ReaderText.EnsureLineBreak(output);
                    Walk(element, output, preformatted || name == "pre");
                    if (block) ReaderText.EnsureLineBreak(output);
                    break;
            }
        }
    }

    private static void AppendText(StringBuilder output, string data, bool preformatted)
    {
        if (preformatted)
        {
            output.Append(data);
            return;
        }
        ReaderText.AppendCollapsed(output, data);
    }

    internal static readonly HashSet<string> RenderedBlocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
        "blockquote", "pre", "section", "article", "header", "footer", "aside", "nav", "figure", "figcaption",
        "form", "hr", "main", "address", "details", "summary", "fieldset", "center",
    };

    internal static readonly HashSet<string> RenderedSkipped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "head", "title", "iframe", "object", "svg",
    };

    /// <summary>
    /// The text as a browser renders it (Sites, Parler, Feeds): a run of line breaks kept as written, no-break
    /// spaces as spaces, <c>textarea</c> preformatted, more elements as blocks (aside, nav, form, ...) and skipped
    /// (title, iframe, object); asked for a skipped element itself, its content.
    /// </summary>
    public static string Rendered(INode? node)
    {
        if (node is null) return "";
        var writer = new RenderedText();
        // The node asked for is rendered even when it is one we skip inside text (a <title>, a <script>).
        if (node is IElement root && RenderedSkipped.Contains(root.LocalName))
            for (var child = root.FirstChild; child is not null; child = child.NextSibling) WalkRendered(child, writer, preformatted: true);
        else WalkRendered(node, writer, preformatted: false);
        return writer.Finish();
    }

    private static void WalkRendered(INode node, RenderedText writer, bool preformatted)
    {
        switch (node)
        {
            case IText text:
                writer.Append(text.Data, preformatted);
                return;
            case IElement element:
                var name = element.LocalName;
                if (RenderedSkipped.Contains(name)) return;
                if (name == "br") { writer.LineBreak(); return; }
                var block = RenderedBlocks.Contains(name);
                if (block) writer.BlockBoundary();
                var pre = preformatted || name is "pre" or "textarea";
                for (var child = element.FirstChild; child is not null; child = child.NextSibling) WalkRendered(child, writer, pre);
                if (block) writer.BlockBoundary();
                return;
            default:
                for (var child = node.FirstChild; child is not null; child = child.NextSibling) WalkRendered(child, writer, preformatted);
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
