using System.Net;
using Archiver.Crawling;

namespace Archiver.Tests.Crawling;

public sealed class UrlPolicyTests
{
    [Theory]
    [InlineData("HTTP://Example.COM:80/a/b?z=1&a=2#frag", "http://example.com/a/b?a=2&z=1")]
    [InlineData("https://example.com:443", "https://example.com/")]
    [InlineData("https://example.com:8443/x?", "https://example.com:8443/x")]
    [InlineData("http://example.com/p?b=2&a=1&b=1", "http://example.com/p?a=1&b=2&b=1")]
    [InlineData("http://t.me/s/Durov", "http://t.me/s/Durov")]
    public void Canonicalizes_scheme_host_port_fragment_and_query_order(string url, string expected) =>
        Assert.Equal(expected, UrlCanonicalizer.Canonicalize(url));

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.20.0.1", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("::1", true)]
    [InlineData("fd00:ec2::254", true)]
    [InlineData("fe80::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("93.184.216.34", false)]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946", false)]
    [InlineData("172.32.0.1", false)]
    public void Forbids_loopback_private_link_local_and_metadata_addresses(string address, bool forbidden) =>
        Assert.Equal(forbidden, PrivateAddressGuard.IsForbidden(IPAddress.Parse(address)));

    [Fact]
    public async Task Refuses_a_host_name_whose_dns_answer_is_private_at_connect_time()
    {
        using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = PrivateAddressGuard.ConnectCallback(allowPrivate: false) });
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("http://localhost:9/", TestContext.Current.CancellationToken));
        Assert.IsType<PrivateAddressException>(error.InnerException ?? error);
    }

    [Fact]
    public void Robots_rules_pick_our_group_and_the_longest_match_with_wildcards()
    {
        var rules = RobotsRules.Parse("""
            User-agent: *
            Disallow: /

            User-agent: archiver
            Disallow: /private/
            Allow: /private/open$
            Disallow: /*.pdf$
            Crawl-delay: 1.5
            """, "archiver/0.1 (+research)");
        Assert.True(rules.IsAllowed(new Uri("http://x.test/public")));
        Assert.False(rules.IsAllowed(new Uri("http://x.test/private/a")));
        Assert.True(rules.IsAllowed(new Uri("http://x.test/private/open")));
        Assert.False(rules.IsAllowed(new Uri("http://x.test/private/open/more")));
        Assert.False(rules.IsAllowed(new Uri("http://x.test/doc/file.pdf")));
        Assert.True(rules.IsAllowed(new Uri("http://x.test/doc/file.pdf?x=1")));
        Assert.Equal(TimeSpan.FromSeconds(1.5), rules.CrawlDelay);
        Assert.False(RobotsRules.Parse("User-agent: *\nDisallow: /", "other-bot").IsAllowed(new Uri("http://x.test/a")));
    }
}
