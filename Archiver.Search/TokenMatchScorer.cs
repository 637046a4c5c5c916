using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Search;
using Lucene.Net.Search.Highlight;

namespace Archiver.Search;

/// <summary>
/// The highlighter's scorer for the queries people type most (words, <c>prefix*</c>, exact phrases, with AND, OR,
/// NOT and date or field filters), marking what Lucene's <see cref="QueryScorer"/> marks, from the text's own
/// tokens. QueryScorer finds the words a phrase or a prefix matches by building a one-document index of each
/// text (a MemoryIndex and its readers, whose finalizers kept a server's finalizer thread busy for a fifth of its
/// CPU under load); here a phrase is its words at consecutive positions and a prefix a token that starts with it.
/// Other queries (fuzzy, wildcard, ranges of words, boosts, sloppy phrases) get no scorer from
/// <see cref="TryCreate"/> and keep Lucene's.
/// </summary>
internal sealed class TokenMatchScorer : QueryScorer
{
    private readonly HashSet<string> _terms;
    private readonly string[] _prefixes;
    private readonly string[][] _phrases;
    private readonly HashSet<string> _found = new(StringComparer.Ordinal);
    private Dictionary<string, WeightedSpanTerm> _weighted = new(StringComparer.Ordinal);
    private ICharTermAttribute? _term;
    private IPositionIncrementAttribute? _increment;
    private int _position;
    private float _fragmentScore;

    private TokenMatchScorer(Query query, string field, HashSet<string> terms, List<string> prefixes, List<string[]> phrases)
        : base(query, field)
    {
        _terms = terms;
        _prefixes = [.. prefixes];
        _phrases = [.. phrases];
    }

    /// <summary>A scorer for <paramref name="query"/>'s words in <paramref name="field"/>, or null when the query holds a kind this scorer does not read.</summary>
    public static TokenMatchScorer? TryCreate(Query query, string field)
    {
        var terms = new HashSet<string>(StringComparer.Ordinal);
        var prefixes = new List<string>();
        var phrases = new List<string[]>();
        return Collect(query, field, terms, prefixes, phrases) ? new TokenMatchScorer(query, field, terms, prefixes, phrases) : null;
    }

    /// <summary>What QueryScorer's term extraction keeps of <paramref name="query"/> (prohibited clauses and other fields left out).</summary>
    private static bool Collect(Query query, string field, HashSet<string> terms, List<string> prefixes, List<string[]> phrases)
    {
        // Boosts weigh fragments against each other: Lucene's scorer keeps that exact.
        if (query.Boost != 1f) return false;
        switch (query)
        {
            case BooleanQuery boolean:
                foreach (var clause in boolean.Clauses)
                {
                    if (clause.Occur != Occur.MUST_NOT && !Collect(clause.Query, field, terms, prefixes, phrases)) return false;
                }
                return true;
            case TermQuery term:
                if (term.Term.Field == field) terms.Add(term.Term.Text);
                return true;
            case PrefixQuery prefix:
                if (prefix.Prefix.Field == field) prefixes.Add(prefix.Prefix.Text);
                return true;
            case PhraseQuery phrase:
                return CollectPhrase(phrase, field, terms, phrases);
            case FilteredQuery filtered:
                return Collect(filtered.Query, field, terms, prefixes, phrases);
            case ConstantScoreQuery constant:
                return constant.Query is null || Collect(constant.Query, field, terms, prefixes, phrases);
            case MatchAllDocsQuery:
                return true;
            default:
                return false;
        }
    }

    private static bool CollectPhrase(PhraseQuery phrase, string field, HashSet<string> terms, List<string[]> phrases)
    {
        var words = phrase.GetTerms();
        var positions = phrase.GetPositions();
        if (words.Length == 0) return true;
        if (words.Any(w => w.Field != field)) return words.All(w => w.Field != field);
        // Only exact phrases of distinct words at consecutive positions: where Lucene's span matching is simply "one after the other".
        if (phrase.Slop != 0 || words.Select(w => w.Text).Distinct(StringComparer.Ordinal).Count() != words.Length) return false;
        for (var i = 1; i < positions.Length; i++)
        {
            if (positions[i] != positions[0] + i) return false;
        }
        if (words.Length == 1) terms.Add(words[0].Text);
        else phrases.Add([.. words.Select(w => w.Text)]);
        return true;
    }

