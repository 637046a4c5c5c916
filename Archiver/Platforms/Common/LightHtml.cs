using System.Net;
using System.Text;

namespace Archiver.Platforms.Common;

/// <summary>
/// A fast reader for the small, sanitised HTML of API fields (Mastodon <c>content</c>: p, br, a, span): the
/// text a reader sees, by the same rules as <see cref="HtmlText"/>, and the anchors with their classes. A whole
/// DOM per status would cost more than the rest of the status; this scanner never throws on broken markup.
/// </summary>
public static class LightHtml
{
    public sealed record Anchor(string? Href, string? Class, string Text);

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "hr",
    };

    /// <summary>
    /// The text of <paramref name="html"/>. Elements of class <c>quote-inline</c> (the "RE: URL" / "RT: URL" line that
    /// Mastodon, Truth Social and Pleroma put in a quote post for old clients, hidden by every client's CSS) are left
    /// out, with a space in their place so the words around them stay apart; the links they held go to
    /// <paramref name="quoteLinks"/>.
    /// </summary>
    public static string ToText(string? html, List<Anchor>? anchors = null, List<string>? quoteLinks = null)
    {
        if (string.IsNullOrEmpty(html)) return "";
        var output = new StringBuilder(html.Length);
        StringBuilder? anchorText = null;
        string? anchorHref = null, anchorClass = null;
        var i = 0;
        while (i < html.Length)
        {
            var lt = html.IndexOf('<', i);
            var textEnd = lt < 0 ? html.Length : lt;
            if (textEnd > i)
            {
                var decoded = Decode(html, i, textEnd - i);
                ReaderText.AppendCollapsed(output, decoded);
                anchorText?.Append(decoded);
            }
            if (lt < 0) break;
            var gt = html.IndexOf('>', lt + 1);
            if (gt < 0)
            {
                // A '<' that opens no tag is text, as in a browser.
                var rest = Decode(html, lt, html.Length - lt);
                ReaderText.AppendCollapsed(output, rest);
                anchorText?.Append(rest);
                break;
            }
            var (name, closing) = TagName(html, lt + 1, gt);
            i = gt + 1;
            if (name.Length == 0) continue;
            if (!closing && (name.Equals("script", StringComparison.OrdinalIgnoreCase) || name.Equals("style", StringComparison.OrdinalIgnoreCase)))
            {
                var end = html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                i = end < 0 ? html.Length : end;
                continue;
            }
            if (!closing && IsQuoteInline(html.AsSpan(lt, gt - lt)))
            {
                i = SkipElement(html, name, gt + 1, quoteLinks);
                ReaderText.AppendCollapsed(output, " ");
                continue;
            }
            if (name.Equals("br", StringComparison.OrdinalIgnoreCase)) { output.Append('\n'); anchorText?.Append(' '); continue; }
            if (Blocks.Contains(name)) { ReaderText.EnsureLineBreak(output); continue; }
            if (anchors is not null && name.Equals("a", StringComparison.OrdinalIgnoreCase))
            {
                if (!closing)
                {
                    var tag = html.AsSpan(lt, gt - lt);
                    anchorHref = Attribute(tag, "href");
                    anchorClass = Attribute(tag, "class");
                    anchorText = new StringBuilder();
                }
                else if (anchorText is not null)
                {
                    anchors.Add(new Anchor(anchorHref, anchorClass, anchorText.ToString().Trim()));
                    anchorText = null;
                }
            }
        }
        if (anchors is not null && anchorText is not null) anchors.Add(new Anchor(anchorHref, anchorClass, anchorText.ToString().Trim()));
        return ReaderText.Normalize(output);
    }

    private static bool IsQuoteInline(ReadOnlySpan<char> tag)
    {
        if (tag.IndexOf("quote-inline", StringComparison.OrdinalIgnoreCase) < 0) return false;
        var classes = Attribute(tag, "class");
        return classes is not null && classes.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Any(c => c.Equals("quote-inline", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The index just past the end tag that closes an element opened before <paramref name="start"/> (nested
    /// elements of the same name counted), or the end of the markup; hrefs of the links inside go to <paramref name="links"/>.</summary>
    private static int SkipElement(string html, string name, int start, List<string>? links)
    {
        var depth = 1;
        var i = start;
        while (i < html.Length)
        {
            var lt = html.IndexOf('<', i);
            if (lt < 0) break;
            var gt = html.IndexOf('>', lt + 1);
            if (gt < 0) break;
            var (tagName, closing) = TagName(html, lt + 1, gt);
            i = gt + 1;
            if (tagName.Equals("a", StringComparison.OrdinalIgnoreCase) && !closing && links is not null
                && Attribute(html.AsSpan(lt, gt - lt), "href") is { Length: > 0 } href) links.Add(href);
            if (!tagName.Equals(name, StringComparison.OrdinalIgnoreCase) || html[gt - 1] == '/') continue;
            depth += closing ? -1 : 1;
            if (depth == 0) return i;
        }
        return html.Length;
    }

    private static string Decode(string html, int start, int length)
    {
        var span = html.AsSpan(start, length);
        return span.Contains('&') ? WebUtility.HtmlDecode(span.ToString()) : span.ToString();
    }

    private static (string Name, bool Closing) TagName(string html, int start, int end)
    {
        var i = start;
        var closing = i < end && html[i] == '/';
        if (closing) i++;
        var nameStart = i;
        while (i < end && (char.IsAsciiLetterOrDigit(html[i]) || html[i] == '-')) i++;
        return (html[nameStart..i], closing);
    }

    private static string? Attribute(ReadOnlySpan<char> tag, string name)
    {
        var at = 0;
        while (true)
        {
            var found = tag[at..].IndexOf(name, StringComparison.OrdinalIgnoreCase);
            if (found < 0) return null;
            found += at;
            var after = found + name.Length;
            var boundary = found > 0 && char.IsWhiteSpace(tag[found - 1]);
            var j = after;
            while (j < tag.Length && char.IsWhiteSpace(tag[j])) j++;
            if (!boundary || j >= tag.Length || tag[j] != '=') { at = after; continue; }
            j++;
            while (j < tag.Length && char.IsWhiteSpace(tag[j])) j++;
            if (j >= tag.Length) return null;
            var quote = tag[j];
            if (quote is '"' or '\'')
            {
                var close = tag[(j + 1)..].IndexOf(quote);
                var value = close < 0 ? tag[(j + 1)..] : tag.Slice(j + 1, close);
                return WebUtility.HtmlDecode(value.ToString());
            }
            var stop = j;
            while (stop < tag.Length && !char.IsWhiteSpace(tag[stop])) stop++;
            var unquoted = tag[j..stop];
            // "<a href=x/>": the slash closing the tag is not part of the value.
            if (stop == tag.Length && unquoted.EndsWith("/")) unquoted = unquoted[..^1];
            return WebUtility.HtmlDecode(unquoted.ToString());
        }
    }



}
