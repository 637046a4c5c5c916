using System.Net;
using System.Text;

namespace Archiver.Platforms.Feeds;

/// <summary>An element of a leniently parsed XML document, with namespaces resolved and its source range kept.</summary>
public sealed class XmlNodeElement
{
    public required string Name { get; init; }
    public required string LocalName { get; init; }
    public required string Namespace { get; init; }
    public XmlNodeElement? Parent { get; init; }
    public List<(string Name, string LocalName, string Namespace, string Value)> Attributes { get; } = [];
    public List<object> Children { get; } = [];
    /// <summary>Offsets of the inner markup in the source (the start tag's end to the end tag's start).</summary>
    public int InnerStart { get; set; }
    public int InnerEnd { get; set; }

    public IEnumerable<XmlNodeElement> Elements() => Children.OfType<XmlNodeElement>();

    public IEnumerable<XmlNodeElement> Elements(string ns, string local) =>
        Elements().Where(e => e.LocalName == local && e.Namespace == ns);

    public XmlNodeElement? Element(string ns, string local) => Elements(ns, local).FirstOrDefault();

    public string? Attribute(string local, string ns = "") =>
        Attributes.FirstOrDefault(a => a.LocalName == local && a.Namespace == ns).Value;

    /// <summary>All descendant text, entities decoded, CDATA included.</summary>
    public string Text()
    {
        var text = new StringBuilder();
        Collect(this, text);
        return text.ToString();

        static void Collect(XmlNodeElement e, StringBuilder sb)
        {
            foreach (var child in e.Children)
                if (child is string s) sb.Append(s);
                else Collect((XmlNodeElement)child, sb);
        }
    }

    /// <summary>The nearest xml:base (resolved against outer ones and the document URL), or the document URL.</summary>
    public Uri? Base(Uri? documentUrl)
    {
        var chain = new Stack<string>();
        for (var e = this; e is not null; e = e.Parent)
            if (e.Attribute("base", XmlTree.XmlNamespace) is { } b) chain.Push(b);
        var current = documentUrl;
        foreach (var b in chain)
            current = current is null ? (Uri.TryCreate(b, UriKind.Absolute, out var abs) ? abs : null) : (Uri.TryCreate(current, b, out var rel) ? rel : current);
        return current;
    }

    public string? Language()
    {
        for (var e = this; e is not null; e = e.Parent)
            if (e.Attribute("lang", XmlTree.XmlNamespace) is { } lang) return lang.Replace('_', '-');
        return null;
    }
}

/// <summary>
/// A forgiving XML reader for feeds: it never throws, reads what an ill-formed document still holds (unclosed
/// elements, stray ampersands, HTML entities, unterminated CDATA, undeclared prefixes, a truncated tail), and
/// records each repair as a problem, so "well-formed" is simply "no problems".
/// </summary>
public sealed class XmlTree
{
    public const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";

    private static readonly Dictionary<string, string> WellKnownPrefixes = new(StringComparer.Ordinal)
    {
        ["dc"] = "http://purl.org/dc/elements/1.1/",
        ["content"] = "http://purl.org/rss/1.0/modules/content/",
        ["atom"] = "http://www.w3.org/2005/Atom",
        ["media"] = "http://search.yahoo.com/mrss/",
        ["rdf"] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        ["itunes"] = "http://www.itunes.com/dtds/podcast-1.0.dtd",
        ["dcterms"] = "http://purl.org/dc/terms/",
        ["slash"] = "http://purl.org/rss/1.0/modules/slash/",
        ["wfw"] = "http://wellformedweb.org/CommentAPI/",
        ["xhtml"] = "http://www.w3.org/1999/xhtml",
        ["xml"] = XmlNamespace,
    };

    public required string Source { get; init; }
    public XmlNodeElement? Root { get; private set; }
    public List<string> Problems { get; } = [];

    public static XmlTree Parse(string source)
    {
        var tree = new XmlTree { Source = source };
        new Builder(tree).Run();
        return tree;
    }

    private sealed class Builder(XmlTree tree)
    {
        private readonly string _s = tree.Source;
        private readonly Stack<(XmlNodeElement Element, Dictionary<string, string> Namespaces)> _open = new();
        private readonly Dictionary<string, string> _entities = new(StringComparer.Ordinal);
        private int _pos;

        private void Problem(string reason)
        {
            if (tree.Problems.Count < 50) tree.Problems.Add(reason);
        }

