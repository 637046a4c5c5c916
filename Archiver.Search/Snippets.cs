using Lucene.Net.Analysis;
using Lucene.Net.Search;
using Lucene.Net.Search.Highlight;

namespace Archiver.Search;

/// <summary>
/// Highlighted excerpts through Lucene's Highlighter: the text is re-analyzed (it need not be stored), the
/// best fragments are joined, and the marked words come back as offsets so the terminal and JSON can
/// each render them their own way.
/// </summary>
internal sealed class Snippets(Query query, Analyzer analyzer, bool luceneScorerOnly = false)
{
    private const char Open = '\uE000';
    private const char Close = '\uE001';
    private const int FragmentChars = 160;

    // One highlighter per analysed field, each scoring only that field's terms: a filter such as lang:ru must
    // not mark the word "ru" in a post's text.
    private readonly Dictionary<string, Highlighter> _highlighters = new(StringComparer.Ordinal);

    /// <summary>The excerpt of <paramref name="text"/>; <paramref name="field"/> picks the analysis (a stemmed field for --stem).</summary>
    public Snippet Make(string text, string field)
    {
        var clean = text.Replace(Open, ' ').Replace(Close, ' ');
        string? fragments;
        using (var tokens = analyzer.GetTokenStream(field, clean))
            fragments = HighlighterFor(field).GetBestFragments(tokens, clean, 2, " … ");
        if (string.IsNullOrEmpty(fragments))
            return new Snippet(clean.Length <= FragmentChars ? clean : clean[..FragmentChars] + "…", []);
        return Parse(fragments);
    }

    private Highlighter HighlighterFor(string field)
    {
        if (!_highlighters.TryGetValue(field, out var highlighter)) _highlighters[field] = highlighter = Create(query, field, luceneScorerOnly);
        return highlighter;
    }

    /// <param name="luceneScorerOnly">Lucene's QueryScorer for every query: the reference <see cref="TokenMatchScorer"/> is tested against.</param>
    private static Highlighter Create(Query query, string field, bool luceneScorerOnly)
    {
        // The fragmenter must share the highlighter's scorer: it reads the span positions the scorer found.
        var scorer = (luceneScorerOnly ? null : TokenMatchScorer.TryCreate(query, field)) ?? new QueryScorer(query, field);
        return new Highlighter(new MarkFormatter(), scorer) { TextFragmenter = new SimpleSpanFragmenter(scorer, FragmentChars) };
    }

    private static Snippet Parse(string marked)
    {
        var text = new System.Text.StringBuilder(marked.Length);
        var marks = new List<SnippetMark>();
        var start = -1;
        foreach (var c in marked)
        {
            if (c == Open) start = text.Length;
            else if (c == Close && start >= 0)
            {
                marks.Add(new SnippetMark(start, text.Length - start));
                start = -1;
            }
            else text.Append(c);
        }
        return new Snippet(text.ToString(), marks);
    }

    private sealed class MarkFormatter : IFormatter
    {
        public string HighlightTerm(string originalText, TokenGroup tokenGroup) =>
            tokenGroup.TotalScore > 0 ? Open + originalText + Close : originalText;
    }
}
