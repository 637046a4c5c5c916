using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace Archiver.Search;

/// <summary>
/// The stem of one indexed word in a language, by the language's stemming analyzer (<see cref="Analyzers.Stemming"/>),
/// and where in the term dictionary the words sharing a stem can be. <c>--stem</c> searches expand a word to the
/// indexed words with its stem at query time, so the index holds no stemmed copy of the text.
/// </summary>
internal static class Stemmer
{
    private static readonly Dictionary<string, Analyzer> Chains =
        IndexFields.StemmedLanguages.ToDictionary(lang => lang, Analyzers.Stemming, StringComparer.Ordinal);

    // Arabic's light stemmer strips these prefixes (ArabicStemmer), so a stem can start after one of them.
    private static readonly string[] ArabicPrefixes = ["", "ال", "وال", "بال", "كال", "فال", "لل", "و"];

    public static bool Stems(string? lang) => lang is not null && Chains.ContainsKey(lang);

    /// <summary>The stem of a word as the text field indexes it (lower case, folded), or null for a stop word.</summary>
    public static string? Stem(string lang, string word)
    {
        // Each analyzer reuses one token stream per thread (Lucene's global reuse strategy).
        using var stream = Chains[lang].GetTokenStream(IndexFields.Text, word);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        string? stem = null;
        var tokens = 0;
        while (stream.IncrementToken())
        {
            tokens++;
            stem = term.ToString();
        }
        stream.End();
        // A term the tokenizer splits (an address, a number with dots) has no single stem.
        return tokens == 1 ? stem : null;
    }

    /// <summary>
    /// Prefixes that every indexed word with this stem starts with: the stemmers change only a word's last two
    /// letters before the stem's end, German's normalisation can contract ae/oe/ue earlier (to a, o, u), and
    /// Arabic's stemmer also strips the article and conjunctions in front. Words found under these prefixes are
    /// then stemmed one by one, so a prefix only has to be wide enough, never exact.
    /// </summary>
    public static IEnumerable<string> Prefixes(string lang, string stem)
    {
        var length = Math.Max(Math.Min(2, stem.Length), stem.Length - 2);
        if (lang == "de")
        {
            var vowel = stem.IndexOfAny(['a', 'o', 'u']);
            if (vowel >= 0) length = Math.Min(length, vowel + 1);
        }
        var prefix = stem[..Math.Max(1, length)];
        return lang == "ar" ? ArabicPrefixes.Select(article => article + prefix) : [prefix];
    }

    /// <summary>The prefixes to walk, in dictionary order, without one that another already covers.</summary>
    public static IReadOnlyList<string> Ranges(string lang, string stem)
    {
        var prefixes = Prefixes(lang, stem).Distinct().ToList();
        return prefixes
            .Where(p => !prefixes.Any(q => q.Length < p.Length && p.StartsWith(q, StringComparison.Ordinal)))
            .Order(Utf8Order.Instance)
            .ToList();
    }

    /// <summary>Lucene's term order (UTF-8 bytes), which differs from UTF-16's past U+D7FF.</summary>
    private sealed class Utf8Order : IComparer<string>
    {
        public static readonly Utf8Order Instance = new();

        public int Compare(string? x, string? y) =>
            Lucene.Net.Util.BytesRef.UTF8SortedAsUnicodeComparer.Compare(new Lucene.Net.Util.BytesRef(x ?? ""), new Lucene.Net.Util.BytesRef(y ?? ""));
    }
}
