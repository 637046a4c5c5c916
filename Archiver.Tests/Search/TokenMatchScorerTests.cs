using AngleSharp.Html.Parser;
using Archiver.Search;
using Archiver.Tests.Support;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.QueryParsers.Classic;

namespace Archiver.Tests.Search;

/// <summary>
/// The snippets' own scorer against Lucene's QueryScorer, on real texts (every page and API response in
/// ../shared/fixtures, in their many languages) and queries made of their words: the same excerpt with the same
/// words marked, for words, AND/OR/NOT, prefixes, phrases that occur and phrases that do not, and filters.
/// </summary>
public sealed class TokenMatchScorerTests
{
    private static readonly Lazy<IReadOnlyList<string>> Texts = new(ReadFixtureTexts);

    [Fact]
    public void Snippets_mark_the_same_words_as_Lucene_s_query_scorer_on_real_texts()
    {
        using var analyzer = Analyzers.PerField();
        var random = new Random(20261202);
        int compared = 0, marked = 0, phrasesMarked = 0;
        var differences = new List<string>();
        foreach (var text in Texts.Value)
        {
            var words = Words(analyzer, text);
            if (words.Count < 4) continue;
            foreach (var typed in Queries(words, random))
            {
                var query = QuerySyntax.Parse(typed, analyzer);
                Assert.True(TokenMatchScorer.TryCreate(query, IndexFields.Text) is not null, $"no scorer for {typed} ({query})");
                var ours = new Snippets(query, analyzer).Make(text, IndexFields.Text);
                var lucene = new Snippets(query, analyzer, luceneScorerOnly: true).Make(text, IndexFields.Text);
                compared++;
                if (ours.Marks.Count > 0) marked++;
                if (ours.Marks.Count > 0 && typed.Contains('"', StringComparison.Ordinal)) phrasesMarked++;
                if (ours.Text != lucene.Text || !ours.Marks.SequenceEqual(lucene.Marks))
                    differences.Add($"{typed}\n  ours:   {Render(ours)}\n  lucene: {Render(lucene)}");
            }
        }
        Assert.True(differences.Count == 0, $"{differences.Count} of {compared} differ:\n{string.Join("\n", differences.Take(5))}");
        // The comparison means something only if most snippets mark words, phrases among them.
        Assert.True(compared >= 2_000, $"only {compared} snippets compared");
        Assert.True(marked > compared / 2, $"only {marked} of {compared} snippets mark a word");
        Assert.True(phrasesMarked >= 300, $"only {phrasesMarked} phrase snippets mark a word");
    }

    [Theory]
    [InlineData("elections~1")]
    [InlineData("elect?on")]
    [InlineData("\"vote budget\"~2")]
    [InlineData("vote^3")]
    [InlineData("\"le le\"")]
    public void Queries_it_does_not_read_keep_Lucene_s_scorer(string typed)
    {
        using var analyzer = Analyzers.PerField();
        Assert.Null(TokenMatchScorer.TryCreate(QuerySyntax.Parse(typed, analyzer), IndexFields.Text));
    }

    private static IEnumerable<string> Queries(IReadOnlyList<string> words, Random random)
    {
        string Word() => Escape(words[random.Next(words.Count)]);
        // Phrases of distinct words (a repeated word is left to Lucene's scorer).
        string Phrase(int length)
        {
            for (var attempt = 0; attempt < 10; attempt++)
            {
                var chosen = words.Skip(random.Next(Math.Max(1, words.Count - length))).Take(length).ToList();
                if (chosen.Distinct(StringComparer.Ordinal).Count() == chosen.Count) return Quoted(chosen);
            }
            return Word();
        }
        string Prefix()
        {
            var word = words[random.Next(words.Count)];
            return Escape(word[..Math.Min(word.Length, 1 + random.Next(3))]) + "*";
        }
        yield return Word();
        yield return $"{Word()} AND {Word()}";
        yield return $"{Word()} OR zzzqqq";
        yield return Prefix();
        yield return Phrase(2);
        yield return Phrase(3);
        yield return $"{Phrase(2)} {Word()}";
        yield return $"{Phrase(2)} OR {Phrase(2)}";
        yield return $"{Prefix()} {Phrase(2)}";
        yield return words[^1] == words[0] ? Word() : Quoted([words[^1], words[0]]);
        yield return $"{Word()} -{Word()}";
        yield return $"{Word()} lang:fr";
        yield return $"{Phrase(2)} date:[2000-01-01 TO 2100-01-01}}";
    }

    private static string Escape(string word) => QueryParserBase.Escape(word);

    private static string Quoted(IEnumerable<string> words) =>
        "\"" + string.Join(' ', words.Select(w => w.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal))) + "\"";

    /// <summary>The text field's tokens of <paramref name="text"/> as the index holds them (already analysed, so they parse back to themselves).</summary>
    private static List<string> Words(Lucene.Net.Analysis.Analyzer analyzer, string text)
    {
        var words = new List<string>();
        using var stream = analyzer.GetTokenStream(IndexFields.Text, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) words.Add(term.ToString());
        stream.End();
        return words;
    }

    private static string Render(Snippet snippet) => snippet.Render(t => t, m => "[" + m + "]");

    /// <summary>Paragraphs of every HTML page and every JSON string of the shared fixtures, 30 to 3,000 characters each.</summary>
    private static IReadOnlyList<string> ReadFixtureTexts()
    {
        var parser = new HtmlParser();
        var texts = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Fixtures.Root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var extension = Path.GetExtension(file).ToLowerInvariant();
            IEnumerable<string> found = extension switch
            {
                ".html" or ".htm" => parser.ParseDocument(File.ReadAllText(file)).Body?.TextContent.Split('\n') ?? [],
                ".json" => JsonStrings(file),
                _ => [],
            };
            texts.AddRange(found.Select(t => t.Trim()).Where(t => t.Length is >= 30 and <= 3_000));
        }
        return texts.Distinct(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> JsonStrings(string file)
    {
        System.Text.Json.JsonDocument doc;
        try
        {
            doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(file));
        }
        catch (System.Text.Json.JsonException)
        {
            yield break;
        }
        using (doc)
        {
            var pending = new Stack<System.Text.Json.JsonElement>([doc.RootElement]);
            while (pending.TryPop(out var element))
            {
                switch (element.ValueKind)
                {
                    case System.Text.Json.JsonValueKind.Object:
                        foreach (var property in element.EnumerateObject()) pending.Push(property.Value);
                        break;
                    case System.Text.Json.JsonValueKind.Array:
                        foreach (var item in element.EnumerateArray()) pending.Push(item);
                        break;
                    case System.Text.Json.JsonValueKind.String:
                        yield return element.GetString()!;
                        break;
                }
            }
        }
    }
}
