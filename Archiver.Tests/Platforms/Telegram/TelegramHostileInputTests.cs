using Archiver.Platforms;
using Archiver.Platforms.Telegram;
using Archiver.Tests.Platforms.Common;
using Archiver.Tests.Support;

namespace Archiver.Tests.Platforms.Telegram;

/// <summary>
/// The page parser itself (not the platform's last-resort guard) gets truncated, mutated and random variants of
/// every Telegram fixture: it must not throw, and a page it cannot read must come back with a problem saying why.
/// </summary>
public sealed class TelegramHostileInputTests
{
    [Fact]
    public void Survives_over_a_thousand_mutated_and_random_pages()
    {
        var files = Directory.GetFiles(Fixtures.Path("telegram"), "*.html", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var mutator = new Mutator(20260801);
        var inputs = files.SelectMany(f => mutator.Variants(File.ReadAllBytes(f), 20)).ToList();
        for (var i = 0; i < 60; i++) inputs.Add(mutator.Random(4096));
        Assert.True(inputs.Count >= 1000, $"only {inputs.Count} variants");

        var request = TelegramPages.Request("https://t.me/s/tchantest?before=90", "tchantest", context: [("since", "2020-01-01")]);
        var withPosts = 0;
        foreach (var body in inputs)
        {
            var result = TelegramPageParser.Parse(TelegramPages.Page(body, "https://t.me/s/tchantest?before=90", request));
            if (result.Posts.Count > 0) withPosts++;
            var understood = result.Posts.Count > 0 || result.Authors.Count > 0 || result.Listing is not null || result.Gone.Count > 0;
            Assert.True(understood || result.Problems.Count > 0, "an unreadable page came back without a problem");
            Assert.All(result.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Reason)));
            Assert.All(result.Posts, p => Assert.Matches("^[A-Za-z0-9_]+/[0-9]+$", p.NativeId));
            Assert.All(result.Next, n => Assert.True(TelegramPaging.Before(n.Url) < 90));
        }
        // Most variants still hold readable messages: the parser degrades instead of giving up.
        Assert.True(withPosts > inputs.Count / 2, $"only {withPosts} of {inputs.Count} variants gave posts");
    }

    [Fact]
    public void Reports_unreadable_messages_instead_of_dropping_them_silently()
    {
        var result = TelegramPages.ParseHtml("<div class=\"tgme_widget_message\" data-post=\"bad name/x\"><div class=\"tgme_widget_message_text\">hi</div></div>");
        Assert.Empty(result.Posts);
        Assert.Equal(new ParseProblem("message without a readable data-post or date link", "bad name/x"), Assert.Single(result.Problems));
    }
}

public sealed class BubbleTailTests
{
    [Theory]
    [InlineData("a<svg class=\"bubble_icon\" w=\"1\"><path d=\"M0\"></path></svg>b<svg class=\"bubble_icon\"></svg>c", "abc")]
    [InlineData("<svg class=\"other\"><circle/></svg>é", "<svg class=\"other\"><circle/></svg>é")]
    [InlineData("x<svg class=\"bubble_icon\"><path", "x<svg class=\"bubble_icon\"><path")]
    [InlineData("", "")]
    public void Cuts_only_complete_bubble_tail_svgs(string html, string expected)
    {
        using var text = TelegramPageParser.DecodeWithoutBubbleTails(System.Text.Encoding.UTF8.GetBytes(html));
        Assert.Equal(expected, text.ToString());
    }
}
