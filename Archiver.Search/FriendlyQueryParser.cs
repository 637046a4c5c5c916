using System.Globalization;
using Lucene.Net.Analysis;
using Lucene.Net.Index;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;

namespace Archiver.Search;

/// <summary>
/// Lucene's classic QueryParser with the archive's field names: friendly names resolve to real fields,
/// <c>date:</c> and the counts take dates and numbers (ranges become numeric range queries), keyword
/// fields match whole lower-cased values, and with stemming on a text clause also matches the words with
/// the same stem in each stemmed language. Unknown fields and bad dates are errors, not silent empty results.
/// </summary>
internal sealed class FriendlyQueryParser : QueryParser
{
    private readonly QueryText _text;
    private readonly bool _stem;
    private bool _bypass;

    public FriendlyQueryParser(QueryText text, Analyzer analyzer, bool stem)
        : base(Analyzers.Version, IndexFields.Text, analyzer)
    {
        _text = text;
        _stem = stem;
        DefaultOperator = Operator.AND;
        AutoGeneratePhraseQueries = true;
        AllowLeadingWildcard = false;
    }

    protected override Query GetFieldQuery(string field, string queryText, bool quoted)
    {
        if (_bypass) return base.GetFieldQuery(field, queryText, quoted);
        var real = Resolve(field);
        if (real == IndexFields.Created)
        {
            var (start, end) = ParseDate(field, queryText);
            return CreatedRange.Query(TimeCodec.ToSeconds(start), TimeCodec.ToSeconds(end));
        }
        if (IndexFields.Numbers.Contains(real))
        {
            var n = ParseNumber(field, queryText);
            return Range(real, n, n, true, true);
        }
        if (IndexFields.Keywords.Contains(real) || real == IndexFields.Key)
            return new TermQuery(new Term(real, real == IndexFields.Key ? queryText : DocumentBuilder.Normalize(real, queryText)));
        return WithStems(real, f => Raw(() => base.GetFieldQuery(f, queryText, quoted)));
    }

    protected override Query GetFieldQuery(string field, string queryText, int slop)
    {
        var real = Resolve(field);
        if (real != IndexFields.Text && !real.StartsWith(IndexFields.Text + "_", StringComparison.Ordinal))
            return GetFieldQuery(field, queryText, quoted: true);
        return WithStems(real, f => Raw(() => base.GetFieldQuery(f, queryText, slop)));
    }

    protected override Query GetRangeQuery(string field, string part1, string part2, bool startInclusive, bool endInclusive)
    {
        var real = Resolve(field);
        if (real == IndexFields.Created)
        {
            long? from = null, to = null;
            if (!IsOpen(part1)) from = TimeCodec.ToSeconds(startInclusive ? ParseDate(field, part1).Start : ParseDate(field, part1).End);
            // ']' includes the whole last day; '}' stops where it starts.
            if (!IsOpen(part2)) to = TimeCodec.ToSeconds(endInclusive ? ParseDate(field, part2).End : ParseDate(field, part2).Start);
            return CreatedRange.Query(from, to);
        }
        if (IndexFields.Numbers.Contains(real))
        {
            long? from = IsOpen(part1) ? null : ParseNumber(field, part1);
            long? to = IsOpen(part2) ? null : ParseNumber(field, part2);
            return Range(real, from, to, startInclusive, endInclusive);
        }
        if (IndexFields.Keywords.Contains(real))
        {
            part1 = IsOpen(part1) ? part1 : DocumentBuilder.Normalize(real, part1);
            part2 = IsOpen(part2) ? part2 : DocumentBuilder.Normalize(real, part2);
        }
        return base.GetRangeQuery(real, part1, part2, startInclusive, endInclusive);
    }

    protected override Query GetPrefixQuery(string field, string termStr) =>
        base.GetPrefixQuery(RequireTerms(field, "a prefix*"), Fold(Resolve(field), termStr));

    protected override Query GetWildcardQuery(string field, string termStr)
    {
        // '*' alone (or '*:*') means every post: useful for counts and histograms of the whole archive.
        if (termStr == "*" && (field == "*" || field == IndexFields.Text)) return new MatchAllDocsQuery();
        var real = RequireTerms(field, "a wildcard");
        var folded = Fold(Resolve(field), termStr);
        // A wildcard becomes an automaton too: built within the same time budget as a regular expression.
        return QueryCost.Within(termStr, Position(termStr), () => base.GetWildcardQuery(real, folded));
    }