    public override TokenStream? Init(TokenStream tokenStream)
    {
        _position = -1;
        _term = tokenStream.AddAttribute<ICharTermAttribute>();
        _increment = tokenStream.AddAttribute<IPositionIncrementAttribute>();
        _weighted = new Dictionary<string, WeightedSpanTerm>(StringComparer.Ordinal);
        foreach (var term in _terms) _weighted[term] = new WeightedSpanTerm(1f, term);
        if (_prefixes.Length == 0 && _phrases.Length == 0) return null;

        // Read the tokens once (as far as QueryScorer would read them), then hand the highlighter a replay of them.
        var cached = new CachingTokenFilter(new OffsetLimitTokenFilter(tokenStream, Highlighter.DEFAULT_MAX_CHARS_TO_ANALYZE));
        var tokens = new List<(string Term, int Position)>();
        var position = -1;
        while (cached.IncrementToken())
        {
            position += _increment.PositionIncrement;
            tokens.Add((_term.ToString(), position));
        }
        foreach (var (term, _) in tokens)
        {
            if (!_weighted.ContainsKey(term) && _prefixes.Any(p => term.StartsWith(p, StringComparison.Ordinal)))
                _weighted[term] = new WeightedSpanTerm(1f, term);
        }
        if (_phrases.Length > 0) AddPhraseSpans(tokens);
        // The highlighter reads on from where the stream is (it reset the stream before this call): rewind the replay.
        cached.Reset();
        return cached;
    }

    private void AddPhraseSpans(List<(string Term, int Position)> tokens)
    {
        var at = new Dictionary<int, HashSet<string>>();
        foreach (var (term, position) in tokens)
        {
            if (!at.TryGetValue(position, out var set)) at[position] = set = new HashSet<string>(StringComparer.Ordinal);
            set.Add(term);
        }
        foreach (var phrase in _phrases)
        {
            var spans = new List<PositionSpan>();
            foreach (var start in at.Keys.Where(p => at[p].Contains(phrase[0])).Order())
            {
                var matches = true;
                for (var k = 1; k < phrase.Length && matches; k++)
                    matches = at.TryGetValue(start + k, out var set) && set.Contains(phrase[k]);
                if (matches) spans.Add(new PositionSpan(start, start + phrase.Length - 1));
            }
            foreach (var word in phrase)
            {
                // A word also asked for on its own (or by a prefix) is marked wherever it occurs, as Lucene's scorer does.
                if (_weighted.TryGetValue(word, out var existing))
                {
                    if (spans.Count > 0) existing.AddPositionSpans(spans);
                }
                else
                {
                    var weighted = new WeightedSpanTerm(1f, word, positionSensitive: true);
                    weighted.AddPositionSpans(spans);
                    _weighted[word] = weighted;
                }
            }
        }
    }

    public override float GetTokenScore()
    {
        _position += _increment!.PositionIncrement;
        var text = _term!.ToString();
        if (!_weighted.TryGetValue(text, out var weighted)) return 0;
        if (weighted.IsPositionSensitive && !weighted.CheckPosition(_position)) return 0;
        if (_found.Add(text)) _fragmentScore += weighted.Weight;
        return weighted.Weight;
    }

    public override void StartFragment(TextFragment newFragment)
    {
        _found.Clear();
        _fragmentScore = 0;
    }

    public override float FragmentScore => _fragmentScore;

    public override float MaxTermWeight => _weighted.Count > 0 ? 1f : 0f;

    public override WeightedSpanTerm GetWeightedSpanTerm(string token) => _weighted.GetValueOrDefault(token)!;
}
