using Archiver.Platforms.Common;

namespace Archiver.Tests.Platforms.Common;

/// <summary>The one host-key function (records, seeds and the crawler's per-host politeness all use it).</summary>
public sealed class UrlToolsTests
{
    [Theory]
    [InlineData("https://Mastodon.Social/@a", "mastodon.social")]
    [InlineData("https://mastodon.social:443/@a", "mastodon.social")]
    [InlineData("http://localhost:3000/api/v1/statuses/1", "localhost:3000")]
    [InlineData("http://127.0.0.1:80/x", "127.0.0.1")]
    [InlineData("https://EXAMPLE.org:8443/", "example.org:8443")]
    public void Host_key_is_the_lower_case_host_with_the_port_only_when_not_the_default(string url, string expected)
    {
        Assert.Equal(expected, UrlTools.HostKey(new Uri(url)));
        Assert.Equal(expected, Archiver.Crawling.UrlCanonicalizer.HostKey(new Uri(url)));
    }

    [Fact]
    public void A_post_key_on_a_host_with_a_port_keeps_the_port_in_its_host_part() =>
        Assert.Equal("mastodon:localhost:3000:109", Archiver.Model.PostKey.Of("mastodon", UrlTools.HostKey(new Uri("http://localhost:3000/api/v1/statuses/109")), "109"));
}
