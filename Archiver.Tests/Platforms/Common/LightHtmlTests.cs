using Archiver.Platforms.Common;

namespace Archiver.Tests.Platforms.Common;

public sealed class LightHtmlTests
{
    [Fact]
    public void Reads_mastodon_content_like_the_dom_reader()
    {
        var anchors = new List<LightHtml.Anchor>();
        var text = LightHtml.ToText(
            "<p class=\"quote-inline\">RE: <a href=\"http://localhost:3000/@a/1\" target=\"_blank\"><span class=\"invisible\">http://</span>" +
            "<span class=\"ellipsis\">localhost:3000/@a/</span><span class=\"invisible\">1</span></a></p><p>yo &amp; <br>bye</p>", anchors);
        Assert.Equal("RE: http://localhost:3000/@a/1\nyo &\nbye", text);
        var anchor = Assert.Single(anchors);
        Assert.Equal(new LightHtml.Anchor("http://localhost:3000/@a/1", null, "http://localhost:3000/@a/1"), anchor);
    }

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
