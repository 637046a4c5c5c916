using System.Collections.Concurrent;
using System.Text;

namespace Archiver.Platforms.Charsets;

/// <summary>
/// Maps charset labels (HTTP, meta, XML declaration) to decoders the way browsers do (WHATWG Encoding
/// Standard): "iso-8859-1" and "ascii" mean windows-1252, "gb2312" means GB18030, and so on. The namespace
/// is not called "Encoding" so that <c>Encoding</c> keeps meaning System.Text.Encoding across Platforms.
/// </summary>
public static class EncodingLabels
{
    private static readonly ConcurrentDictionary<string, System.Text.Encoding?> Cache = new(StringComparer.Ordinal);

    static EncodingLabels() => System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Makes legacy code pages (windows-125x, KOI8, Shift_JIS, ...) available; idempotent.</summary>
    public static void EnsureRegistered()
    {
        // The static constructor does the work; this method only forces it to run.
    }

    // Labels whose WHATWG meaning differs from what .NET's GetEncoding would pick for the same name.
    private static readonly Dictionary<string, int> Overrides = new(StringComparer.Ordinal)
    {
        ["iso-8859-1"] = 1252,
        ["latin1"] = 1252,
        ["l1"] = 1252,
        ["ascii"] = 1252,
        ["us-ascii"] = 1252,
        ["ansi_x3.4-1968"] = 1252,
        ["cp819"] = 1252,
        ["ibm819"] = 1252,
        ["csisolatin1"] = 1252,
        ["iso-ir-100"] = 1252,
        ["x-cp1252"] = 1252,
        ["cp1252"] = 1252,
        ["x-user-defined"] = 1252,
        ["iso-8859-9"] = 1254,
        ["latin5"] = 1254,
        ["l5"] = 1254,
        ["iso-ir-148"] = 1254,
        ["csisolatin5"] = 1254,
        ["iso-8859-11"] = 874,
        ["tis-620"] = 874,
        ["windows-874"] = 874,
        ["dos-874"] = 874,
        ["gb2312"] = 54936,
        ["gbk"] = 54936,
        ["x-gbk"] = 54936,
        ["chinese"] = 54936,
        ["csgb2312"] = 54936,
        ["gb_2312-80"] = 54936,
        ["gb_2312"] = 54936,
        ["iso-ir-58"] = 54936,
        ["cp936"] = 54936,
        ["gb18030"] = 54936,
        ["euc-kr"] = 949,
        ["ks_c_5601-1987"] = 949,
        ["ks_c_5601-1989"] = 949,
        ["korean"] = 949,
        ["windows-949"] = 949,
        ["cseuckr"] = 949,
        ["ksc5601"] = 949,
        ["ksc_5601"] = 949,
        ["iso-ir-149"] = 949,
        ["cp949"] = 949,
        ["shift_jis"] = 932,
        ["shift-jis"] = 932,
        ["sjis"] = 932,
        ["ms932"] = 932,
        ["ms_kanji"] = 932,
        ["windows-31j"] = 932,
        ["x-sjis"] = 932,
        ["csshiftjis"] = 932,
        ["cp932"] = 932,
        ["big5"] = 950,
        ["big5-hkscs"] = 950,
        ["cn-big5"] = 950,
        ["csbig5"] = 950,
        ["x-x-big5"] = 950,
        ["cp950"] = 950,
        ["euc-jp"] = 51932,
        ["x-euc-jp"] = 51932,
        ["cseucpkdfmtjapanese"] = 51932,
        ["koi8-r"] = 20866,
        ["koi8"] = 20866,
        ["koi"] = 20866,
        ["cskoi8r"] = 20866,
        ["koi8_r"] = 20866,
        ["koi8-u"] = 21866,
        ["koi8-ru"] = 21866,
        ["iso-8859-8-i"] = 28598,
        ["csiso88598i"] = 28598,
        ["logical"] = 28598,
        ["visual"] = 28598,
        ["utf-16"] = 1200,
        ["utf-16le"] = 1200,
        ["ucs-2"] = 1200,
        ["unicode"] = 1200,
        ["unicodefeff"] = 1200,
        ["csunicode"] = 1200,
        ["iso-10646-ucs-2"] = 1200,
        ["unicodefffe"] = 1201,
        ["utf-16be"] = 1201,
        ["utf-32"] = 12000,
        ["utf-32le"] = 12000,
        ["utf-32be"] = 12001,
        ["utf8"] = 65001,
        ["utf-8"] = 65001,
        ["unicode-1-1-utf-8"] = 65001,
        ["unicode11utf8"] = 65001,
        ["unicode20utf8"] = 65001,
        ["x-unicode20utf8"] = 65001,
    };

    /// <summary>The decoder for a label, or null when the label names no encoding we know.</summary>
    public static System.Text.Encoding? Resolve(string? label)
    {
        if (string.IsNullOrWhiteSpace(label)) return null;
        var key = Normalize(label);
        if (key.Length == 0 || key.Length > 64) return null;
        return Cache.GetOrAdd(key, Lookup);
    }

    /// <summary>Whether the encoding is one of the UTF-16/32 family (which a meta tag may not select).</summary>
    public static bool IsUtf16Or32(System.Text.Encoding encoding) => encoding.CodePage is 1200 or 1201 or 12000 or 12001;

    private static string Normalize(string label)
    {
        var key = label.Trim().ToLowerInvariant();
        // "iso8859-2", "iso_8859-2", "iso88592" are all iso-8859-2.
        if (key.StartsWith("iso8859", StringComparison.Ordinal)) key = "iso-8859-" + key[7..].TrimStart('-', '_');
        else if (key.StartsWith("iso_8859", StringComparison.Ordinal)) key = "iso-8859-" + key[8..].TrimStart('-', '_');
        var colon = key.IndexOf(':');
        if (colon > 0 && key.StartsWith("iso-8859-", StringComparison.Ordinal)) key = key[..colon];
        return key;
    }

    private static System.Text.Encoding? Lookup(string key)
    {
        EnsureRegistered();
        try
        {
            if (Overrides.TryGetValue(key, out var codePage)) return System.Text.Encoding.GetEncoding(codePage);
            if (key.StartsWith("cp", StringComparison.Ordinal) && int.TryParse(key.AsSpan(2), out var cp))
                return System.Text.Encoding.GetEncoding(cp);
            return System.Text.Encoding.GetEncoding(key);
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The WHATWG-style name we report for an encoding ("windows-1252", "utf-8", "shift_jis", ...).</summary>
    public static string NameOf(System.Text.Encoding encoding) => encoding.CodePage switch
    {
        65001 => "utf-8",
        1200 => "utf-16le",
        1201 => "utf-16be",
        12000 => "utf-32le",
        12001 => "utf-32be",
        54936 => "gb18030",
        949 => "euc-kr",
        932 => "shift_jis",
        950 => "big5",
        51932 => "euc-jp",
        20866 => "koi8-r",
        21866 => "koi8-u",
        874 => "windows-874",
        _ => encoding.WebName,
    };
}
