using System.Text;
using Archiver.Capturing;
using Archiver.Tests.Support;

namespace Archiver.Tests.Capturing;

public sealed class WarcWriterTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 30, 45, TimeSpan.Zero);

    internal static WarcWriterOptions Options(string dir, bool compress = true, CdxjIndex? index = null, long max = 1L << 30) => new()
    {
        Directory = dir,
        Compress = compress,
        Time = new FixedTime(Now),
        NewId = FixedTime.CountingIds(),
        Software = "archiver/test",
        Index = index,
        MaxFileBytes = max,
    };

    internal static HttpExchange Exchange(string url = "http://example.test/page?a=1", string body = "<p>hello</p>") => new()
    {
        Url = new Uri(url),
        RequestHeaders = new WarcHeaders().Add("User-Agent", "archiver-test"),
        Status = 200,
        Reason = "OK",
        ResponseHeaders = new WarcHeaders().Add("Content-Type", "text/html").Add("Content-Length", Encoding.UTF8.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Body = Encoding.UTF8.GetBytes(body),
        Date = Now,
    };

    [Fact]
    public void Writes_warcinfo_then_a_linked_response_and_request_byte_for_byte()
    {
        using var dir = new TempArchive();
        using (var writer = new WarcWriter(Options(dir.Path, compress: false))) writer.WriteExchange(Exchange());

        var text = File.ReadAllText(Directory.GetFiles(dir.Path).Single());
        var expected =
            "WARC/1.1\r\nWARC-Type: warcinfo\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n" +
            "WARC-Date: 2026-03-01T12:30:45Z\r\nWARC-Filename: archiver-20260301123045-00000.warc\r\n" +
            "WARC-Block-Digest: sha256:5QMHF5MZN7IIBNFQJESOP2WGFN6BW3SG5LSSZOJZ4I7KRGHZGAHA====\r\n" +
            "Content-Type: application/warc-fields\r\nContent-Length: 147\r\n\r\n" +
            "software: archiver/test\r\nformat: WARC File Format 1.1\r\n" +
            "conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n\r\n\r\n" +
            "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000002>\r\n" +
            "WARC-Date: 2026-03-01T12:30:45Z\r\nWARC-Target-URI: http://example.test/page?a=1\r\n" +
            "WARC-Warcinfo-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n" +
            "WARC-Block-Digest: sha256:BLOCK\r\nWARC-Payload-Digest: sha256:PAYLOAD\r\n" +
            "Content-Type: application/http;msgtype=response\r\nContent-Length: 76\r\n\r\n" +
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 12\r\n\r\n<p>hello</p>\r\n\r\n" +
            "WARC/1.1\r\nWARC-Type: request\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000003>\r\n" +
            "WARC-Date: 2026-03-01T12:30:45Z\r\nWARC-Target-URI: http://example.test/page?a=1\r\n" +
            "WARC-Concurrent-To: <urn:uuid:00000000-0000-0000-0000-000000000002>\r\n" +
            "WARC-Warcinfo-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n" +
            "WARC-Block-Digest: sha256:REQUEST\r\n" +
            "Content-Type: application/http;msgtype=request\r\nContent-Length: 73\r\n\r\n" +
            "GET /page?a=1 HTTP/1.1\r\nHost: example.test\r\nUser-Agent: archiver-test\r\n\r\n\r\n\r\n";
        var responseBlock = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 12\r\n\r\n<p>hello</p>";
        var requestBlock = "GET /page?a=1 HTTP/1.1\r\nHost: example.test\r\nUser-Agent: archiver-test\r\n\r\n";
        expected = expected
            .Replace("sha256:BLOCK", WarcDigest.Sha256(Encoding.UTF8.GetBytes(responseBlock)))
            .Replace("sha256:PAYLOAD", WarcDigest.Sha256("<p>hello</p>"u8))
            .Replace("sha256:REQUEST", WarcDigest.Sha256(Encoding.UTF8.GetBytes(requestBlock)));
        Assert.Equal(expected, text);
    }

    [Fact]
    public void Encodes_sha256_digests_in_padded_base32_as_warcio_does()
    {
        Assert.Equal("sha256:XJ4BNP4PAHH6UQKBIDPF3LRCEOYAGYNDSYLXVHFUCD7WD4QACWWQ====", WarcDigest.Sha256("abc"u8));
        Assert.Equal("MZXW6===", WarcDigest.Base32("foo"u8));
    }

    [Fact]
    public void Round_trips_write_read_write_to_identical_gzip_bytes()
    {
        using var dir = new TempArchive();
        using (var writer = new WarcWriter(Options(dir.Path)))
        {
            writer.WriteExchange(Exchange());
            writer.WriteExchange(Exchange("http://example.test/b", "second"));
            writer.WriteRecord(new WarcRecordDraft { Type = "resource", TargetUri = "urn:dom:http://example.test/b", ContentType = "text/html", Block = "<html>dom</html>"u8.ToArray() });
        }
        var file = Directory.GetFiles(dir.Path).Single();
        var records = WarcReader.Read(file).ToList();
        Assert.Equal(["warcinfo", "response", "request", "response", "request", "resource"], records.Select(r => r.Type));
        var rewritten = records.SelectMany(r => WarcWriter.Gzip(WarcWriter.Serialize(r.Version, r.Headers, r.Block.Span))).ToArray();
        Assert.Equal(File.ReadAllBytes(file), rewritten);
    }

    [Fact]
    public void Returns_the_offset_length_and_digests_that_the_reader_finds_again()
    {
        using var dir = new TempArchive();
        WarcWritten response;
        using (var writer = new WarcWriter(Options(dir.Path)))
        {
            writer.WriteExchange(Exchange("http://example.test/a", "first"));
            response = writer.WriteExchange(Exchange("http://example.test/b", "second")).Response;
        }
        var read = WarcReader.Read(Path.Combine(dir.Path, response.File)).Single(r => r.Offset == response.Offset);
        Assert.Equal("http://example.test/b", read.TargetUri);
        Assert.Equal(response.Length, read.Length);
        Assert.Equal(response.RecordId, read.RecordId);
        Assert.True(read.BlockDigestMatches());
        Assert.True(WarcDigest.Matches(read.Headers["WARC-Payload-Digest"]!, read.Payload.Span));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("second"u8)), response.PayloadSha256Hex);
    }

    [Fact]
    public void Starts_a_new_file_with_its_own_warcinfo_when_the_size_limit_is_reached()
    {
        using var dir = new TempArchive();
        using (var writer = new WarcWriter(Options(dir.Path, max: 1500)))
        {
            for (var i = 0; i < 6; i++) writer.WriteExchange(Exchange($"http://example.test/{i}", new string('x', 400)));
        }
        var files = Directory.GetFiles(dir.Path).Order().ToList();
        Assert.True(files.Count >= 3, $"expected rotation, got {files.Count} file(s)");
        foreach (var file in files)
        {
            var records = WarcReader.Read(file).ToList();
            Assert.Equal("warcinfo", records[0].Type);
            Assert.Equal(records.Count(r => r.Type == "response"), records.Count(r => r.Type == "request"));
        }
        Assert.Equal(6, files.Sum(f => WarcReader.Read(f).Count(r => r.Type == "response")));
    }

    [Fact]
    public void Appends_a_surt_keyed_cdxj_line_per_response_pointing_at_the_record()
    {
        using var dir = new TempArchive();
        var indexPath = Path.Combine(dir.Path, "index.cdxj");
        WarcWritten response;
        using (var index = new CdxjIndex(indexPath))
        using (var writer = new WarcWriter(Options(dir.Path, index: index)))
        {
            response = writer.WriteExchange(Exchange("http://www.Example.test:8080/page?b=2&a=1", "x")).Response;
        }
        var line = Assert.Single(File.ReadAllLines(indexPath));
        Assert.Equal(
            $"test,example:8080)/page?a=1&b=2 20260301123045 {{\"url\": \"http://www.example.test:8080/page?b=2&a=1\", \"mime\": \"text/html\", \"status\": \"200\", " +
            $"\"digest\": \"{response.PayloadDigest}\", \"length\": \"{response.Length}\", \"offset\": \"{response.Offset}\", \"filename\": \"{response.File}\"}}",
            line);
        var entry = Assert.Single(CdxjIndex.Read(indexPath));
        Assert.Equal(response.Offset, entry.Offset);
    }
}
