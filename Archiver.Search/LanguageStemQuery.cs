using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Archiver.Search;

/// <summary>
/// A <c>--stem</c> alternative for one language: posts labelled <see cref="Lang"/> whose text has, at the clause's
/// positions, words with the same stems as the words searched (stop words leave their position free, as the
/// language analyzers do). It rewrites to <c>+lang:L +stems</c>: one word becomes a <see cref="StemTermQuery"/>,
/// a phrase a <see cref="MultiPhraseQuery"/> of each position's words found in the index.
/// </summary>
internal sealed class LanguageStemQuery : Query
{
    private readonly string?[] _stems;
    private readonly int[] _positions;
    private readonly int _slop;

    private LanguageStemQuery(string lang, string?[] stems, int[] positions, int slop)
    {
        Lang = lang;
        _stems = stems;
        _positions = positions;
        _slop = slop;
    }

    public string Lang { get; }

    /// <summary>
    /// The alternative for a clause as the language's analyzer parsed it (terms are stems), or null when it has
    /// none (stop words only). Stems are compared without accents, as the text field keeps its words.
    /// </summary>
    public static Query? For(string lang, Query? text) => text switch
    {
        TermQuery term => Create(lang, [term.Term.Text], [0], 0),
        PhraseQuery phrase => Create(lang, phrase.GetTerms().Select(t => t.Text).ToArray(), phrase.GetPositions(), phrase.Slop),
        BooleanQuery boolean => boolean.Clauses.Select(c => For(lang, c.Query)).ToList() is var stemmed && stemmed.All(q => q is not null)
            ? Rebuild(boolean, stemmed!)
            : null,
        _ => null,
    };

    private static Query? Create(string lang, string[] words, int[] positions, int slop)
    {
        var stems = words.Select(w => (string?)Analyzers.FoldTerm(w)).ToArray();
        return stems.Length == 0 ? null : new LanguageStemQuery(lang, stems, positions, slop);
    }

    private static BooleanQuery Rebuild(BooleanQuery original, List<Query?> queries)
    {
        var rebuilt = new BooleanQuery(original.CoordDisabled) { MinimumNumberShouldMatch = original.MinimumNumberShouldMatch, Boost = original.Boost };
        for (var i = 0; i < queries.Count; i++) rebuilt.Add(queries[i]!, original.Clauses[i].Occur);
        return rebuilt;
    }

    public override Query Rewrite(IndexReader reader)
    {
        var restricted = new BooleanQuery(disableCoord: true) { Boost = Boost };
        restricted.Add(new TermQuery(new Term(IndexFields.Lang, Lang)), Occur.MUST);
        restricted.Add(Stems(reader), Occur.MUST);
        return restricted;
    }

    /// <summary>The stems' part alone, for the highlighter (which marks words of the text field only).</summary>
    public Query Stems(IndexReader reader)
    {
        var kept = Enumerable.Range(0, _stems.Length).Where(i => _stems[i] is not null).ToList();
        if (kept.Count == 1) return new StemTermQuery(Lang, _stems[kept[0]]!);
        var phrase = new MultiPhraseQuery { Slop = _slop };
        var terms = MultiFields.GetTerms(reader, IndexFields.Text);
        foreach (var i in kept)
        {
            var words = terms is null ? [] : Words(terms, _stems[i]!);
            // A position no indexed word fills: the phrase cannot match.
            if (words.Length == 0) return new BooleanQuery();
            phrase.Add(words, _positions[i]);
        }
        return phrase;
    }

    private Term[] Words(Terms terms, string stem)
    {
        var words = new List<Term>();
        var query = new StemTermQuery(Lang, stem);
        var matching = query.GetTermsEnumFor(terms);
        while (matching.MoveNext()) words.Add(new Term(IndexFields.Text, Lucene.Net.Util.BytesRef.DeepCopyOf(matching.Term)));
        return [.. words];
    }

    public override string ToString(string field) =>
        $"stem({Lang}:{(_stems.Length == 1 ? _stems[0] : "\"" + string.Join(" ", _stems.Select(s => s ?? "?")) + "\"" + (_slop > 0 ? "~" + _slop : ""))})";

    public override bool Equals(object? obj) =>
        obj is LanguageStemQuery other && other.Lang == Lang && other._slop == _slop && other.Boost == Boost
        && other._stems.SequenceEqual(_stems) && other._positions.SequenceEqual(_positions);

    public override int GetHashCode() => HashCode.Combine(Lang, _slop, _stems.Length > 0 ? _stems[0] : null, _positions.Length, Boost);
}
