using System.Text;
using Archiver.Search;
using Archiver.Tests.Support;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace Archiver.Tests.Search;

/// <summary>
/// The index's analyzers lower-case from a table instead of Lucene.Net's LowerCaseFilter; an index built before
/// stays valid only if every term comes out the same, which these tests check against Lucene's own classes.
/// </summary>
public sealed class StemmingAnalyzerTests
{
    [Fact]
    public void Lower_casing_maps_every_character_as_Lucene_does()
    {
        var bmp = Enumerable.Range(0, char.MaxValue + 1).Where(c => !char.IsSurrogate((char)c)).Select(c => (char)c).ToArray();
        // Supplementary letters with case (Deseret, Osage, Adlam), between BMP letters.
        var text = new string(bmp) + "\U00010400\U000104B0A\U0001E900b\U00010428İΣ";
        var ours = text.ToCharArray();
        var lucene = text.ToCharArray();

        InvariantLowerCaseFilter.Lower(ours, ours.Length);
        CharacterUtils.GetInstance(LuceneVersion.LUCENE_48).ToLower(lucene, 0, lucene.Length);

        var differing = Enumerable.Range(0, text.Length).Where(i => ours[i] != lucene[i]).Select(i => $"U+{(int)text[i]:X4}").Take(10).ToList();
        Assert.Empty(differing);
        Assert.Equal('a', ours[bmp.Length + 4]); // the 'A' between two surrogate pairs
        Assert.Equal("\U00010428", new string(ours, bmp.Length, 2));
    }

    public static TheoryData<string> Languages() => new(IndexFields.StemmedLanguages);

    [Theory]
    [MemberData(nameof(Languages))]
    public void Stemmed_terms_are_those_of_Lucenes_analyzer_on_real_pages(string lang)
    {
        var texts = RealTexts().Append(Letters()).ToList();
        Assert.True(texts.Count >= 20, $"only {texts.Count} texts found");
        var terms = 0;
        foreach (var text in texts)
        {
            var expected = Tokens(Analyzers.LuceneStemming(lang), text);
            var actual = Tokens(Analyzers.Stemming(lang), text);
            Assert.Equal(expected, actual);
            terms += actual.Count;
        }
        Assert.True(terms > 50_000, $"only {terms} terms compared");
    }

    [Fact]
    public void Stemmed_fields_stem_capitalised_words()
    {
        Assert.Equal(["выбор"], Tokens(Analyzers.Stemming("ru"), "ВЫБОРЫ").Select(t => t.Term));
        Assert.Equal(["elect"], Tokens(Analyzers.Stemming("en"), "Elections").Select(t => t.Term));
        Assert.Equal(["election"], Tokens(Analyzers.Stemming("fr"), "L'Élections").Select(t => t.Term)); // the light stemmer drops accents
    }

    private static IEnumerable<string> RealTexts()
    {
        foreach (var folder in new[] { "telegram", "forums", "mastodon" })
            foreach (var file in Directory.EnumerateFiles(Fixtures.Path(folder), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                if (file.EndsWith(".html", StringComparison.Ordinal) || file.EndsWith(".json", StringComparison.Ordinal))
                    yield return File.ReadAllText(file);
    }

    /// <summary>Every BMP letter in words of five, upper case included: the table is right for all of them.</summary>
    private static string Letters()
    {
        var text = new StringBuilder();
        var run = 0;
        for (var c = 0; c <= char.MaxValue; c++)
        {
            if (char.IsSurrogate((char)c) || !char.IsLetter((char)c)) continue;
            text.Append((char)c);
            if (++run % 5 == 0) text.Append(' ');
        }
        return text.ToString();
    }

    private static List<Token> Tokens(Analyzer analyzer, string text)
    {
        var tokens = new List<Token>();
        using var stream = analyzer.GetTokenStream("f", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var position = stream.AddAttribute<IPositionIncrementAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
            tokens.Add(new Token(term.ToString(), position.PositionIncrement, offset.StartOffset, offset.EndOffset));
        stream.End();
        return tokens;
    }

    private sealed record Token(string Term, int Increment, int Start, int End);
}
