using System.Text;
using DiffPlex;
using DiffPlex.Chunkers;

namespace Archiver.Serve;

/// <summary>Two versions of a post's text as HTML: words removed in &lt;del&gt;, words added in &lt;ins&gt;, all escaped (DiffPlex).</summary>
public static class WordDiff
{
    // DiffPlex's WordChunker separates words at spaces and punctuation but not at line breaks, so the last word of a
    // line and the first of the next made one piece: an edit that added a line showed the old last word as removed.
    private static readonly DelimiterChunker Words = new([' ', '\t', '\r', '\n', '.', '(', ')', '{', '}', ',', '!', '?', ';']);

    public static string Html(string older, string newer)
    {
        var diff = Differ.Instance.CreateDiffs(older, newer, ignoreWhiteSpace: false, ignoreCase: false, Words);
        var html = new StringBuilder();
        var a = 0;
        foreach (var block in diff.DiffBlocks)
        {
            for (; a < block.DeleteStartA; a++) html.Append(Serve.Html.E(diff.PiecesOld[a]));
            if (block.DeleteCountA > 0)
                html.Append("<del>").Append(Serve.Html.E(string.Concat(diff.PiecesOld.Skip(block.DeleteStartA).Take(block.DeleteCountA)))).Append("</del>");
            if (block.InsertCountB > 0)
                html.Append("<ins>").Append(Serve.Html.E(string.Concat(diff.PiecesNew.Skip(block.InsertStartB).Take(block.InsertCountB)))).Append("</ins>");
            a = block.DeleteStartA + block.DeleteCountA;
        }
        for (; a < diff.PiecesOld.Count; a++) html.Append(Serve.Html.E(diff.PiecesOld[a]));
        return html.ToString();
    }
}
