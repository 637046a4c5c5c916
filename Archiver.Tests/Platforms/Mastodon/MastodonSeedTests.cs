using Archiver.Model;
using Archiver.Platforms.Mastodon;

namespace Archiver.Tests.Platforms.Mastodon;

public sealed class MastodonSeedTests
{
    [Theory]
    [InlineData("mastodon", "mastodon:@alice@mastodon.social", "mastodon.social", "account", "alice", "https://mastodon.social")]
    [InlineData("mastodon", "mastodon:#Fediverse@mastodon.social", "mastodon.social", "hashtag", "Fediverse", "https://mastodon.social")]
    [InlineData("mastodon", "https://mastodon.social/@alice", "mastodon.social", "account", "alice", "https://mastodon.social")]
    [InlineData("mastodon", "https://mastodon.social/@alice/109744721228760114", "mastodon.social", "status", "109744721228760114", "https://mastodon.social")]
    [InlineData("mastodon", "mastodon:http://127.0.0.1:5124/@alice", "127.0.0.1:5124", "account", "alice", "http://127.0.0.1:5124")]
    [InlineData("mastodon", "mastodon:https://example.social/users/bob/statuses/77", "example.social", "status", "77", "https://example.social")]
    [InlineData("mastodon", "mastodon:https://example.social/tags/café", "example.social", "hashtag", "café", "https://example.social")]
    [InlineData("truthsocial", "truthsocial:@realDonaldTrump", "truthsocial.com", "account", "realDonaldTrump", "https://truthsocial.com")]
    [InlineData("truthsocial", "https://truthsocial.com/@realDonaldTrump/posts/114241306148201991", "truthsocial.com", "status", "114241306148201991", "https://truthsocial.com")]
    [InlineData("truthsocial", "truthsocial:#MAGA", "truthsocial.com", "hashtag", "MAGA", "https://truthsocial.com")]
    [InlineData("gab", "gab:@a", "gab.com", "account", "a", "https://gab.com")]
    [InlineData("gab", "https://gab.com/a/posts/105896532478451186", "gab.com", "status", "105896532478451186", "https://gab.com")]
    [InlineData("gab", "https://gab.com/a", "gab.com", "account", "a", "https://gab.com")]
    [InlineData("gab", "gab:http://127.0.0.1:5125/@a", "127.0.0.1:5125", "account", "a", "http://127.0.0.1:5125")]
    public void Accepts_handles_tags_and_urls(string platform, string text, string host, string kind, string value, string baseUrl)
    {
        var network = platform switch { "truthsocial" => MastodonPlatform.TruthSocial, "gab" => MastodonPlatform.Gab, _ => MastodonPlatform.Mastodon };
        Assert.True(network.TryParseSeed(text, out var seed));
        Assert.Equal(new Seed { Platform = platform, Host = host, Kind = kind, Value = value, Original = text, BaseUrl = baseUrl }, seed);
    }

    [Theory]
    [InlineData("mastodon", "mastodon:@alice")]
    [InlineData("mastodon", "mastodon:alice@mastodon.social")]
    [InlineData("mastodon", "mastodon:@al ice@mastodon.social")]
    [InlineData("mastodon", "mastodon:@alice@bad host")]
    [InlineData("mastodon", "mastodon:#@mastodon.social")]
    [InlineData("mastodon", "@alice@mastodon.social")]
    [InlineData("mastodon", "https://truthsocial.com/@realDonaldTrump")]
    [InlineData("mastodon", "https://gab.com/a/posts/1")]
    [InlineData("mastodon", "https://example.com/users/bob")]
    [InlineData("mastodon", "https://mastodon.social/about")]
    [InlineData("mastodon", "https://t.me/s/durov")]
    [InlineData("mastodon", "telegram:durov")]
    [InlineData("truthsocial", "https://mastodon.social/@alice")]
    [InlineData("truthsocial", "truthsocial:realDonaldTrump")]
    [InlineData("gab", "gab:")]
    [InlineData("gab", "https://gab.com/a/posts/1/2/3")]
    public void Rejects_what_is_not_its_seed(string platform, string text)
    {
        var network = platform switch { "truthsocial" => MastodonPlatform.TruthSocial, "gab" => MastodonPlatform.Gab, _ => MastodonPlatform.Mastodon };
        Assert.False(network.TryParseSeed(text, out _));
    }

    [Theory]
    [InlineData("https://mastodon.social/api/v1/timelines/tag/x", true, false)]
    [InlineData("https://truthsocial.com/api/v1/accounts/1/statuses", false, true)]
    [InlineData("https://mastodon.social/@alice", false, false)]
    public void Claims_api_urls_of_its_own_hosts(string url, bool mastodon, bool truth)
    {
        Assert.Equal(mastodon, MastodonPlatform.Mastodon.CanParse(new Uri(url)));
        Assert.Equal(truth, MastodonPlatform.TruthSocial.CanParse(new Uri(url)));
    }
}
