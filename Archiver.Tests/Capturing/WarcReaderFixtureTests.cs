using System.Text;
using Archiver.Capturing;
using Archiver.Tests.Support;

namespace Archiver.Tests.Capturing;

public sealed class WarcReaderFixtureTests
{
    private static (List<string> Records, List<WarcProblem> Problems) ReadAll(string relative)
    {
        var problems = new List<WarcProblem>();
        var records = WarcReader.Read(Fixtures.Path(relative), new WarcReadOptions { OnProblem = problems.Add })
            .Select(r => $"{r.Offset} {r.Type} {r.TargetUri}".TrimEnd())
            .ToList();
        return (records, problems);
    }

    [Fact]
    public void Reads_an_uncompressed_warc_1_0_file_record_by_record_with_offsets()
    {
        var (records, problems) = ReadAll("warc/warcio/example.warc");
        Assert.Equal(
        [
            "0 warcinfo", "488 warcinfo", "1197 response http://example.com/", "2566 request http://example.com/",
            "3370 revisit http://example.com/", "4316 request http://example.com/",
        ], records);
        Assert.Empty(problems);
    }

    [Fact]
    public void Reads_a_gzip_per_record_file_with_each_record_at_its_member_offset()
    {
        var (records, problems) = ReadAll("warc/warcio/example.warc.gz");
        Assert.Equal(
        [
            "0 warcinfo", "353 warcinfo", "784 response http://example.com/", "2012 request http://example.com/",
            "2621 revisit http://example.com/", "3207 request http://example.com/",
        ], records);
        Assert.Empty(problems);
    }

    [Fact]
    public void Reads_a_whole_file_gzip_warc_with_every_record_located_at_the_single_member()
    {
        var (records, _) = ReadAll("warc/warcio/example-bad-non-chunked.warc.gz");
        Assert.Equal(["0 warcinfo", "0 warcinfo", "0 response http://example.com/", "0 request http://example.com/", "0 revisit http://example.com/", "0 request http://example.com/"], records);
    }

    [Fact]
    public void Reads_a_gzip_header_with_an_extra_field_as_jwarc_writes_it()
    {
        var record = Assert.Single(WarcReader.Read(Fixtures.Path("warc/jwarc/gzip_extra_sl.warc.gz")));
        Assert.Equal("warcinfo", record.Type);
        Assert.Equal(459, record.Length);
        Assert.True(record.BlockDigestMatches());
    }

    [Fact]
    public void Reads_a_record_split_over_two_gzip_members_as_one_record()
    {
        var (records, problems) = ReadAll("warc/warcio/example-wrong-chunks.warc.gz");
        Assert.Equal(["0 response http://example.com/", "1130 request http://example.com/"], records);
        Assert.Empty(problems);
    }

    [Fact]
    public void Skips_records_whose_content_length_is_wrong_and_reports_them_with_their_offset()
    {
        var warnings = new List<WarcProblem>();
        var problems = new List<WarcProblem>();
        var records = WarcReader.Read(Fixtures.Path("warc/warcio_js/example-bad-length.warc"), new WarcReadOptions { OnProblem = problems.Add, OnWarning = warnings.Add })
            .Select(r => $"{r.Offset} {r.Type} {r.TargetUri}".TrimEnd()).ToList();
        // The record at 3370 has a Content-Length two bytes long, ending in the first CRLF of its record end:
        // node-warc writes every record so, and warcio and pywb read it whole. It is read, with a warning.
        Assert.Equal(["0 warcinfo", "488 warcinfo", "2566 request http://example.com/", "3370 revisit http://example.com/", "4316 request http://example.com/"], records);
        Assert.Equal([1197L], problems.Select(p => p.Offset));
        Assert.All(problems, p => Assert.Contains("Content-Length", p.Reason));
        Assert.Equal([3370L], warnings.Select(w => w.Offset));
        Assert.Contains("node-warc", warnings[0].Reason);
    }

    [Fact]
    public void Strict_reading_throws_a_format_error_naming_the_file_and_offset()
    {
        var error = Assert.Throws<WarcFormatException>(() =>
            WarcReader.Read(Fixtures.Path("warc/warcio/example-trunc.warc"), new WarcReadOptions { Strict = true }).ToList());
        Assert.Equal(1197, error.Offset);
        Assert.Contains("example-trunc.warc", error.Message);
        Assert.Contains("offset 1197", error.Message);
    }

    [Fact]
    public void Reads_the_torture_files_record_types_as_written_even_with_bare_line_feeds()
    {
        var (fields, fieldProblems) = ReadAll("warc/warcio/standard-torture-validate-field.warc");
        Assert.Equal(["0 does-not-exist <http://example.com/>", "1139 invalid", "1286 request"], fields);
        Assert.Equal("file ends inside a record header", Assert.Single(fieldProblems).Reason);

        var (records, problems) = ReadAll("warc/warcio/standard-torture-validate-record.warc");
        Assert.Equal(
        [
            "warcinfo", "warcinfo", "warcinfo", "response", "resource", "resource", "resource", "request", "request",
            "metadata", "metadata", "revisit", "revisit", "revisit", "conversion", "continuation", "continuation",
        ], records.Select(r => r.Split(' ')[1]));
        Assert.Empty(problems);
    }

