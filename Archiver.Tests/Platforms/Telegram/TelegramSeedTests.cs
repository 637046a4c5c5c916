using Archiver.Model;
using Archiver.Platforms.Telegram;

namespace Archiver.Tests.Platforms.Telegram;

public sealed class TelegramSeedTests
{
    private static readonly TelegramPlatform Platform = new();

    [Theory]
    [InlineData("telegram:durov", "t.me", "channel", "durov", "https://t.me", "https://t.me/s/durov")]
    [InlineData("telegram:@durov", "t.me", "channel", "durov", "https://t.me", "https://t.me/s/durov")]
    [InlineData("@durov", "t.me", "channel", "durov", "https://t.me", "https://t.me/s/durov")]
    [InlineData("t.me/durov", "t.me", "channel", "durov", "https://t.me", "https://t.me/s/durov")]
    [InlineData("https://t.me/s/durov", "t.me", "channel", "durov", "https://t.me", "https://t.me/s/durov")]
    [InlineData("https://telegram.me/durov/", "t.me", "channel", "durov", "https://t.me", "https://t.me/s/durov")]
    [InlineData("https://t.me/durov/123", "t.me", "post", "durov/123", "https://t.me", "https://t.me/durov/123?embed=1")]
    [InlineData("t.me/s/durov/123", "t.me", "post", "durov/123", "https://t.me", "https://t.me/durov/123?embed=1")]
    [InlineData("telegram:http://127.0.0.1:5123/s/chan", "127.0.0.1:5123", "channel", "chan", "http://127.0.0.1:5123", "http://127.0.0.1:5123/s/chan")]
    [InlineData("telegram:https://mirror.example/chan", "mirror.example", "channel", "chan", "https://mirror.example", "https://mirror.example/s/chan")]
    public void Accepts_channel_and_post_seeds(string text, string host, string kind, string value, string baseUrl, string firstUrl)
    {
        Assert.True(Platform.TryParseSeed(text, out var seed));
        Assert.Equal(new Seed { Platform = "telegram", Host = host, Kind = kind, Value = value, Original = text, BaseUrl = baseUrl }, seed);
        var request = Assert.Single(Platform.Start(seed));
        Assert.Equal(firstUrl, request.Url.AbsoluteUri);
        Assert.Equal(value.Split('/')[0], request.Context["channel"]);
        Assert.Equal(TelegramPlatform.NewestPriority, request.Priority);
        Assert.Equal(text, request.SeedOriginal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("durov")]
    [InlineData("telegram:")]
    [InlineData("telegram:bad name")]
    [InlineData("@user@mastodon.social")]
    [InlineData("https://t.me/joinchat/AAAAADwnejmuoSjHfYDniw")]
    [InlineData("https://t.me/+invite")]
    [InlineData("https://t.me/s/")]
    [InlineData("https://t.me/durov/abc")]
    [InlineData("https://example.com/durov")]
    [InlineData("mastodon:@a@b.c")]
    [InlineData("telegram:ftp://x/y")]
    public void Rejects_what_is_not_a_telegram_seed(string text) => Assert.False(Platform.TryParseSeed(text, out _));

    [Theory]
    [InlineData("https://t.me/s/durov?before=5", true)]
    [InlineData("https://t.me/durov/12", true)]
    [InlineData("https://example.com/s/durov", false)]
    [InlineData("https://t.me/joinchat/x", false)]
    public void Recognises_captured_urls_it_can_parse(string url, bool expected) => Assert.Equal(expected, Platform.CanParse(new Uri(url)));
}
