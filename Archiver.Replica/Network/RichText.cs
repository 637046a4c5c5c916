using System.Text;

namespace Archiver.Replica;

public enum SegmentKind { Text, Break, Hashtag, Mention, Link, Emoji, Bold }

/// <summary>One run of a post's text; renderers turn the same runs into each platform's markup.</summary>
public readonly record struct Segment(SegmentKind Kind, string Value);

/// <summary>A post body as runs of text, with what a reader sees and what the records list.</summary>
public sealed class RichText(IReadOnlyList<Segment> segments)
{
    public IReadOnlyList<Segment> Segments { get; } = segments;

    public static readonly RichText Empty = new([]);

    public bool IsEmpty => Segments.Count == 0;

    /// <summary>The text as a reader sees it: breaks as <c>\n</c>, tags with <c>#</c>, mentions with <c>@</c>.</summary>
    public string Plain()
    {
        var sb = new StringBuilder();
        foreach (var s in Segments)
        {
            sb.Append(s.Kind switch
            {
                SegmentKind.Break => "\n",
                SegmentKind.Hashtag => "#" + s.Value,
                SegmentKind.Mention => "@" + s.Value,
                _ => s.Value,
            });
        }
        return sb.ToString();
    }

    public IReadOnlyList<string> Hashtags => Distinct(SegmentKind.Hashtag);
    public IReadOnlyList<string> Mentions => Distinct(SegmentKind.Mention);
    public IReadOnlyList<string> Links => Distinct(SegmentKind.Link);

    private List<string> Distinct(SegmentKind kind)
    {
        var list = new List<string>();
        foreach (var s in Segments)
            if (s.Kind == kind && !list.Contains(s.Value, StringComparer.Ordinal)) list.Add(s.Value);
        return list;
    }

    /// <summary>A copy with more runs at the end (how version 2 edits a post).</summary>
    public RichText Append(params Segment[] more) => new([.. Segments, .. more]);

    /// <summary>The first characters of the plain text, for reply previews and feed titles.</summary>
    public string Snippet(int max)
    {
        var plain = Plain().Replace('\n', ' ');
        return plain.Length <= max ? plain : plain[..max].TrimEnd() + "…";
    }
}

/// <summary>Minimal HTML escaping that, unlike WebUtility, leaves non-ASCII letters as they are (as Telegram and Mastodon do).</summary>
public static class Html
{
    public static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny("&<>\"'") < 0) return text;
        var sb = new StringBuilder(text.Length + 16);
        foreach (var ch in text)
        {
            sb.Append(ch switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => ch.ToString(),
            });
        }
        return sb.ToString();
    }

    /// <summary>
    /// Text escaped exactly as an HTML5 serialiser (a DOM's innerHTML) writes it, so the served markup and a
    /// parser's inner HTML of it are the same string.
    /// </summary>
    public static string Text(string text) =>
        text.AsSpan().IndexOfAny("&<>\u00A0") < 0 ? text
        : text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\u00A0", "&nbsp;", StringComparison.Ordinal);

    /// <summary>An attribute value as an HTML5 serialiser writes it (inside double quotes).</summary>
    public static string Attribute(string text) =>
        text.AsSpan().IndexOfAny("&\"\u00A0") < 0 ? text
        : text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal)
            .Replace("\u00A0", "&nbsp;", StringComparison.Ordinal);

    /// <summary>XML text escaping for feeds (no apostrophe entity needed in element content).</summary>
    public static string Xml(string text) =>
        text.AsSpan().IndexOfAny("&<>\"") < 0 ? text
        : text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);
}