    [Fact]
    public void Reads_a_gzip_per_record_arc_file_as_warc_records_at_their_member_offsets()
    {
        var problems = new List<WarcProblem>();
        var records = WarcReader.Read(Fixtures.Path("warc/warcio/example.arc.gz"), new WarcReadOptions { OnProblem = problems.Add }).ToList();

        Assert.Empty(problems);
        Assert.Equal(["0 warcinfo", "171 response http://example.com/"], records.Select(r => $"{r.Offset} {r.Type} {r.TargetUri}".TrimEnd()));
        Assert.Equal("live-web-example.arc.gz", records[0].Headers["WARC-Filename"]);
        var response = records[1];
        Assert.Equal("2014-02-16T05:02:21Z", response.Date);
        Assert.Equal("93.184.216.119", response.Headers["WARC-IP-Address"]);
        Assert.Equal(1591, response.Block.Length);
        Assert.True(WarcDigest.Matches(response.Headers["WARC-Block-Digest"]!, response.Block.Span));
        Assert.Equal(200, response.Http!.Status);
        Assert.Equal("text/html", response.Http.Headers["Content-Type"]);
        Assert.Contains("<title>Example Domain</title>", System.Text.Encoding.UTF8.GetString(response.Http.Payload.Span));
    }

    [Fact]
    public void Reads_an_uncompressed_arc_file_and_gives_its_records_the_same_ids_on_every_read()
    {
        using var dir = new TempArchive();
        var plain = dir.File("example.arc");
        using (var gzip = new System.IO.Compression.GZipStream(File.OpenRead(Fixtures.Path("warc/warcio/example.arc.gz")), System.IO.Compression.CompressionMode.Decompress))
        using (var file = File.Create(plain))
            gzip.CopyTo(file);

        var first = WarcReader.Read(plain).ToList();
        var second = WarcReader.Read(plain).ToList();

        Assert.Equal(["0 warcinfo", "151 response http://example.com/"], first.Select(r => $"{r.Offset} {r.Type} {r.TargetUri}".TrimEnd()));
        Assert.Equal(first.Select(r => r.RecordId), second.Select(r => r.RecordId));
        Assert.Equal(2, first.Select(r => r.RecordId).Distinct().Count());
        Assert.StartsWith("<urn:uuid:", first[1].RecordId);
    }

    [Fact]
    public void An_arc_record_with_a_broken_header_is_reported_and_the_records_after_it_still_read()
    {
        const string response = "HTTP/1.1 200 OK\r\nDate: Sun, 16 Feb 2014 05:02:20 GMT\r\nContent-Length: 2\r\n\r\nhi";
        var arc = Encoding.ASCII.GetBytes(
            "filedesc://x.arc 0.0.0.0 20200101000000 text/plain 0\n\n"
            + $"http://a.example/ 1.2.3.4 20200101000000 text/html {response.Length}\n{response}\n"
            + $"http://b.example/ 1.2.3.4 sometime text/html {response.Length}\n{response}\n"
            + $"http://c.example/ 1.2.3.4 20200101000200 text/html {response.Length}\n{response}\n");
        var problems = new List<WarcProblem>();

        var records = WarcReader.Read(new MemoryStream(arc), "x.arc", new WarcReadOptions { OnProblem = problems.Add }).ToList();

        Assert.Equal(["", "http://a.example/", "http://c.example/"], records.Select(r => r.TargetUri ?? ""));
        Assert.Equal(2, records[2].Http!.Payload.Length);
        var problem = Assert.Single(problems);
        Assert.Contains("expected an ARC record header", problem.Reason);
    }

    [Fact]
    public void An_arc_record_with_a_length_past_the_end_is_reported_as_truncated()
    {
        var arc = "filedesc://x.arc 0.0.0.0 20200101000000 text/plain 0\n\nhttp://a.example/ 1.2.3.4 20200101000000 text/html 500\nHTTP/1.1 200 OK\r\n\r\nshort"u8.ToArray();
        var problems = new List<WarcProblem>();

        var records = WarcReader.Read(new MemoryStream(arc), "x.arc", new WarcReadOptions { OnProblem = problems.Add }).ToList();

        Assert.Equal(["warcinfo"], records.Select(r => r.Type));
        var problem = Assert.Single(problems);
        Assert.Contains("runs past the end", problem.Reason);
    }

    [Fact]
    public void Extracts_the_payload_of_a_chunked_response_after_transfer_decoding()
    {
        var response = WarcReader.Read(Fixtures.Path("warc/warcio/example-iana.org-chunked.warc")).Single(r => r.Type == "response");
        Assert.Equal(200, response.Http!.Status);
        Assert.False(response.Http.ChunkedDecodeFailed);
        Assert.Equal(7223, response.Payload.Length);
        Assert.EndsWith("</html>\n", System.Text.Encoding.UTF8.GetString(response.Payload.Span));
        Assert.True(response.BlockDigestMatches());
    }

    [Theory]
    [InlineData("warc/warcio/post-test.warc.gz", 6)]
    [InlineData("warc/warcio_js/post-test-more.warc", 6)]
    [InlineData("warc/warcio_js/redirect.warc", 2)]
    [InlineData("warc/warcio/example-resource.warc.gz", 3)]
    [InlineData("warc/warcio/example-space-in-target-uri.warc.gz", 2)]
    [InlineData("warc/warcio_js/example-url-agnostic-revisit.warc.gz", 2)]
    [InlineData("warc/warcio/example-digest.warc", 4)]
    public void Reads_every_record_of_the_well_formed_fixtures(string file, int count)
    {
        var (records, problems) = ReadAll(file);
        Assert.Equal(count, records.Count);
        Assert.Empty(problems);
    }

    [Fact]
    public void Falls_back_to_the_raw_body_when_a_chunked_header_lies()
    {
        var block = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nnot chunked at all"u8.ToArray();
        var http = HttpBlock.Parse(block)!;
        Assert.True(http.ChunkedDecodeFailed);
        Assert.Equal("not chunked at all", System.Text.Encoding.ASCII.GetString(http.Payload.Span));
    }
}
