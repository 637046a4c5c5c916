using AngleSharp.Html.Parser;
using Archiver.Platforms.Common;

namespace Archiver.Tests.Platforms.Common;

public sealed class HtmlTextTests
{
    private static string Text(string html)
    {
        var document = new HtmlParser().ParseDocument("<div id=x>" + html + "</div>");
        return HtmlText.ToText(document.GetElementById("x"));
    }

    [Fact]
    public void Keeps_br_as_line_breaks_and_decodes_entities() =>
        Assert.Equal("Bigger\ntext\n\nHello! & <b>", Text("Bigger<br/>text<br><br>Hello&#33; &amp; &lt;b&gt;"));

    [Fact]
    public void Collapses_source_whitespace_as_a_browser_does() =>
        Assert.Equal("Оппозиционные медиапроекты.pdf", Text("  Оппозиционные\n            медиапроекты.pdf\n   "));

    [Fact]
    public void Ends_blocks_with_a_line_break() =>
        Assert.Equal("one\ntwo\nthree", Text("<p>one</p><p>two</p>three"));

    [Fact]
    public void Skips_scripts_styles_and_svg() =>
        Assert.Equal("a b", Text("a <script>x()</script><style>.c{}</style><svg><text>no</text></svg>b"));

    [Fact]
    public void Keeps_emoji_images_as_their_characters() =>
        Assert.Equal("👍 ok", Text("<i class=\"emoji\" style=\"background-image:url('//telegram.org/img/emoji/40/F09F918D.png')\"><b>👍</b></i> ok"));

    [Fact]
    public void Keeps_preformatted_whitespace() =>
        Assert.Equal("x\na  b", Text("x<pre>a  b</pre>"));

    [Fact]
    public void Gives_empty_text_for_no_node() => Assert.Equal("", HtmlText.ToText(null));

    private static string Rendered(string html) =>
        HtmlText.Rendered(new HtmlParser().ParseDocument("<div id=x>" + html + "</div>").GetElementById("x"));

    // The two rule sets of the merged class stay apart: a stored text (and so its content hash) must not change.
    [Fact]
    public void Rendered_text_turns_no_break_spaces_into_spaces_where_reader_text_keeps_them()
    {
        Assert.Equal("a b", Rendered("a&nbsp;b"));
        Assert.Equal("a\u00A0b", Text("a&nbsp;b"));
    }

    [Fact]
    public void Rendered_text_ends_more_elements_as_blocks_than_reader_text()
    {
        Assert.Equal("side\nmain", Rendered("<aside>side</aside>main"));
        Assert.Equal("sidemain", Text("<aside>side</aside>main"));
    }

    [Fact]
    public void Rendered_text_of_a_skipped_element_asked_for_itself_is_its_content()
    {
        var document = new HtmlParser().ParseDocument("<html><head><title>The  title</title></head><body><p>x</p><iframe>no</iframe></body></html>");
        Assert.Equal("The  title", HtmlText.Rendered(document.QuerySelector("title")));
        Assert.Equal("x", HtmlText.Rendered(document.Body));
    }
}
