using System.Net;

namespace Archiver.Platforms.Sites.Fast;

/// <summary>
/// A flat, read-only HTML tree for machine-generated pages (the bench site, the replica): nodes in arrays,
/// text kept as slices of the source. About five times faster than a full HTML5 tree builder because it
/// implements only the parts such pages use: void and raw-text elements, the common implied end tags,
/// and end tags that close the nearest open element of the same name. Messy real-world markup belongs to
/// the standard (AngleSharp) parser; a profile opts in with <c>"parser": "fast"</c>.
/// </summary>
public sealed class FastDocument
{
    internal readonly string Source;
    internal readonly List<FastNode> Nodes;
    internal readonly List<(string Name, string Value)> Attributes;

    internal FastDocument(string source)
    {
        Source = source;
        // Sized from the bench pages (one node per ~20 characters, one attribute per ~40): no regrowth on typical pages.
        Nodes = new List<FastNode>(Math.Min(1 << 16, source.Length / 16 + 16));
        Attributes = new List<(string Name, string Value)>(Math.Min(1 << 15, source.Length / 32 + 16));
    }

    /// <summary>Node 0 is the document itself; its children are the top-level elements.</summary>
    public const int Root = 0;

    public int Count => Nodes.Count;

    public bool IsElement(int node) => Nodes[node].Name is not null;

    public string? Name(int node) => Nodes[node].Name;

    public int FirstChild(int node) => Nodes[node].FirstChild;

    public int NextSibling(int node) => Nodes[node].NextSibling;

    public int Parent(int node) => Nodes[node].Parent;

    /// <summary>The last node inside <paramref name="node"/> (itself when it has no children): descendants are node+1..End.</summary>
    public int End(int node) => Nodes[node].End;

    public string? Attribute(int node, string name)
    {
        var n = Nodes[node];
        // Names are stored lower-case; profiles write them lower-case too (HTML attribute names are case-insensitive).
        for (var i = n.FirstAttribute; i < n.FirstAttribute + n.AttributeCount; i++)
            if (string.Equals(Attributes[i].Name, name, StringComparison.Ordinal)) return Attributes[i].Value;
        for (var i = n.FirstAttribute; i < n.FirstAttribute + n.AttributeCount; i++)
            if (string.Equals(Attributes[i].Name, name, StringComparison.OrdinalIgnoreCase)) return Attributes[i].Value;
        return null;
    }

    public bool HasClass(int node, string className)
    {
        var classes = Nodes[node].Class;
        if (classes is null) return false;
        var at = 0;
        while ((at = classes.IndexOf(className, at, StringComparison.Ordinal)) >= 0)
        {
            var before = at == 0 || char.IsWhiteSpace(classes[at - 1]);
            var after = at + className.Length == classes.Length || char.IsWhiteSpace(classes[at + className.Length]);
            if (before && after) return true;
            at += className.Length;
        }
        return false;
    }

    /// <summary>A text node's content, character references decoded.</summary>
    public string Text(int node)
    {
        var n = Nodes[node];
        var raw = Source.AsSpan(n.TextStart, n.TextLength);
        return raw.Contains('&') ? WebUtility.HtmlDecode(raw.ToString()) : raw.ToString();
    }

    /// <summary>The element's inner markup exactly as served.</summary>
    public string InnerHtml(int node)
    {
        var n = Nodes[node];
        return n.InnerEnd > n.InnerStart ? Source[n.InnerStart..n.InnerEnd] : "";
    }
}

internal struct FastNode
{
    /// <summary>Lower-case tag name; null for text nodes (and "#document" for the root).</summary>
    public string? Name;
    public int Parent;
    public int FirstChild;
    public int LastChild;
    public int NextSibling;
    public int End;
    public int FirstAttribute;
    public int AttributeCount;
    public int TextStart;
    public int TextLength;
    public int InnerStart;
    public int InnerEnd;
    /// <summary>The class attribute, kept apart because class selectors test it on every candidate.</summary>
    public string? Class;
}
