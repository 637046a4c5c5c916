namespace Archiver.Platforms.Charsets;

/// <summary>
/// The HTML standard's "prescan a byte stream to determine its encoding": the first 1024 bytes are scanned
/// for <c>&lt;meta charset&gt;</c> or <c>&lt;meta http-equiv="content-type" content="...charset=..."&gt;</c>,
/// skipping comments and other tags exactly as a browser does, so that an attribute inside a comment or a
/// quoted value never counts. Like Chromium (and as the html5lib suite expects), bytes inside comments do not
/// count towards the 1024-byte budget, so a long licence comment does not hide the declaration after it.
/// </summary>
public static class MetaPrescan
{
    public const int Limit = 1024;

    // However long the comments, never scan further than this.
    private const int HardLimit = 64 * 1024;

    /// <summary>The label the document declares (already mapped utf-16 → utf-8), or null.</summary>
    public static System.Text.Encoding? Find(ReadOnlySpan<byte> input, int limit = Limit)
    {
        var bytes = input.Length > HardLimit ? input[..HardLimit] : input;
        var pos = 0;
        var inComments = 0;
        while (pos < bytes.Length && pos - inComments < limit)
        {
            if (StartsWith(bytes, pos, "<!--"u8))
            {
                var end = IndexOf(bytes, pos + 2, "-->"u8);
                if (end < 0) return null;
                inComments += end + 3 - pos;
                pos = end + 3;
                continue;
            }
            if (StartsWithIgnoreCase(bytes, pos, "<meta"u8) && pos + 5 < bytes.Length && (IsSpace(bytes[pos + 5]) || bytes[pos + 5] == '/'))
            {
                pos += 5;
                var (found, aborted) = ReadMeta(bytes, ref pos);
                if (aborted) return null;
                if (found is not null) return found;
                pos++;
                continue;
            }
            if (pos + 1 < bytes.Length && bytes[pos] == '<' && (IsLetter(bytes[pos + 1]) || (bytes[pos + 1] == '/' && pos + 2 < bytes.Length && IsLetter(bytes[pos + 2]))))
            {
                while (pos < bytes.Length && !IsSpace(bytes[pos]) && bytes[pos] != '>') pos++;
                while (true)
                {
                    var attribute = ReadAttribute(bytes, ref pos, out var abort);
                    if (abort) return null;
                    if (attribute is null) break;
                }
                pos++;
                continue;
            }
            if (pos + 1 < bytes.Length && bytes[pos] == '<' && bytes[pos + 1] is (byte)'!' or (byte)'/' or (byte)'?')
            {
                var end = bytes[pos..].IndexOf((byte)'>');
                if (end < 0) return null;
                pos += end + 1;
                continue;
            }
            pos++;
        }
        return null;
    }

