using System.Diagnostics;
using System.Text;
using Archiver.Capturing;
using Archiver.Platforms;
using Archiver.Platforms.Telegram;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Platforms.Telegram;

/// <summary>
/// Issue 15: one hostile t.me page nested 100,000 levels deep cost minutes of CPU. Work per page is bounded
/// (nesting depth, size) and such a page is reported as a problem, in a crawl and in an import, quickly.
/// </summary>
public sealed class DeepPageTests
{
    private const string Message = "<div class=\"tgme_widget_message\" data-post=\"deep/1\"><div class=\"tgme_widget_message_text\">hello</div></div>";

    private static byte[] DeepPage(int levels)
    {
        var html = new StringBuilder(levels * 11 + 500);
        html.Append("<!DOCTYPE html><html><head><title>deep</title></head><body><section class=\"tgme_channel_history\">");
        for (var i = 0; i < levels; i++) html.Append("<div>");
        html.Append(Message);
        for (var i = 0; i < levels; i++) html.Append("</div>");
        html.Append("</section></body></html>");
        return System.Text.Encoding.UTF8.GetBytes(html.ToString());
    }

    [Fact]
    public void A_page_nested_deeper_than_the_limit_is_refused_as_a_problem_at_once()
    {
        var clock = Stopwatch.StartNew();
        var result = new TelegramPlatform().Parse(TestPages.Page("https://t.me/s/deep", DeepPage(100_000), "text/html; charset=utf-8"));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.Empty(result.Posts);
        var problem = Assert.Single(result.Problems);
        Assert.Contains("nested deeper than 512 elements", problem.Reason);
        Assert.True(problem.Fatal);
    }

    [Fact]
    public void Pages_within_the_limits_still_parse()
    {
        var result = new TelegramPlatform().Parse(TestPages.Page("https://t.me/s/deep", DeepPage(400), "text/html; charset=utf-8"));

        Assert.Equal("deep/1", Assert.Single(result.Posts).NativeId);
    }

    [Fact]
    public void A_page_over_the_size_limit_is_refused_without_being_parsed()
    {
        var body = System.Text.Encoding.UTF8.GetBytes("<html><body>" + new string('x', 9 * 1024 * 1024) + Message + "</body></html>");

        var result = new TelegramPlatform().Parse(TestPages.Page("https://t.me/s/big", body, "text/html; charset=utf-8"));

        Assert.Empty(result.Posts);
        Assert.Contains("over the 8 MiB limit for a page", Assert.Single(result.Problems).Reason);
    }

    [Fact]
    public async Task A_crawl_of_a_deep_page_finishes_quickly_and_reports_it()
    {
        using var archive = new TempArchive();
        await using var site = await StaticPages.StartAsync();
        var url = site.Add("/s/deep", DeepPage(100_000), "text/html; charset=utf-8");
        var clock = Stopwatch.StartNew();

        var crawl = await Support.Cli.RunAsync("--data", archive.Path, "--json", "crawl", "telegram:" + url, "--allow-private", "--no-media", "--rate", "0", "--no-index");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Contains("nested deeper than 512 elements", crawl.Out + crawl.Error);
        Assert.Contains("\"errors\": 1", crawl.Out);
    }

    [Fact]
    public async Task An_import_of_a_warc_holding_a_deep_page_finishes_quickly_and_reports_it()
    {
        using var archive = new TempArchive();
        var warcDir = archive.File("in");
        using (var writer = new WarcWriter(new WarcWriterOptions { Directory = warcDir }))
        {
            foreach (var (channel, levels) in new[] { ("deep", 100_000), ("fine", 3) })
            {
                var headers = new WarcHeaders().Add("Content-Type", "text/html; charset=utf-8");
                var body = System.Text.Encoding.UTF8.GetString(DeepPage(levels)).Replace("deep/1", channel + "/1", StringComparison.Ordinal);
                writer.WriteExchange(new HttpExchange
                {
                    Url = new Uri($"https://t.me/s/{channel}"),
                    Status = 200,
                    Reason = "OK",
                    ResponseHeaders = headers,
                    Body = System.Text.Encoding.UTF8.GetBytes(body),
                    Date = new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero),
                });
            }
        }
        var clock = Stopwatch.StartNew();

        var import = await Support.Cli.RunAsync(["import", "--data", archive.File("a"), "--no-index", "--json", .. Directory.GetFiles(warcDir, "*.warc.gz")]);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Contains("nested deeper than 512 elements", import.Out);
        using var store = ArchiveStore.Open(archive.File("a"), readOnly: true);
        Assert.Equal(["telegram:t.me:fine/1"], store.ScanPosts().Select(p => p.Key));
    }
}
