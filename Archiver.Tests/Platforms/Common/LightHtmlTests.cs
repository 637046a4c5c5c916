using Archiver.Platforms.Common;

namespace Archiver.Tests.Platforms.Common;

public sealed class LightHtmlTests
{
    [Fact]
    public void Reads_mastodon_content_as_clients_show_it_without_the_hidden_quote_line()
    {
        var anchors = new List<LightHtml.Anchor>();
        var quoteLinks = new List<string>();
        var text = LightHtml.ToText(
            "<p class=\"quote-inline\">RE: <a href=\"http://localhost:3000/@a/1\" target=\"_blank\"><span class=\"invisible\">http://</span>" +
            "<span class=\"ellipsis\">localhost:3000/@a/</span><span class=\"invisible\">1</span></a></p><p>yo &amp; <br>bye <a href=\"https://e.org/\">e.org</a></p>", anchors, quoteLinks);
        Assert.Equal("yo &\nbye e.org", text);
        Assert.Equal(new LightHtml.Anchor("https://e.org/", null, "e.org"), Assert.Single(anchors));
        Assert.Equal(["http://localhost:3000/@a/1"], quoteLinks);
    }

    [Theory]
    [InlineData("<p>a<span class=\"quote-inline\"><br/>RT: <a href=\"https://t/@b/2\">https://t/@b/2</a></span>b</p>", "a b")]
    [InlineData("<p>a <span class='x quote-inline'><span>nested</span> <span>spans</span></span> b</p>", "a b")]
    [InlineData("<p>a<span class=\"quote-inline\">never closed", "a")]
    [InlineData("<p>a <span class=\"quote-inlined\">kept</span></p>", "a kept")]
    public void Drops_quote_inline_elements_and_keeps_the_words_around_them_apart(string html, string expected) =>
        Assert.Equal(expected, LightHtml.ToText(html, []));

    [Fact]
    public void Reads_anchor_classes_and_single_quoted_attributes()
    {
        var anchors = new List<LightHtml.Anchor>();
        LightHtml.ToText("<p><a class='mention hashtag' href='https://h/tags/x'>#<span>x</span></a> <a href=https://e.org/a>e</a></p>", anchors);
        Assert.Equal([new LightHtml.Anchor("https://h/tags/x", "mention hashtag", "#x"), new LightHtml.Anchor("https://e.org/a", null, "e")], anchors);
    }

    [Theory]
    [InlineData("<p>unclosed <a href=\"x", "unclosed <a href=\"x")]
    [InlineData("<<<>>>", ">>")]
    [InlineData("a < b", "a < b")]
    [InlineData("<script>alert(1)</script>text", "text")]
    [InlineData("", "")]
    public void Never_throws_on_broken_markup(string html, string expected) => Assert.Equal(expected, LightHtml.ToText(html, []));
}