        public void Run()
        {
            if (_s.Length > 0 && _s[0] == '\uFEFF') _pos = 1;
            var text = new StringBuilder();
            while (_pos < _s.Length)
            {
                var lt = _s.IndexOf('<', _pos);
                var end = lt < 0 ? _s.Length : lt;
                if (end > _pos) AppendText(_s.AsSpan(_pos, end - _pos));
                _pos = end;
                if (lt < 0) break;
                if (Starts("<!--")) { Skip("-->", "an unterminated comment"); continue; }
                if (Starts("<![CDATA["))
                {
                    var close = _s.IndexOf("]]>", _pos + 9, StringComparison.Ordinal);
                    if (close < 0) { Problem("an unterminated CDATA section"); AddText(_s[(_pos + 9)..]); _pos = _s.Length; break; }
                    AddText(_s[(_pos + 9)..close]);
                    _pos = close + 3;
                    continue;
                }
                if (Starts("<!DOCTYPE") || Starts("<!doctype")) { Doctype(); continue; }
                if (Starts("<?")) { Skip("?>", "an unterminated processing instruction"); continue; }
                if (Starts("</")) { EndTag(); continue; }
                if (_pos + 1 < _s.Length && IsNameStart(_s[_pos + 1])) { StartTag(); continue; }
                Problem($"a '<' that starts no tag at offset {_pos}");
                AddText("<");
                _pos++;
            }
            if (_open.Count > 0)
            {
                Problem($"the document ends inside <{_open.Peek().Element.Name}> (truncated or unclosed)");
                while (_open.Count > 0) Close(_s.Length);
            }
            if (tree.Root is null) Problem("no root element: the document is empty or not XML");
        }

        private bool Starts(string marker) => string.CompareOrdinal(_s, _pos, marker, 0, marker.Length) == 0;

        private void Skip(string terminator, string what)
        {
            var close = _s.IndexOf(terminator, _pos + 2, StringComparison.Ordinal);
            if (close < 0) { Problem(what); _pos = _s.Length; return; }
            _pos = close + terminator.Length;
        }

        private void Doctype()
        {
            // Internal-subset entity declarations are honoured (<!ENTITY name "value">); nothing is fetched.
            var bracket = _s.IndexOf('[', _pos);
            var gt = _s.IndexOf('>', _pos);
            if (bracket >= 0 && (gt < 0 || bracket < gt))
            {
                var close = _s.IndexOf("]>", bracket, StringComparison.Ordinal);
                var subset = close < 0 ? _s[bracket..] : _s[bracket..close];
                foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(subset, "<!ENTITY\\s+([\\w.-]+)\\s+(?:\"([^\"]*)\"|'([^']*)')"))
                    _entities[m.Groups[1].Value] = m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value;
                _pos = close < 0 ? _s.Length : close + 2;
                return;
            }
            _pos = gt < 0 ? _s.Length : gt + 1;
        }

        private void StartTag()
        {
            var tagStart = _pos;
            _pos++;
            var name = ReadName();
            var attributes = new List<(string Name, string Value)>();
            var selfClosing = false;
            while (true)
            {
                SkipSpace();
                if (_pos >= _s.Length) { Problem($"the document ends inside the tag <{name}"); break; }
                var c = _s[_pos];
                if (c == '>') { _pos++; break; }
                if (c == '/' && _pos + 1 < _s.Length && _s[_pos + 1] == '>') { _pos += 2; selfClosing = true; break; }
                if (c == '<') { Problem($"the tag <{name}> is not closed"); break; }
                if (!IsNameStart(c)) { Problem($"an unexpected '{c}' in the tag <{name}>"); _pos++; continue; }
                var attributeName = ReadName();
                SkipSpace();
                string value;
                if (_pos < _s.Length && _s[_pos] == '=')
                {
                    _pos++;
                    SkipSpace();
                    value = ReadAttributeValue(name, attributeName);
                }
                else
                {
                    Problem($"the attribute {attributeName} of <{name}> has no value");
                    value = attributeName;
                }
                attributes.Add((attributeName, value));
            }
            Open(name, attributes, tagStart);
            if (selfClosing) Close(_pos);
        }

        private string ReadAttributeValue(string element, string attribute)
        {
            if (_pos < _s.Length && _s[_pos] is '"' or '\'')
            {
                var quote = _s[_pos];
                var close = _s.IndexOf(quote, _pos + 1);
                if (close < 0) { Problem($"an unterminated value for {attribute} in <{element}>"); close = _s.Length; }
                var raw = _s[(_pos + 1)..close];
                _pos = Math.Min(_s.Length, close + 1);
                return Decode(raw);
            }
            Problem($"an unquoted value for {attribute} in <{element}>");
            var start = _pos;
            while (_pos < _s.Length && !char.IsWhiteSpace(_s[_pos]) && _s[_pos] != '>') _pos++;
            return Decode(_s[start.._pos]);
        }

