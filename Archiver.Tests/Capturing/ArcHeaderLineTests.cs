using Archiver.Capturing;

namespace Archiver.Tests.Capturing;

public sealed class ArcHeaderLineTests
{
    [Fact]
    public void A_version_1_line_is_read_from_the_right_so_a_url_with_spaces_survives()
    {
        var line = ArcHeaderLine.Parse("http://example.com/a b.html 93.184.216.119 20140216050221 text/html 1591")!;

        Assert.Equal("http://example.com/a b.html", line.Url);
        Assert.Equal("93.184.216.119", line.IpAddress);
        Assert.Equal("20140216050221", line.Date);
        Assert.Equal("text/html", line.ContentType);
        Assert.Equal(1591, line.Length);
    }

    [Fact]
    public void A_version_2_line_takes_its_fields_from_the_left()
    {
        var line = ArcHeaderLine.Parse("http://www.archive.org/ 207.241.224.2 20080430204825 text/html 200 PEWIJTVOTGM3KJVNDYWBDBJZK4XGRGZV - 2003 IAH-20080430204825-00000.arc 1276")!;

        Assert.Equal("http://www.archive.org/", line.Url);
        Assert.Equal("20080430204825", line.Date);
        Assert.Equal("text/html", line.ContentType);
        Assert.Equal(1276, line.Length);
    }

    [Theory]
    [InlineData("WARC/1.0")]
    [InlineData("http://example.com/ 1.2.3.4 20140216050221 text/html")]
    [InlineData("http://example.com/ 1.2.3.4 yesterday text/html 12")]
    [InlineData("http://example.com/ 1.2.3.4 20140216050221 text/html -5")]
    public void A_line_that_is_not_an_arc_header_gives_null(string text) => Assert.Null(ArcHeaderLine.Parse(text));

    [Fact]
    public void An_http_block_becomes_a_response_with_a_warc_date_and_a_block_digest()
    {
        var block = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>hi</p>"u8.ToArray();
        var headers = ArcHeaderLine.Parse($"http://example.com/ - 201402160502 text/html {block.Length}")!.ToWarcHeaders(block);

        Assert.Equal("response", headers["WARC-Type"]);
        Assert.Equal("2014-02-16T05:02:00Z", headers["WARC-Date"]);
        Assert.Null(headers["WARC-IP-Address"]);
        Assert.Equal("application/http; msgtype=response", headers["Content-Type"]);
        Assert.Equal(WarcDigest.Sha256(block), headers["WARC-Block-Digest"]);
    }

    [Fact]
    public void A_block_that_is_not_http_is_kept_as_a_resource_of_its_own_type()
    {
        var block = "%PDF-1.4"u8.ToArray();
        var headers = ArcHeaderLine.Parse($"ftp://example.com/a.pdf 1.2.3.4 20140216050221 application/pdf {block.Length}")!.ToWarcHeaders(block);

        Assert.Equal("resource", headers["WARC-Type"]);
        Assert.Equal("application/pdf", headers["Content-Type"]);
    }
}
