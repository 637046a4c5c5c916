using System.Text;
using System.Text.Unicode;
using UtfUnknown;

namespace Archiver.Platforms.Charsets;

/// <summary>What kind of document the bytes are, which decides where an in-document declaration is looked for.</summary>
public enum DocumentKind { Auto, Html, Xml, Json, Text }

/// <summary>Text decoded from bytes, the decoder used, and where the choice came from (<see cref="DecodeSources"/>).</summary>
public readonly record struct DecodedText(string Text, System.Text.Encoding Encoding, string Source)
{
    public string EncodingName => EncodingLabels.NameOf(Encoding);
}

public static class DecodeSources
{
    public const string Bom = "bom";
    public const string Http = "http";
    public const string Meta = "meta";
    public const string XmlDeclaration = "xml-declaration";
    public const string Detected = "detected";
    public const string Default = "default";
}

/// <summary>
/// Bytes to text as a browser (or, for feeds, an XML parser) would: byte-order mark, then the HTTP charset,
/// then the document's own declaration (HTML meta prescan, XML declaration), then detection, then windows-1252.
/// Pure; the only state is the process-wide code page registration.
/// </summary>
public static class TextDecoder
{
    // Detection looks at a prefix: enough for the statistics to settle, cheap on multi-megabyte pages.
    private const int DetectionWindow = 64 * 1024;

    public static DecodedText Decode(ReadOnlySpan<byte> body, string? contentType, DocumentKind kind = DocumentKind.Auto)
    {
        EncodingLabels.EnsureRegistered();
        if (kind == DocumentKind.Auto) kind = Guess(body, contentType);

        if (Bom(body) is { } bom)
            return new DecodedText(bom.Encoding.GetString(body[bom.Length..]), bom.Encoding, DecodeSources.Bom);

        if (EncodingLabels.Resolve(CharsetOf(contentType)) is { } http)
            return Make(body, http, DecodeSources.Http);

        if (kind == DocumentKind.Html && MetaPrescan.Find(body) is { } meta)
            return Make(body, meta, DecodeSources.Meta);

        if (kind == DocumentKind.Xml && XmlDeclaration.Find(body) is { } declared)
            return Make(body, declared, DecodeSources.XmlDeclaration);

        if (WideWithoutBom(body) is { } wide)
            return Make(body, wide, DecodeSources.Detected);

        if (kind is DocumentKind.Json or DocumentKind.Xml && Utf8.IsValid(body))
            return Make(body, System.Text.Encoding.UTF8, DecodeSources.Default);

        return Detect(body);
    }

    /// <summary>The charset parameter of a Content-Type header value, unquoted, or null.</summary>
    public static string? CharsetOf(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return null;
        foreach (var part in contentType.Split(';'))
        {
            var eq = part.IndexOf('=');
            if (eq < 0) continue;
            if (!part[..eq].Trim().Equals("charset", StringComparison.OrdinalIgnoreCase)) continue;
            var value = part[(eq + 1)..].Trim().Trim('"', '\'').Trim();
            return value.Length == 0 ? null : value;
        }
        return null;
    }

    private static DocumentKind Guess(ReadOnlySpan<byte> body, string? contentType)
    {
        var type = contentType?.ToLowerInvariant() ?? "";
        if (type.Contains("html")) return DocumentKind.Html;
        if (type.Contains("json")) return DocumentKind.Json;
        if (type.Contains("xml") || type.Contains("rss") || type.Contains("atom")) return DocumentKind.Xml;
        var start = body.Length > 512 ? body[..512] : body;
        var i = 0;
        while (i < start.Length && start[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF) i++;
        var rest = start[i..];
        if (rest.StartsWith("<?xml"u8)) return DocumentKind.Xml;
        if (rest.Length > 0 && rest[0] is (byte)'{' or (byte)'[') return DocumentKind.Json;
        return DocumentKind.Html;
    }

    private static DecodedText Make(ReadOnlySpan<byte> body, System.Text.Encoding encoding, string source) =>
        new(encoding.GetString(body), encoding, source);

    private static (System.Text.Encoding Encoding, int Length)? Bom(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return (System.Text.Encoding.UTF8, 3);
        if (body.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00])) return (System.Text.Encoding.UTF32, 4);
        if (body.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF])) return (new UTF32Encoding(bigEndian: true, byteOrderMark: false), 4);
        if (body.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return (System.Text.Encoding.Unicode, 2);
        if (body.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return (System.Text.Encoding.BigEndianUnicode, 2);
        return null;
    }

    /// <summary>UTF-16/32 without a byte-order mark: ASCII markup leaves zero bytes in a fixed lane.</summary>
    private static System.Text.Encoding? WideWithoutBom(ReadOnlySpan<byte> body)
    {
        var n = Math.Min(body.Length, 4096) & ~3;
        if (n < 8) return null;
        Span<int> zeros = stackalloc int[4];
        for (var i = 0; i < n; i++)
            if (body[i] == 0) zeros[i & 3]++;
        var quarter = n / 4;
        bool Mostly(int count) => count >= quarter * 7 / 10;
        bool Rarely(int count) => count <= quarter / 10;
        if (Mostly(zeros[1]) && Mostly(zeros[2]) && Mostly(zeros[3]) && Rarely(zeros[0])) return System.Text.Encoding.UTF32;
        if (Mostly(zeros[0]) && Mostly(zeros[1]) && Mostly(zeros[2]) && Rarely(zeros[3])) return new UTF32Encoding(bigEndian: true, byteOrderMark: false);
        if (Mostly(zeros[1]) && Mostly(zeros[3]) && Rarely(zeros[0]) && Rarely(zeros[2])) return System.Text.Encoding.Unicode;
        if (Mostly(zeros[0]) && Mostly(zeros[2]) && Rarely(zeros[1]) && Rarely(zeros[3])) return System.Text.Encoding.BigEndianUnicode;
        return null;
    }

    // Two or three stray high bytes ("£825") happen to form valid GB18030 or Shift_JIS sequences; a page
    // really written in a CJK encoding has many more. Below this count the Western default is likelier.
    private const int MinHighBytesForCjk = 6;

    private static bool IsMultiByteCjk(System.Text.Encoding encoding) => encoding.CodePage is 932 or 936 or 54936 or 949 or 950 or 51932 or 51949;

    private static int CountHighBytes(ReadOnlySpan<byte> bytes)
    {
        var count = 0;
        foreach (var b in bytes)
            if (b >= 0x80) count++;
        return count;
    }

    private static DecodedText Detect(ReadOnlySpan<byte> body)
    {
        if (Utf8.IsValid(body)) return Make(body, System.Text.Encoding.UTF8, DecodeSources.Detected);
        var window = body.Length > DetectionWindow ? body[..DetectionWindow] : body;
        var detected = CharsetDetector.DetectFromBytes(window).Detected;
        if (detected is { Confidence: > 0.2f } && EncodingLabels.Resolve(detected.EncodingName) is { } guess
            && !(IsMultiByteCjk(guess) && CountHighBytes(window) < MinHighBytesForCjk))
            return Make(body, guess, DecodeSources.Detected);
        return Make(body, EncodingLabels.Resolve("windows-1252")!, DecodeSources.Default);
    }
}
