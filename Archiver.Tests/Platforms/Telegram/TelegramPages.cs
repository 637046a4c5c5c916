using Archiver.Platforms;
using Archiver.Platforms.Telegram;
using Archiver.Tests.Support;

namespace Archiver.Tests.Platforms.Telegram;

/// <summary>Fixture pages as the Telegram parser receives them.</summary>
internal static class TelegramPages
{
    public static readonly TelegramPlatform Platform = new();

    public static FetchedPage Page(byte[] body, string url = "https://t.me/s/tchantest", CrawlRequest? request = null, int status = 200) => new()
    {
        Url = new Uri(url),
        Status = status,
        Body = body,
        ContentType = "text/html; charset=utf-8",
        Request = request,
    };

    public static ParseResult Parse(string fixture, string url = "https://t.me/s/tchantest", CrawlRequest? request = null) =>
        Platform.Parse(Page(Fixtures.Bytes("telegram/" + fixture), url, request));

    public static ParseResult ParseHtml(string html, string url = "https://t.me/s/tchantest", CrawlRequest? request = null) =>
        Platform.Parse(Page(System.Text.Encoding.UTF8.GetBytes(html), url, request));

    public static CrawlRequest Request(string url, string channel, int priority = TelegramPlatform.NewestPriority, params (string Key, string Value)[] context)
    {
        var values = new Dictionary<string, string> { ["channel"] = channel };
        foreach (var (key, value) in context) values[key] = value;
        return new CrawlRequest { Url = new Uri(url), Platform = "telegram", Purpose = TelegramPageParser.PurposeChannelPage, Priority = priority, Context = values, SeedOriginal = "telegram:" + channel };
    }
}
