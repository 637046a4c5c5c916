using System.Text;
using Archiver.Platforms.Charsets;
using Archiver.Tests.Support;

namespace Archiver.Tests.Platforms.Encoding;

public sealed class TextDecoderTests
{
    public static TheoryData<string, int> Html5libPrescanCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in new[] { "tests1.dat", "tests2.dat", "test-yahoo-jp.dat" })
        {
            var cases = File.ReadAllBytes(Fixtures.Path($"html_tricky/html5lib-tests/encoding/{file}"));
            var index = 0;
            foreach (var (_, _) in SplitDat(cases)) data.Add(file, index++);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Html5libPrescanCases))]
    public void Meta_prescan_agrees_with_the_html5lib_encoding_suite(string file, int index)
    {
        var (input, expected) = SplitDat(File.ReadAllBytes(Fixtures.Path($"html_tricky/html5lib-tests/encoding/{file}")))[index];

        // The suite runs the whole "sniff" algorithm: a byte-order mark first, then the prescan, else windows-1252.
        var found = input.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])
            ? TextDecoder.Decode(input, null, DocumentKind.Html).Encoding
            : MetaPrescan.Find(input) ?? EncodingLabels.Resolve("windows-1252")!;

        Assert.Equal(EncodingLabels.Resolve(expected)!.CodePage, found.CodePage);
    }

    // Four Japanese characters (8 bytes) are too few for any detector; see the test below for what we do instead.
    private const string TooShortToDetect = "EUC-JP___mozilla_bug431054_text.html";

    public static TheoryData<string> NoCharsetFiles() =>
        new(Directory.GetFiles(Fixtures.Path("html_tricky/chardet_no_charset")).Select(f => Path.GetFileName(f)!)
            .Where(f => f != TooShortToDetect).Order(StringComparer.Ordinal));

    [Fact]
    public void A_page_with_eight_undeclared_high_bytes_falls_back_to_windows_1252()
    {
        var decoded = TextDecoder.Decode(Fixtures.Bytes($"html_tricky/chardet_no_charset/{TooShortToDetect}"), null, DocumentKind.Html);

        Assert.Equal(("windows-1252", "<html>\n<body>\n\u00a5\u00ed\u00a5\u00b0\u00a5\u00a4\u00a5\u00f3\n</body>\n</html>\n"),
            (decoded.EncodingName, decoded.Text));
    }

    [Theory]
    [MemberData(nameof(NoCharsetFiles))]
    public void Undeclared_pages_decode_to_the_same_text_as_their_true_encoding(string name)
    {
        var bytes = Fixtures.Bytes($"html_tricky/chardet_no_charset/{name}");
        var truth = TrueEncoding(name[..name.IndexOf("__", StringComparison.Ordinal)]);

        var decoded = TextDecoder.Decode(bytes, contentType: null, DocumentKind.Html);

        Assert.Equal(truth.GetString(bytes).TrimStart('\uFEFF'), decoded.Text);
        Assert.Contains(decoded.Source, new[] { DecodeSources.Detected, DecodeSources.Default });
    }

    [Fact]
    public void Latin1_bytes_declared_only_in_a_meta_tag_decode_as_windows_1252()
    {
        var bytes = Fixtures.Bytes("forums/trafilatura_cache/cdu-fraktion-erfurt.de.waldorfschule.html");

        var decoded = TextDecoder.Decode(bytes, "text/html");

        Assert.Equal(("windows-1252", DecodeSources.Meta), (decoded.EncodingName, decoded.Source));
        Assert.Contains("Waldorfschule", decoded.Text);
        Assert.DoesNotContain('\uFFFD', decoded.Text);
        Assert.Contains("für", decoded.Text);
    }

    [Fact]
    public void The_http_charset_wins_over_the_meta_tag_and_a_bom_wins_over_both()
    {
        var page = "<meta charset=\"windows-1251\"><p>caf\u00e9</p>"u8.ToArray();
        var latin = System.Text.Encoding.Latin1.GetBytes("<meta charset=\"windows-1251\"><p>caf\u00e9</p>");

        Assert.Equal(("<meta charset=\"windows-1251\"><p>caf\u00e9</p>", DecodeSources.Http),
            (TextDecoder.Decode(page, "text/html; charset=\"UTF-8\"").Text, TextDecoder.Decode(page, "text/html; charset=\"UTF-8\"").Source));
        Assert.Equal(("<meta charset=\"windows-1251\"><p>caf\u0439</p>", DecodeSources.Meta),
            (TextDecoder.Decode(latin, "text/html").Text, TextDecoder.Decode(latin, "text/html").Source));
        var withBom = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(page).ToArray();
        Assert.Equal(("<meta charset=\"windows-1251\"><p>caf\u00e9</p>", DecodeSources.Bom),
            (TextDecoder.Decode(withBom, "text/html; charset=koi8-r").Text, TextDecoder.Decode(withBom, "text/html; charset=koi8-r").Source));
    }

    [Fact]
    public void An_unknown_http_charset_is_ignored()
    {
        var decoded = TextDecoder.Decode("<p>caf\u00e9</p>"u8, "text/html; charset=no-such-thing");

        Assert.Equal(("<p>caf\u00e9</p>", "utf-8", DecodeSources.Detected), (decoded.Text, decoded.EncodingName, decoded.Source));
    }

    [Theory]
    [InlineData("KOI8-R__aif.ru.health.xml", "koi8-r", "\u0417\u0434\u043e\u0440\u043e\u0432\u044c\u0435")]
    [InlineData("windows-1251-russian__aif.ru.health.xml", "windows-1251", "\u0417\u0434\u043e\u0440\u043e\u0432\u044c\u0435")]
    [InlineData("SHIFT_JIS__10e.org.xml", "shift_jis", "\u65e5\u8a18")]
    [InlineData("EUC-KR__blog.rss.naver.com.xml", "euc-kr", "\ube14\ub85c\uadf8")]
    [InlineData("Big5__0804.blogspot.com.xml", "big5", "\u7684")]
    [InlineData("EUC-JP__blog.kabu-navi.com.xml", "euc-jp", "\u682a")]
    [InlineData("iso-8859-7-greek__disabled.gr.xml", "iso-8859-7", "\u03b1")]
    [InlineData("windows-1255-hebrew__carshops.co.il.xml", "windows-1255", "\u05e8\u05db\u05d1")]
    public void Legacy_feeds_decode_by_their_xml_declaration(string file, string encoding, string sample)
    {
        var decoded = TextDecoder.Decode(Fixtures.Bytes($"feeds/chardet_real_feeds/{file}"), "application/xml");

        Assert.Equal((encoding, DecodeSources.XmlDeclaration), (decoded.EncodingName, decoded.Source));
        Assert.Contains(sample, decoded.Text);
        Assert.DoesNotContain('\uFFFD', decoded.Text);
    }

    [Theory]
    [InlineData("utf-16le.xml", "utf-16le")]
    [InlineData("utf-16be.xml", "utf-16be")]
    [InlineData("utf-32le.xml", "utf-32le")]
    [InlineData("utf-32be.xml", "utf-32be")]
    [InlineData("utf-16le-bom.xml", "utf-16le")]
    [InlineData("utf-32be-bom.xml", "utf-32be")]
    [InlineData("utf-8-bom.xml", "utf-8")]
    [InlineData("utf-16le-autodetect.xml", "utf-16le")]
    [InlineData("utf-32be-autodetect.xml", "utf-32be")]
    public void Wide_feeds_are_recognised_with_or_without_a_byte_order_mark(string file, string encoding)
    {
        var decoded = TextDecoder.Decode(Fixtures.Bytes($"feeds/feedparser/encoding/{file}"), null, DocumentKind.Xml);

        Assert.Equal(encoding, decoded.EncodingName);
        Assert.StartsWith("<?xml", decoded.Text.TrimStart());
    }

    [Fact]
    public void A_utf16_meta_declaration_in_ascii_bytes_means_utf8()
    {
        var found = MetaPrescan.Find("<meta charset=utf-16>"u8);

        Assert.Equal(65001, found!.CodePage);
    }

    internal static System.Text.Encoding TrueEncoding(string directory)
    {
        var label = directory.ToLowerInvariant() switch
        {
            var d when d.StartsWith("iso-8859-5", StringComparison.Ordinal) => "iso-8859-5",
            var d when d.StartsWith("iso-8859-6", StringComparison.Ordinal) => "iso-8859-6",
            var d when d.StartsWith("iso-8859-7", StringComparison.Ordinal) => "iso-8859-7",
            var d when d.StartsWith("windows-125", StringComparison.Ordinal) => d[..12],
            "ascii" => "windows-1252",
            var d => d,
        };
        return EncodingLabels.Resolve(label) ?? throw new InvalidOperationException($"unknown label {label}");
    }

    private static List<(byte[] Data, string Encoding)> SplitDat(byte[] file)
    {
        // The .dat format: "#data\n<bytes>\n#encoding\n<label>\n\n"; the bytes may be in any encoding, so split on bytes.
        var result = new List<(byte[], string)>();
        var text = System.Text.Encoding.Latin1.GetString(file);
        var pos = 0;
        while ((pos = text.IndexOf("#data\n", pos, StringComparison.Ordinal)) >= 0)
        {
            var start = pos + 6;
            var enc = text.IndexOf("\n#encoding\n", start, StringComparison.Ordinal);
            var lineEnd = text.IndexOf('\n', enc + 11);
            if (lineEnd < 0) lineEnd = text.Length;
            result.Add((System.Text.Encoding.Latin1.GetBytes(text[start..enc]), text[(enc + 11)..lineEnd].Trim()));
            pos = lineEnd;
        }
        return result;
    }
}

public sealed class TextDecoderHostileInputTests
{
    [Fact]
    public void Mutated_and_random_bytes_always_decode()
    {
        var seeds = new[]
        {
            Fixtures.Bytes("html_tricky/chardet_no_charset/SHIFT_JIS___chromium_Shift-JIS_with_no_encoding_specified.html"),
            Fixtures.Bytes("feeds/chardet_real_feeds/KOI8-R__aif.ru.health.xml"),
            Fixtures.Bytes("feeds/feedparser/encoding/utf-16le-bom.xml"),
            "<!-- x --><meta http-equiv=\"Content-Type\" content=\"text/html; charset=euc-jp\"><p>x</p>"u8.ToArray(),
        };
        var count = 0;
        foreach (var bytes in Archiver.Tests.Platforms.TestPages.Mutants(seeds, 1000, seed: 5))
        {
            var kind = (DocumentKind)(count % 4 + 1);
            var decoded = TextDecoder.Decode(bytes, count % 3 == 0 ? "text/html; charset=\"" : null, kind);
            Assert.NotNull(decoded.Text);
            MetaPrescan.Find(bytes);
            XmlDeclaration.Find(bytes);
            count++;
        }
        Assert.Equal(1000, count);
    }
}
