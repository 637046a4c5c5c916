using System.Text.RegularExpressions;
using Archiver.Replica;
using Archiver.Search;
using Archiver.Tests.Support;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace Archiver.Tests.Search;

/// <summary>
/// <c>--stem</c> expands words to the indexed words sharing their stem at query time. Its answers are checked
/// against Lucene's own language analyzers run over each post's text: a post matches a word (or phrase) when
/// its text has the word as written, or, in a stemmed language, when Lucene's analyzer for the post's
/// language gives a stem of the post's text equal to a stem of the query (at the phrase's positions).
/// </summary>
public sealed partial class StemmedSearchTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "archiver-stem-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly List<SearchDocument> _posts = [];
    private readonly PostIndex _index;

    public StemmedSearchTests()
    {
        var rng = new Rng(7);
        foreach (var lex in new[] { Lexicon.English, Lexicon.French, Lexicon.Russian, Lexicon.Arabic, Lexicon.German })
        {
            for (var i = 0; i < 120; i++)
            {
                var text = string.Join(" ", Enumerable.Range(0, 1 + i % 3).Select(_ => lex.Sentence(ref rng)));
                // Some posts carry no language: only the words as written can match them.
                _posts.Add(new SearchDocument { Key = $"{lex.Code}{i}", Platform = "telegram", Language = i % 10 == 9 ? null : lex.Code, Text = text });
            }
        }
        // Real German prose (a blog and a trade site, ../shared/fixtures/forums), one paragraph per post.
        foreach (var page in new[] { "forums/trafilatura_cache/basicthinking.de.tweets.html", "forums/trafilatura_cache/landwirt.com.sensortechnik.html" })
        {
            var paragraphs = Paragraph().Matches(Fixtures.Text(page)).Select(m => Tag().Replace(m.Groups[1].Value, " ")).Where(p => p.Length > 80).Take(40);
            foreach (var (paragraph, i) in paragraphs.Select((p, i) => (p, i)))
                _posts.Add(new SearchDocument { Key = $"web-{Path.GetFileName(page)[..6]}-{i}", Platform = "forum", Language = "de", Text = System.Net.WebUtility.HtmlDecode(paragraph) });
        }
        _index = PostIndex.Open(_path, new PostIndexOptions { StoreText = true });
        foreach (var post in _posts) _index.Upsert(post);
        _index.Commit(storeSequence: 1);
        _index.Refresh();
    }

    [Fact]
    public void Stemmed_words_match_the_posts_Lucenes_analyzers_say_they_should()
    {
        var words = SampleWords(per: 25);
        var broadened = 0;
        foreach (var word in words)
        {
            var expected = Expected(word, phrase: false);
            var actual = Keys(word);
            Assert.True(expected.SetEquals(actual),
                $"'{word}': missing {string.Join(" ", expected.Except(actual).Take(5))}; extra {string.Join(" ", actual.Except(expected).Take(5))}");
            if (actual.Count > Keys(word, stem: false).Count) broadened++;
        }
        Assert.True(broadened >= 10, $"stemming broadened only {broadened} of {words.Count} searches");
    }

    [Fact]
    public void Stemmed_phrases_match_the_posts_Lucenes_analyzers_say_they_should()
    {
        var checkedPhrases = 0;
        foreach (var post in _posts.Where((_, i) => i % 9 == 0))
        {
            // Three words apart by spaces (not an elision's apostrophe), so the post holds the phrase as written.
            var run = ThreeWords().Matches(post.Text).Skip(1).FirstOrDefault();
            if (run is null) continue;
            var phrase = run.Value;
            var expected = Expected(phrase, phrase: true);
            var actual = Keys($"\"{phrase}\"");
            Assert.True(expected.SetEquals(actual),
                $"\"{phrase}\": missing {string.Join(" ", expected.Except(actual).Take(5))}; extra {string.Join(" ", actual.Except(expected).Take(5))}");
            Assert.True(actual.Contains(post.Key), $"\"{phrase}\" does not find its own post {post.Key}: {post.Text}");
            checkedPhrases++;
        }
        Assert.True(checkedPhrases >= 40, $"only {checkedPhrases} phrases checked");
    }

    [Fact]
    public void A_stemmed_search_marks_only_words_of_the_posts_own_language()
    {
        using var corpus = new SmallCorpus();
        var results = corpus.Index.Search(new SearchRequest { Query = "elections", Stem = true, Limit = 10, Snippets = true });
        var byKey = results.Hits.ToDictionary(h => h.Key, h => h.Snippet!);
        string Marked(string key) => string.Join(" ", byKey[key].Marks.Select(m => byKey[key].Text.Substring(m.Start, m.Length)));
        Assert.Equal("L'élection", Marked("k1")); // the elided article is part of the word to Unicode
        Assert.Equal("election", Marked("k2"));
        Assert.Equal("Elections", Marked("k7")); // électeurs has another stem (electeur)
    }

    [Fact]
    public void A_language_field_searches_that_languages_stems_alone()
    {
        using var corpus = new SmallCorpus();
        Assert.Equal(["k2", "k3"], corpus.Keys("text_en:elections"));
        Assert.Equal(["k7", "k1"], corpus.Keys("text_fr:élections"));
        Assert.Equal(["k4"], corpus.Keys("text_ru:выбор"));
        Assert.Equal(["k5"], corpus.Keys("text_ar:انتخاب"));
    }

    [Fact]
    public void A_phrase_of_stop_words_alone_matches_the_words_as_written()
    {
        using var corpus = new SmallCorpus();
        Assert.Equal(["k2"], corpus.Keys("\"are in\"", stem: true));
    }

    private HashSet<string> Keys(string query, bool stem = true) =>
        _index.Search(new SearchRequest { Query = query, Stem = stem, Limit = 10_000 }).Hits.Select(h => h.Key).ToHashSet();

    /// <summary>The oracle: Lucene's analyzers over each post, as described on the class.</summary>
    private HashSet<string> Expected(string query, bool phrase)
    {
        var matches = new HashSet<string>();
        var folded = Tokens(Analyzers.Folding(), query);
        foreach (var post in _posts)
        {
            if (Contains(Tokens(Analyzers.Folding(), post.Text), folded, phrase)) matches.Add(post.Key);
            else if (post.Language is { } lang && IndexFields.StemmedLanguages.Contains(lang))
            {
                var stems = Tokens(Analyzers.LuceneStemming(lang), query);
                if (stems.Count > 0 && Contains(Tokens(Analyzers.LuceneStemming(lang), post.Text), stems, phrase)) matches.Add(post.Key);
            }
        }
        return matches;
    }

    /// <summary>Whether the text's terms hold the query's terms at the same distances (any of them when not a phrase: one word).</summary>
    private static bool Contains(List<(string Term, int Position)> text, List<(string Term, int Position)> query, bool phrase)
    {
        if (query.Count == 0) return false;
        if (!phrase) return query.All(q => text.Any(t => t.Term == q.Term));
        var at = text.ToLookup(t => t.Term, t => t.Position);
        return at[query[0].Term].Any(start => query.All(q => at[q.Term].Contains(start + q.Position - query[0].Position)));
    }

    private static List<(string Term, int Position)> Tokens(Analyzer analyzer, string text)
    {
        var tokens = new List<(string, int)>();
        using var stream = analyzer.GetTokenStream("f", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var increment = stream.AddAttribute<IPositionIncrementAttribute>();
        stream.Reset();
        var position = -1;
        while (stream.IncrementToken())
        {
            position += increment.PositionIncrement;
            tokens.Add((term.ToString(), position));
        }
        stream.End();
        return tokens;
    }

    /// <summary>Words of every language's posts, some capitalised as people type them.</summary>
    private List<string> SampleWords(int per)
    {
        var words = new List<string>();
        foreach (var group in _posts.GroupBy(p => p.Language ?? "none"))
        {
            var all = group.SelectMany(p => Word().Matches(p.Text).Select(m => m.Value)).Where(w => w.Length > 3).Distinct().Order(StringComparer.Ordinal).ToList();
            words.AddRange(all.Where((_, i) => i % Math.Max(1, all.Count / per) == 0).Take(per).Select((w, i) => i % 3 == 0 ? w.ToUpperInvariant() : w));
        }
        return words;
    }

    [GeneratedRegex(@"[\p{L}\p{M}]+")]
    private static partial Regex Word();

    [GeneratedRegex(@"(?<![\p{L}\p{M}'’])[\p{L}\p{M}]+ [\p{L}\p{M}]+ [\p{L}\p{M}]+(?![\p{L}\p{M}'’])")]
    private static partial Regex ThreeWords();

    [GeneratedRegex(@"<p[^>]*>(.*?)</p>", RegexOptions.Singleline)]
    private static partial Regex Paragraph();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tag();

    public void Dispose()
    {
        _index.Dispose();
        if (Directory.Exists(_path)) Directory.Delete(_path, recursive: true);
    }
}
