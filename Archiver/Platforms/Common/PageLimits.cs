namespace Archiver.Platforms.Common;

/// <summary>
/// Bounds on the work one page may cost a parser, checked before a tree is built. A hostile page nested 100,000
/// elements deep costs an HTML5 tree builder minutes of CPU (each start tag searches the open-element stack) and
/// recursive walks of such a tree can exhaust the stack; a 32 MB page costs seconds. Real pages are far inside
/// both limits (a t.me page is ~100 KB and ~25 levels deep; forum threads rarely pass 1 MB or 60 levels). A page
/// over a limit is refused as one fatal problem (reported by crawl and import), never parsed. docs/crawler.md
/// lists the limits.
/// </summary>
public static class PageLimits
{
    /// <summary>Largest page (after content decoding) a parser reads.</summary>
    public const int MaxBytes = 8 * 1024 * 1024;

    /// <summary>Deepest element nesting a parser reads.</summary>
    public const int MaxDepth = 512;

    private static readonly HashSet<string> Void = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
        "basefont", "bgsound", "frame", "keygen",
    };

    // HTML closes these by themselves when a sibling opens (a <p> cannot hold a <p>): counting them would refuse an
    // old page with many unclosed paragraphs although its tree is flat.
    private static readonly HashSet<string> SelfClosingSiblings = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody", "thead", "tfoot", "colgroup", "rb", "rt", "rp",
    };

    private static readonly string[] RawText = ["script", "style", "textarea", "title", "xmp", "plaintext", "noembed", "noframes", "iframe"];

    /// <summary>A refusal when the body is over <see cref="MaxBytes"/>, else null.</summary>
    public static ParseResult? CheckSize(int bytes, Uri url) =>
        bytes > MaxBytes
            ? ParseResult.Failure($"page refused: {bytes:N0} bytes is over the {MaxBytes / (1024 * 1024)} MiB limit for a page", url.AbsoluteUri, fatal: true)
            : null;

    /// <summary>A refusal when the markup is over the size or nesting limit, else null.</summary>
    public static ParseResult? Check(ReadOnlySpan<char> markup, Uri url, bool xml = false)
    {
        if (CheckSize(markup.Length, url) is { } tooBig) return tooBig;
        var depth = Depth(markup, xml, MaxDepth);
        return depth > MaxDepth
            ? ParseResult.Failure($"page refused: elements nested deeper than {MaxDepth} elements (the limit for a page)", url.AbsoluteUri, fatal: true)
            : null;
    }

    public static ParseResult? Check(string markup, Uri url, bool xml = false) => Check(markup.AsSpan(), url, xml);

    /// <summary>
    /// The deepest nesting of the start and end tags, counted as a tree builder would at most see it (end tags close
    /// back to their start tag; end tags without one are ignored), stopping once past <paramref name="stopAbove"/>.
    /// One pass, no allocation per tag beyond the names on the stack (at most <paramref name="stopAbove"/> + 1).
    /// </summary>
    public static int Depth(ReadOnlySpan<char> s, bool xml, int stopAbove)
    {
        var stack = new List<string>();
        var deepest = 0;
        var i = 0;
        while (i < s.Length)
        {
            var lt = s[i..].IndexOf('<');
            if (lt < 0) break;
            lt += i;
            if (lt + 1 >= s.Length) break;
            var next = s[lt + 1];
            if (next == '!')
            {
                var end = s[lt..].StartsWith("<!--") ? Find(s, lt + 4, "-->")
                    : s[lt..].StartsWith("<![CDATA[") ? Find(s, lt + 9, "]]>")
                    : Find(s, lt + 2, ">");
                i = end;
                continue;
            }
            if (next == '?') { i = Find(s, lt + 2, ">"); continue; }
            var closing = next == '/';
            var nameStart = lt + (closing ? 2 : 1);
            var nameEnd = nameStart;
            while (nameEnd < s.Length && (char.IsAsciiLetterOrDigit(s[nameEnd]) || s[nameEnd] is '-' or ':' or '_' or '.')) nameEnd++;
            if (nameEnd == nameStart || !char.IsAsciiLetter(s[nameStart])) { i = lt + 1; continue; }
            var gt = TagEnd(s, nameEnd);
            if (gt < 0) break;
            i = gt + 1;
            var name = s[nameStart..nameEnd];
            if (!xml && (Void.Contains(name.ToString()) || SelfClosingSiblings.Contains(name.ToString()))) { if (!closing) SkipRawText(s, name, ref i); continue; }
            if (closing)
            {
                for (var k = stack.Count - 1; k >= 0; k--)
                {
                    if (!name.Equals(stack[k], xml ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase)) continue;
                    stack.RemoveRange(k, stack.Count - k);
                    break;
                }
                continue;
            }
            if (s[gt - 1] == '/') continue;
            if (!xml && SkipRawText(s, name, ref i)) continue;
            stack.Add(name.ToString());
            if (stack.Count > deepest) deepest = stack.Count;
            if (deepest > stopAbove) return deepest;
        }
        return deepest;
    }

    /// <summary>After the start tag of a raw-text element (script, style, ...), moves past its end tag.</summary>
    private static bool SkipRawText(ReadOnlySpan<char> s, ReadOnlySpan<char> name, ref int i)
    {
        foreach (var raw in RawText)
        {
            if (!name.Equals(raw, StringComparison.OrdinalIgnoreCase)) continue;
            var close = s[i..].IndexOf(("</" + raw).AsSpan(), StringComparison.OrdinalIgnoreCase);
            i = close < 0 ? s.Length : i + close + raw.Length + 2;
            return true;
        }
        return false;
    }

    private static int Find(ReadOnlySpan<char> s, int from, string what)
    {
        if (from >= s.Length) return s.Length;
        var at = s[from..].IndexOf(what.AsSpan(), StringComparison.Ordinal);
        return at < 0 ? s.Length : from + at + what.Length;
    }

    /// <summary>The '>' ending a tag, skipping quoted attribute values; -1 when the markup ends first.</summary>
    private static int TagEnd(ReadOnlySpan<char> s, int from)
    {
        char quote = '\0';
        for (var j = from; j < s.Length; j++)
        {
            var c = s[j];
            if (quote != '\0') { if (c == quote) quote = '\0'; }
            else if (c is '"' or '\'') quote = c;
            else if (c == '>') return j;
        }
        return -1;
    }
}
