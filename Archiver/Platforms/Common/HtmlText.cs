using System.Text;
using AngleSharp.Dom;

namespace Archiver.Platforms.Common;

/// <summary>
/// Turns markup into the text a reader sees: whitespace collapsed as a browser does, <c>&lt;br&gt;</c> and block
/// ends as line breaks, entities decoded, invisible elements skipped, no leading or trailing whitespace.
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


}