    private static (System.Text.Encoding? Found, bool Aborted) ReadMeta(ReadOnlySpan<byte> bytes, ref int pos)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var gotPragma = false;
        bool? needPragma = null;
        System.Text.Encoding? charset = null;
        var charsetFailed = false;
        while (true)
        {
            var attribute = ReadAttribute(bytes, ref pos, out var abort);
            if (abort) return (null, true);
            if (attribute is not { } attr) break;
            if (!seen.Add(attr.Name)) continue;
            switch (attr.Name)
            {
                case "http-equiv":
                    if (attr.Value == "content-type") gotPragma = true;
                    break;
                case "content":
                    if (charset is null && !charsetFailed && ExtractFromContent(attr.Value) is { } label)
                    {
                        charset = EncodingLabels.Resolve(label);
                        charsetFailed = charset is null;
                        needPragma = true;
                    }
                    break;
                case "charset":
                    charset = EncodingLabels.Resolve(attr.Value);
                    charsetFailed = charset is null;
                    needPragma = false;
                    break;
            }
        }
        if (needPragma is null || (needPragma == true && !gotPragma) || charset is null) return (null, false);
        // A page cannot declare itself UTF-16 in ASCII bytes: browsers read that as UTF-8.
        if (EncodingLabels.IsUtf16Or32(charset)) charset = EncodingLabels.Resolve("utf-8");
        return (charset, false);
    }

    /// <summary>The "extracting a character encoding from a meta element" algorithm, on a content value.</summary>
    public static string? ExtractFromContent(string content)
    {
        var pos = 0;
        while (true)
        {
            var at = content.IndexOf("charset", pos, StringComparison.OrdinalIgnoreCase);
            if (at < 0) return null;
            pos = at + 7;
            while (pos < content.Length && IsSpace(content[pos])) pos++;
            if (pos >= content.Length) return null;
            if (content[pos] != '=') continue;
            pos++;
            while (pos < content.Length && IsSpace(content[pos])) pos++;
            if (pos >= content.Length) return null;
            var c = content[pos];
            if (c is '"' or '\'')
            {
                var close = content.IndexOf(c, pos + 1);
                return close < 0 ? null : content[(pos + 1)..close];
            }
            var end = pos;
            while (end < content.Length && !IsSpace(content[end]) && content[end] != ';') end++;
            return content[pos..end];
        }
    }

    private readonly record struct Attribute(string Name, string Value);

    private static Attribute? ReadAttribute(ReadOnlySpan<byte> bytes, ref int pos, out bool abort)
    {
        abort = false;
        while (pos < bytes.Length && (IsSpace(bytes[pos]) || bytes[pos] == '/')) pos++;
        if (pos >= bytes.Length) { abort = true; return null; }
        if (bytes[pos] == '>') return null;
        var name = new System.Text.StringBuilder();
        var value = new System.Text.StringBuilder();
        while (true)
        {
            if (pos >= bytes.Length) { abort = true; return null; }
            var b = bytes[pos];
            if (b == '=' && name.Length > 0) { pos++; goto Value; }
            if (IsSpace(b)) break;
            if (b is (byte)'/' or (byte)'>') return new Attribute(name.ToString(), "");
            name.Append(Lower(b));
            pos++;
        }
        while (pos < bytes.Length && IsSpace(bytes[pos])) pos++;
        if (pos >= bytes.Length) { abort = true; return null; }
        if (bytes[pos] != '=') return new Attribute(name.ToString(), "");
        pos++;
    Value:
        while (pos < bytes.Length && IsSpace(bytes[pos])) pos++;
        if (pos >= bytes.Length) { abort = true; return null; }
        var first = bytes[pos];
        if (first is (byte)'"' or (byte)'\'')
        {
            while (true)
            {
                pos++;
                if (pos >= bytes.Length) { abort = true; return null; }
                if (bytes[pos] == first) { pos++; return new Attribute(name.ToString(), value.ToString()); }
                value.Append(Lower(bytes[pos]));
            }
        }
        if (first == '>') return new Attribute(name.ToString(), "");
        while (true)
        {
            if (pos >= bytes.Length) { abort = true; return null; }
            var b = bytes[pos];
            if (IsSpace(b) || b == '>') return new Attribute(name.ToString(), value.ToString());
            value.Append(Lower(b));
            pos++;
        }
    }

    private static char Lower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (char)(b + 32) : (char)b;
    private static bool IsSpace(byte b) => b is 0x09 or 0x0A or 0x0C or 0x0D or 0x20;
    private static bool IsSpace(char c) => c is '\t' or '\n' or '\f' or '\r' or ' ';
    private static bool IsLetter(byte b) => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z';

    private static bool StartsWith(ReadOnlySpan<byte> bytes, int pos, ReadOnlySpan<byte> prefix) =>
        bytes.Length - pos >= prefix.Length && bytes.Slice(pos, prefix.Length).SequenceEqual(prefix);

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> bytes, int pos, ReadOnlySpan<byte> prefix)
    {
        if (bytes.Length - pos < prefix.Length) return false;
        for (var i = 0; i < prefix.Length; i++)
            if (Lower(bytes[pos + i]) != prefix[i]) return false;
        return true;
    }

    private static int IndexOf(ReadOnlySpan<byte> bytes, int from, ReadOnlySpan<byte> needle)
    {
        if (from >= bytes.Length) return -1;
        var at = bytes[from..].IndexOf(needle);
        return at < 0 ? -1 : from + at;
    }
}
