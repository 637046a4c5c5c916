using System.Text;

namespace Archiver.Platforms.Charsets;

/// <summary>Reads <c>encoding="..."</c> from an XML declaration, in ASCII-compatible or UTF-16 bytes.</summary>
public static class XmlDeclaration
{
    public static System.Text.Encoding? Find(ReadOnlySpan<byte> body)
    {
        var label = Label(body, out var wide);
        if (label is null) return null;
        var encoding = EncodingLabels.Resolve(label);
        if (encoding is null) return null;
        // A declaration written in single bytes cannot truthfully say UTF-16 (XML 1.0 §4.3.3): ignore the claim.
        if (EncodingLabels.IsUtf16Or32(encoding) && !wide) return null;
        return encoding;
    }

    /// <summary>The raw encoding label of the declaration, or null when there is none.</summary>
    public static string? Label(ReadOnlySpan<byte> body, out bool wide)
    {
        wide = false;
        var head = body.Length > 1024 ? body[..1024] : body;
        string text;
        if (head.StartsWith("<\0?\0"u8)) { text = System.Text.Encoding.Unicode.GetString(head); wide = true; }
        else if (head.StartsWith("\0<\0?"u8)) { text = System.Text.Encoding.BigEndianUnicode.GetString(head); wide = true; }
        else text = Encoding.Latin1.GetString(head);
        text = text.TrimStart('\uFEFF', '\u00EF', '\u00BB', '\u00BF', ' ', '\t', '\r', '\n');
        if (!text.StartsWith("<?xml", StringComparison.Ordinal)) return null;
        var end = text.IndexOf("?>", StringComparison.Ordinal);
        if (end < 0) return null;
        var decl = text[..end];
        var at = decl.IndexOf("encoding", StringComparison.Ordinal);
        if (at < 0) return null;
        var pos = at + 8;
        while (pos < decl.Length && char.IsWhiteSpace(decl[pos])) pos++;
        if (pos >= decl.Length || decl[pos] != '=') return null;
        pos++;
        while (pos < decl.Length && char.IsWhiteSpace(decl[pos])) pos++;
        if (pos >= decl.Length || decl[pos] is not ('"' or '\'')) return null;
        var close = decl.IndexOf(decl[pos], pos + 1);
        return close < 0 ? null : decl[(pos + 1)..close];
    }
}