        private void Open(string name, List<(string Name, string Value)> attributes, int tagStart)
        {
            var inherited = _open.Count > 0 ? _open.Peek().Namespaces : null;
            Dictionary<string, string>? scope = null;
            foreach (var (attributeName, value) in attributes)
            {
                if (attributeName == "xmlns") (scope ??= new(inherited ?? []))[""] = value;
                else if (attributeName.StartsWith("xmlns:", StringComparison.Ordinal)) (scope ??= new(inherited ?? []))[attributeName[6..]] = value;
            }
            var namespaces = scope ?? inherited ?? [];
            var (prefix, local) = Split(name);
            var parent = _open.Count > 0 ? _open.Peek().Element : null;
            var element = new XmlNodeElement
            {
                Name = name,
                LocalName = local,
                Namespace = Resolve(prefix, namespaces, isAttribute: false, name),
                Parent = parent,
                InnerStart = _pos,
            };
            foreach (var (attributeName, value) in attributes)
            {
                if (attributeName == "xmlns" || attributeName.StartsWith("xmlns:", StringComparison.Ordinal)) continue;
                var (attributePrefix, attributeLocal) = Split(attributeName);
                element.Attributes.Add((attributeName, attributeLocal, Resolve(attributePrefix, namespaces, isAttribute: true, attributeName), value));
            }
            if (parent is null)
            {
                if (tree.Root is null) tree.Root = element;
                else { Problem($"a second root element <{name}> (ignored)"); }
            }
            else parent.Children.Add(element);
            _ = tagStart;
            _open.Push((element, namespaces));
        }

        private string Resolve(string prefix, Dictionary<string, string> namespaces, bool isAttribute, string name)
        {
            if (prefix.Length == 0) return isAttribute ? "" : namespaces.GetValueOrDefault("", "");
            if (prefix == "xml") return XmlNamespace;
            if (namespaces.TryGetValue(prefix, out var uri)) return uri;
            Problem($"the prefix of {name} is not declared");
            return WellKnownPrefixes.GetValueOrDefault(prefix, "urn:undeclared:" + prefix);
        }

        private void EndTag()
        {
            var tagStart = _pos;
            _pos += 2;
            var name = ReadName();
            var gt = _s.IndexOf('>', _pos);
            if (gt < 0) Problem($"the end tag </{name} is not terminated");
            _pos = gt < 0 ? _s.Length : gt + 1;
            if (!_open.Any(o => o.Element.Name == name))
            {
                Problem($"an end tag </{name}> with no open element");
                return;
            }
            while (_open.Peek().Element.Name != name)
            {
                Problem($"<{_open.Peek().Element.Name}> is not closed before </{name}>");
                Close(tagStart);
            }
            Close(tagStart);
        }

        private void Close(int at)
        {
            var (element, _) = _open.Pop();
            element.InnerEnd = Math.Max(element.InnerStart, at);
        }

        private void AppendText(ReadOnlySpan<char> raw)
        {
            if (_open.Count == 0)
            {
                if (!raw.IsWhiteSpace()) Problem("text outside the root element");
                return;
            }
            AddText(Decode(raw.ToString()));
        }

        private void AddText(string text)
        {
            if (_open.Count == 0) return;
            var children = _open.Peek().Element.Children;
            if (children.Count > 0 && children[^1] is string previous) children[^1] = previous + text;
            else children.Add(text);
        }

        private string Decode(string raw)
        {
            if (!raw.Contains('&')) return raw;
            var sb = new StringBuilder(raw.Length);
            var i = 0;
            while (i < raw.Length)
            {
                var amp = raw.IndexOf('&', i);
                if (amp < 0) { sb.Append(raw, i, raw.Length - i); break; }
                sb.Append(raw, i, amp - i);
                var semi = raw.IndexOf(';', amp + 1);
                var entity = semi > amp && semi - amp <= 32 ? raw[(amp + 1)..semi] : null;
                if (entity is null || entity.Length == 0 || entity.Any(char.IsWhiteSpace))
                {
                    Problem("a bare '&' (not an entity reference)");
                    sb.Append('&');
                    i = amp + 1;
                    continue;
                }
                sb.Append(Entity(entity));
                i = semi + 1;
            }
            return sb.ToString();
        }

        private string Entity(string name)
        {
            switch (name)
            {
                case "amp": return "&";
                case "lt": return "<";
                case "gt": return ">";
                case "quot": return "\"";
                case "apos": return "'";
            }
            if (name[0] == '#')
            {
                var ok = name.Length > 2 && (name[1] is 'x' or 'X')
                    ? int.TryParse(name.AsSpan(2), System.Globalization.NumberStyles.HexNumber, null, out var code)
                    : int.TryParse(name.AsSpan(1), out code);
                if (ok && code is > 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF)) return char.ConvertFromUtf32(code);
                Problem($"an invalid character reference &{name};");
                return "\uFFFD";
            }
            if (_entities.TryGetValue(name, out var declared)) return declared;
            var html = WebUtility.HtmlDecode("&" + name + ";");
            Problem($"the entity &{name}; is not defined in XML");
            return html;
        }

        private string ReadName()
        {
            var start = _pos;
            while (_pos < _s.Length && IsNameChar(_s[_pos])) _pos++;
            return _s[start.._pos];
        }

        private void SkipSpace()
        {
            while (_pos < _s.Length && char.IsWhiteSpace(_s[_pos])) _pos++;
        }

        private static (string Prefix, string Local) Split(string name)
        {
            var colon = name.IndexOf(':');
            return colon > 0 ? (name[..colon], name[(colon + 1)..]) : ("", name);
        }

        private static bool IsNameStart(char c) => char.IsLetter(c) || c is '_' or ':';
        private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c is '_' or ':' or '-' or '.';
    }
}