    protected override Query GetRegexpQuery(string field, string termStr)
    {
        var real = RequireTerms(field, "a /regular expression/");
        // Lower-cased as the parser does for expanded terms (the index holds lower-cased words).
        var pattern = LowercaseExpandedTerms ? termStr.ToLowerInvariant() : termStr;
        return QueryCost.Regexp(real, pattern, Position("/" + termStr));
    }

    private int Position(string part) => Math.Max(_text.Typed.IndexOf(part, StringComparison.OrdinalIgnoreCase), 0);

    protected override Query GetFuzzyQuery(string field, string termStr, float minSimilarity) =>
        base.GetFuzzyQuery(RequireTerms(field, "a fuzzy~ term"), Fold(Resolve(field), termStr), minSimilarity);

    private static Query Range(string field, long? from, long? to, bool fromInclusive, bool toInclusive) =>
        NumericRangeQuery.NewInt64Range(field, DocumentBuilder.PrecisionStep, from, to, fromInclusive, toInclusive);

    /// <summary>
    /// A text clause as analysed for the text field; with <c>--stem</c> also its alternative in each stemmed
    /// language, and for <c>text_en:</c> (and the like) that language's alternative alone.
    /// </summary>
    private Query WithStems(string real, Func<string, Query?> analyse)
    {
        // The clause analysed by each language's analyzer gives its stems (stop words leave gaps), which
        // LanguageStemQuery then finds among the text field's words.
        Query? Stemmed(string lang) => LanguageStemQuery.For(lang, analyse(IndexFields.Stemmed(lang)));
        if (real != IndexFields.Text) return Stemmed(real[(IndexFields.Text.Length + 1)..])!;
        var text = analyse(IndexFields.Text);
        if (!_stem) return text!;
        return IndexFields.StemmedLanguages.Select(Stemmed).Prepend(text).Combine();
    }

    private Query? Raw(Func<Query?> parse)
    {
        _bypass = true;
        try
        {
            return parse();
        }
        finally
        {
            _bypass = false;
        }
    }

    private string Resolve(string field) =>
        IndexFields.Resolve(field) ?? throw Error(field,
            $"Unknown field '{field}:'. Known fields: {string.Join(", ", IndexFields.FriendlyNames.Where(n => n is not ("key" or "flag" or "created")))}; and #tag, @mention.");

    private string RequireTerms(string field, string what)
    {
        var real = Resolve(field);
        if (real == IndexFields.Created || IndexFields.Numbers.Contains(real))
            throw Error(field, $"'{field}:' takes {(real == IndexFields.Created ? "a date" : "a number")} or a [from TO to] range, not {what}.");
        return real;
    }

    private static string Fold(string real, string term) =>
        IndexFields.Keywords.Contains(real) ? DocumentBuilder.Normalize(real, term) : Analyzers.FoldTerm(term);

    private static bool IsOpen(string? bound) => bound is null or "*" or "";

    private (DateTime Start, DateTime End) ParseDate(string field, string text) =>
        DateSyntax.TryParse(text, out var start, out var end)
            ? (start, end)
            : throw Error(field, $"'{field}:{text}' is not a date: expected {DateSyntax.Expected}, or a range [2021-01-01 TO 2021-01-10}} (']' includes the end, '}}' excludes it).");

    private long ParseNumber(string field, string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw Error(field, $"'{field}:{text}' is not a number: expected a whole number or a range like [1000 TO *].");

    private QuerySyntaxException Error(string field, string message)
    {
        var at = _text.Typed.IndexOf(field + ":", StringComparison.OrdinalIgnoreCase);
        return new QuerySyntaxException(message, Math.Max(at, 0));
    }
}

internal static class QueryCombining
{
    /// <summary>One query from several alternatives (null ones dropped: e.g. a word that is only stop words in a stemmed field).</summary>
    public static Query Combine(this IEnumerable<Query?> queries)
    {
        var list = queries.OfType<Query>().ToList();
        // The classic parser drops a clause whose text analyzes to nothing: null tells it to.
        if (list.Count == 0) return null!;
        if (list.Count == 1) return list[0];
        var any = new BooleanQuery();
        foreach (var q in list) any.Add(q, Occur.SHOULD);
        return any;
    }
}
