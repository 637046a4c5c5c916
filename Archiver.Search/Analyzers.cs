using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Ar;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.De;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Fr;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Ru;
using Lucene.Net.Analysis.Snowball;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace Archiver.Search;

/// <summary>
/// The analyzers of the index. The default text field finds exactly the word a researcher typed, only
/// ignoring case and accents: Unicode word boundaries (UAX #29, so Cyrillic and Arabic split correctly),
/// lower case, French/Italian elision (l'élection → élection), ASCII folding, Arabic orthographic normalisation; no stop words, no stemming. The stemmed
/// per-language fields use the analyzers Lucene ships.
/// </summary>
public static class Analyzers
{
    internal const LuceneVersion Version = LuceneVersion.LUCENE_48;

    private static readonly CharArraySet Elisions = new CharArraySet(Version,
        new[] { "l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu", "dell", "dall", "nell", "sull", "all", "un" },
        ignoreCase: true).AsReadOnly();

    /// <summary>The analyzer of the default <c>text</c> field.</summary>
    public static Analyzer Folding() => Analyzer.NewAnonymous((_, reader) =>
    {
        var tokenizer = new StandardTokenizer(Version, reader);
        TokenStream stream = new InvariantLowerCaseFilter(tokenizer);
        // French/Italian elisions (l'élection, d'accord) are one word to UAX #29; the article is not part of it.
        stream = new ElisionFilter(stream, Elisions);
        stream = new ASCIIFoldingFilter(stream);
        stream = new ArabicNormalizationFilter(stream);
        return new TokenStreamComponents(tokenizer, stream);
    });

    /// <summary>One lower-cased term for the whole value (handles, channels, hashtags, domains).</summary>
    public static Analyzer Keyword() => Analyzer.NewAnonymous((_, reader) =>
    {
        var tokenizer = new KeywordTokenizer(reader);
        return new TokenStreamComponents(tokenizer, new LowerCaseFilter(Version, tokenizer));
    });

    /// <summary>
    /// The analyzer of a stemmed field: the chain of Lucene's analyzer for the language (EnglishAnalyzer,
    /// FrenchAnalyzer, RussianAnalyzer, ArabicAnalyzer, GermanAnalyzer), with the same stop words and stemmers,
    /// built here only to lower-case with <see cref="InvariantLowerCaseFilter"/>: the terms are the same
    /// (a test compares them), so indexes built with Lucene's analyzers stay valid.
    /// </summary>
    public static Analyzer Stemming(string lang) => lang switch
    {
        "en" => Chain(stream => new PorterStemFilter(new StopFilter(Version,
            new InvariantLowerCaseFilter(new EnglishPossessiveFilter(Version, stream)), EnglishAnalyzer.DefaultStopSet))),
        "fr" => Chain(stream => new FrenchLightStemFilter(new StopFilter(Version,
            new InvariantLowerCaseFilter(new ElisionFilter(stream, FrenchAnalyzer.DEFAULT_ARTICLES)), FrenchAnalyzer.DefaultStopSet))),
        "ru" => Chain(stream => new SnowballFilter(new StopFilter(Version,
            new InvariantLowerCaseFilter(stream), RussianAnalyzer.DefaultStopSet), new Lucene.Net.Tartarus.Snowball.Ext.RussianStemmer())),
        // Lucene's order: the Arabic stop list is not normalised, so stop words go before normalisation.
        "ar" => Chain(stream => new ArabicStemFilter(new ArabicNormalizationFilter(new StopFilter(Version,
            new InvariantLowerCaseFilter(stream), ArabicAnalyzer.DefaultStopSet)))),
        "de" => Chain(stream => new GermanLightStemFilter(new GermanNormalizationFilter(new StopFilter(Version,
            new InvariantLowerCaseFilter(stream), GermanAnalyzer.DefaultStopSet)))),
        _ => throw new ArgumentOutOfRangeException(nameof(lang), lang, "no stemming analyzer for this language"),
    };

    /// <summary>Lucene's own analyzer for the language, kept to prove <see cref="Stemming"/> gives its terms.</summary>
    public static Analyzer LuceneStemming(string lang) => lang switch
    {
        "en" => new EnglishAnalyzer(Version),
        "fr" => new FrenchAnalyzer(Version),
        "ru" => new RussianAnalyzer(Version),
        "ar" => new ArabicAnalyzer(Version),
        "de" => new GermanAnalyzer(Version),
        _ => throw new ArgumentOutOfRangeException(nameof(lang), lang, "no stemming analyzer for this language"),
    };

    private static Analyzer Chain(Func<TokenStream, TokenStream> filters) => Analyzer.NewAnonymous((_, reader) =>
    {
        var tokenizer = new StandardTokenizer(Version, reader);
        return new TokenStreamComponents(tokenizer, filters(tokenizer));
    });

    /// <summary>The per-field analyzer used both to index and to parse queries.</summary>
    public static Analyzer PerField()
    {
        var fields = new Dictionary<string, Analyzer>(StringComparer.Ordinal);
        var keyword = Keyword();
        foreach (var field in IndexFields.Keywords) fields[field] = keyword;
        fields[IndexFields.Key] = new KeywordAnalyzer();
        foreach (var lang in IndexFields.StemmedLanguages) fields[IndexFields.Stemmed(lang)] = Stemming(lang);
        return new PerFieldAnalyzerWrapper(Folding(), fields);
    }

    /// <summary>Folds a word the way the text field does (for prefix and wildcard terms, which bypass analysis).</summary>
    public static string FoldTerm(string term)
    {
        var lower = term.ToLowerInvariant();
        var input = lower.ToCharArray();
        var output = new char[input.Length * 4];
        var length = ASCIIFoldingFilter.FoldToASCII(input, 0, output, 0, input.Length);
        return new string(output, 0, length);
    }
}
