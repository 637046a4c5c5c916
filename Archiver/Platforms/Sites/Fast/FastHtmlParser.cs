namespace Archiver.Platforms.Sites.Fast;

/// <summary>Builds a <see cref="FastDocument"/> in one pass over the source. Never throws on any input.</summary>
public static class FastHtmlParser
{
    private static readonly HashSet<string> Void = new(StringComparer.Ordinal)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    };

    // Opening one of these closes an open <p> (HTML's "close a p element" rule, the common cases).
    private static readonly HashSet<string> ClosesP = new(StringComparer.Ordinal)
    {
        "address", "article", "aside", "blockquote", "div", "dl", "fieldset", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hr", "main", "nav", "ol", "p", "pre", "section", "table", "ul", "figure", "details",
    };

    // Tag and attribute names repeat thousands of times per page: look them up instead of allocating each.
    private static readonly string[] CommonNames =
    [
        "html", "head", "body", "title", "meta", "link", "style", "script", "div", "span", "p", "a", "img", "ul", "ol", "li",
        "table", "tr", "td", "th", "tbody", "thead", "br", "hr", "b", "i", "em", "strong", "small", "time", "article",
        "section", "header", "footer", "nav", "main", "aside", "h1", "h2", "h3", "h4", "h5", "h6", "form", "input",
        "button", "label", "select", "option", "textarea", "iframe", "blockquote", "pre", "code", "cite", "figure",
        "class", "id", "href", "src", "alt", "rel", "type", "name", "content", "charset", "lang", "style", "title",
        "datetime", "width", "height", "data-id", "target", "value", "dir",
    ];

    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Names =
        CommonNames.Distinct().ToDictionary(n => n, n => n, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    private static string Name(string html, int start, int end)
    {
        var span = html.AsSpan(start, end - start);
        if (Names.TryGetValue(span, out var known)) return known;
        Span<char> lower = span.Length <= 64 ? stackalloc char[span.Length] : new char[span.Length];
        span.ToLowerInvariant(lower);
        return Names.TryGetValue(lower, out known) ? known : lower.ToString();
    }

    public static FastDocument Parse(string html)
    {
        var doc = new FastDocument(html);
        doc.Nodes.Add(new FastNode { Name = "#document", Parent = -1, FirstChild = -1, LastChild = -1, NextSibling = -1 });
        var open = new List<int> { FastDocument.Root };
        var pos = 0;
        var length = html.Length;
        while (pos < length)
        {
            var lt = html.IndexOf('<', pos);
            if (lt < 0) lt = length;
            if (lt > pos) AddText(doc, open[^1], pos, lt - pos);
            if (lt >= length) break;
            pos = lt;
            if (pos + 1 >= length) { AddText(doc, open[^1], pos, 1); break; }
            var next = html[pos + 1];
            if (next == '!')
            {
                pos = string.CompareOrdinal(html, pos, "<!--", 0, 4) == 0 ? SkipPast(html, pos + 4, "-->") : SkipPast(html, pos + 2, ">");
                continue;
            }
            if (next == '?') { pos = SkipPast(html, pos + 2, ">"); continue; }
            if (next == '/')
            {
                var nameEnd = ScanName(html, pos + 2);
                if (nameEnd == pos + 2) { pos = SkipPast(html, pos + 2, ">"); continue; }
                var name = Name(html, pos + 2, nameEnd);
                pos = SkipPast(html, nameEnd, ">");
                Close(doc, open, name, lt);
                continue;
            }
            if (!char.IsAsciiLetter(next)) { AddText(doc, open[^1], pos, 1); pos++; continue; }
            pos = OpenTag(doc, open, html, pos);
        }
        while (open.Count > 1) Pop(doc, open, length);
        Finish(doc, FastDocument.Root);
        return doc;
    }

    private static int OpenTag(FastDocument doc, List<int> open, string html, int lt)
    {
        var nameEnd = ScanName(html, lt + 1);
        var name = Name(html, lt + 1, nameEnd);
        if (ClosesP.Contains(name) && IsOpen(doc, open, "p")) Close(doc, open, "p", lt);
        if (name == "li") CloseIfOpenWithin(doc, open, "li", "ul", "ol");
        else if (name is "dt" or "dd") { CloseIfOpenWithin(doc, open, "dt", "dl"); CloseIfOpenWithin(doc, open, "dd", "dl"); }
        else if (name == "option") CloseIfOpenWithin(doc, open, "option", "select");
        else if (name == "tr") CloseIfOpenWithin(doc, open, "tr", "table");
        else if (name is "td" or "th") { CloseIfOpenWithin(doc, open, "td", "tr"); CloseIfOpenWithin(doc, open, "th", "tr"); }

        var firstAttribute = doc.Attributes.Count;
        var pos = ReadAttributes(doc, html, nameEnd, out var selfClosing);
        var parent = open[^1];
        var node = doc.Nodes.Count;
        doc.Nodes.Add(new FastNode
        {
            Name = name,
            Parent = parent,
            FirstChild = -1,
            LastChild = -1,
            NextSibling = -1,
            FirstAttribute = firstAttribute,
            AttributeCount = doc.Attributes.Count - firstAttribute,
            Class = ClassOf(doc, firstAttribute),
            InnerStart = pos,
            InnerEnd = pos,
        });
        Link(doc, parent, node);
        if (Void.Contains(name) || selfClosing) { SetEnd(doc, node, node); return pos; }
        if (name is "script" or "style" or "textarea" or "title" or "xmp" or "noembed" or "noframes")
        {
            // Raw text: everything up to the matching end tag is content, '<' included.
            var close = IndexOfEndTag(html, pos, name);
            var contentEnd = close < 0 ? html.Length : close;
            if (contentEnd > pos && name is "textarea" or "title") AddText(doc, node, pos, contentEnd - pos);
            var inner = doc.Nodes[node];
            inner.InnerEnd = contentEnd;
            doc.Nodes[node] = inner;
            SetEnd(doc, node, doc.Nodes.Count - 1);
            return close < 0 ? html.Length : SkipPast(html, close + 2, ">");
        }
        open.Add(node);
        return pos;
    }

    private static string? ClassOf(FastDocument doc, int firstAttribute)
    {
        for (var i = firstAttribute; i < doc.Attributes.Count; i++)
            if (doc.Attributes[i].Name == "class") return doc.Attributes[i].Value;
        return null;
    }

    private static int ReadAttributes(FastDocument doc, string html, int pos, out bool selfClosing)
    {
        selfClosing = false;
        var length = html.Length;
        while (pos < length)
        {
            while (pos < length && (char.IsWhiteSpace(html[pos]) || (html[pos] == '/' && pos + 1 < length && html[pos + 1] != '>'))) pos++;
            if (pos >= length) return length;
            if (html[pos] == '>') return pos + 1;
            if (html[pos] == '/') { selfClosing = true; return Math.Min(length, pos + 2); }
            var nameStart = pos;
            while (pos < length && !char.IsWhiteSpace(html[pos]) && html[pos] is not ('=' or '>' or '/')) pos++;
            if (pos == nameStart) { pos++; continue; }
            var name = Name(html, nameStart, pos);
            while (pos < length && char.IsWhiteSpace(html[pos])) pos++;
            var value = "";
            if (pos < length && html[pos] == '=')
            {
                pos++;
                while (pos < length && char.IsWhiteSpace(html[pos])) pos++;
                if (pos < length && html[pos] is '"' or '\'')
                {
                    var quote = html[pos];
                    var close = html.IndexOf(quote, pos + 1);
                    if (close < 0) close = length;
                    value = html[(pos + 1)..close];
                    pos = Math.Min(length, close + 1);
                }
                else
                {
                    var start = pos;
                    while (pos < length && !char.IsWhiteSpace(html[pos]) && html[pos] != '>') pos++;
                    value = html[start..pos];
                }
                if (value.Contains('&')) value = System.Net.WebUtility.HtmlDecode(value);
            }
            doc.Attributes.Add((name, value));
        }
        return length;
    }

    private static void AddText(FastDocument doc, int parent, int start, int length)
    {
        var node = doc.Nodes.Count;
        doc.Nodes.Add(new FastNode { Parent = parent, FirstChild = -1, LastChild = -1, NextSibling = -1, TextStart = start, TextLength = length, End = node });
        Link(doc, parent, node);
    }

    private static void Link(FastDocument doc, int parent, int node)
    {
        var p = doc.Nodes[parent];
        if (p.LastChild < 0) p.FirstChild = node;
        else
        {
            var last = doc.Nodes[p.LastChild];
            last.NextSibling = node;
            doc.Nodes[p.LastChild] = last;
        }
        p.LastChild = node;
        doc.Nodes[parent] = p;
    }

    private static void Close(FastDocument doc, List<int> open, string name, int at)
    {
        for (var i = open.Count - 1; i > 0; i--)
        {
            if (doc.Nodes[open[i]].Name != name) continue;
            while (open.Count > i) Pop(doc, open, at);
            return;
        }
        // An end tag with nothing to close is ignored, as browsers do.
    }

    private static void CloseIfOpenWithin(FastDocument doc, List<int> open, string name, params string[] boundaries)
    {
        for (var i = open.Count - 1; i > 0; i--)
        {
            var current = doc.Nodes[open[i]].Name;
            if (current == name) { while (open.Count > i) Pop(doc, open, -1); return; }
            if (Array.IndexOf(boundaries, current) >= 0) return;
        }
    }

    private static bool IsOpen(FastDocument doc, List<int> open, string name)
    {
        for (var i = open.Count - 1; i > 0; i--)
        {
            var current = doc.Nodes[open[i]].Name;
            if (current == name) return true;
            if (current is "div" or "td" or "th" or "li" or "article" or "section" or "button" or "table") return false;
        }
        return false;
    }

    private static void Pop(FastDocument doc, List<int> open, int at)
    {
        var node = open[^1];
        open.RemoveAt(open.Count - 1);
        var n = doc.Nodes[node];
        n.InnerEnd = at >= 0 ? at : (n.LastChild >= 0 ? EndOfSource(doc, n.LastChild) : n.InnerStart);
        doc.Nodes[node] = n;
        SetEnd(doc, node, doc.Nodes.Count - 1);
    }

    private static int EndOfSource(FastDocument doc, int node)
    {
        var n = doc.Nodes[node];
        return n.Name is null ? n.TextStart + n.TextLength : n.InnerEnd;
    }

    private static void SetEnd(FastDocument doc, int node, int end)
    {
        var n = doc.Nodes[node];
        n.End = end;
        doc.Nodes[node] = n;
    }

    private static void Finish(FastDocument doc, int root) => SetEnd(doc, root, doc.Nodes.Count - 1);

    private static int ScanName(string html, int pos)
    {
        while (pos < html.Length && (char.IsAsciiLetterOrDigit(html[pos]) || html[pos] is '-' or '_' or ':')) pos++;
        return pos;
    }

    private static int SkipPast(string html, int from, string marker)
    {
        if (from >= html.Length) return html.Length;
        var at = html.IndexOf(marker, from, StringComparison.Ordinal);
        return at < 0 ? html.Length : at + marker.Length;
    }

    private static int IndexOfEndTag(string html, int from, string name)
    {
        var pos = from;
        while (pos < html.Length)
        {
            var at = html.IndexOf("</", pos, StringComparison.Ordinal);
            if (at < 0) return -1;
            if (string.Compare(html, at + 2, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) == 0)
            {
                var after = at + 2 + name.Length;
                if (after >= html.Length || html[after] is '>' or '/' || char.IsWhiteSpace(html[after])) return at;
            }
            pos = at + 2;
        }
        return -1;
    }
}
