using System.Text.RegularExpressions;
using Archiver.Serve;

namespace Archiver.Tests.Serve;

/// <summary>The post page's versions diff: what it marks removed and added must be what the edit removed and added.</summary>
public sealed partial class WordDiffTests
{
    [Fact]
    public void A_line_added_after_the_last_word_shows_as_added_and_removes_nothing()
    {
        // Given: a post edited as the replica (and Telegram's "upd:" habit) edits: a note on a new line.
        var diff = WordDiff.Html("Our reporter prepares the budget. @freie_stimme", "Our reporter prepares the budget. @freie_stimme\nUpdate: details added.");

        // Then: the last word stays; only the new line is inserted.
        Assert.Empty(Marked("del", diff));
        Assert.Equal(["\nUpdate: details added."], Marked("ins", diff));
    }

    [Fact]
    public void A_word_changed_on_its_own_line_shows_that_word_removed_and_its_replacement_added()
    {
        var diff = WordDiff.Html("first line\nvote tonight\nlast", "first line\nvote monday\nlast");

        Assert.Equal(["tonight"], Marked("del", diff));
        Assert.Equal(["monday"], Marked("ins", diff));
    }

    [Fact]
    public void Every_text_is_escaped()
    {
        var diff = WordDiff.Html("<b>a</b>", "<b>a</b> <script>x</script>");

        Assert.DoesNotContain("<b>", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", diff, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", diff, StringComparison.Ordinal);
    }

    private static string[] Marked(string tag, string html) =>
        Tags().Matches(html).Where(m => m.Groups[1].Value == tag).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[2].Value)).ToArray();

    [GeneratedRegex(@"<(del|ins)>(.*?)</\1>", RegexOptions.Singleline)]
    private static partial Regex Tags();
}
