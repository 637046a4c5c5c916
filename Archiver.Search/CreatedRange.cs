using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Archiver.Search;

/// <summary>
/// Date ranges over the <c>created</c> doc values, <c>[From, Until)</c> in Unix seconds (null = open).
/// The creation time is not indexed as trie terms (they cost a fifth of the indexing time); instead a range
/// is checked per candidate document, and a range ANDed with other clauses becomes a random-access filter
/// on them, so its cost follows the other clauses' matches, not the width of the range.
/// </summary>
internal sealed class CreatedRange(long? from, long? until) : Filter
{
    public long? From { get; } = from;
    public long? Until { get; } = until;

    public static Query Query(long? from, long? until) => new ConstantScoreQuery(new CreatedRange(from, until));

    /// <summary><paramref name="query"/> restricted to the range, the range checked only on its matches.</summary>
    public static Query Restrict(Query query, CreatedRange range) => new FilteredQuery(query, range, AlwaysRandomAccess.Instance);

    /// <summary>
    /// Turns required date ranges of a boolean query into filters on its other required clauses
    /// (<c>word date:[a TO b}</c> then walks the word's postings only). Nothing else changes: optional
    /// clauses stay optional because a required clause remains.
    /// </summary>
    public static Query Optimize(Query query)
    {
        if (query is not BooleanQuery boolean || boolean.MinimumNumberShouldMatch != 0) return query;
        var ranges = new List<CreatedRange>();
        var rest = new BooleanQuery(boolean.CoordDisabled) { Boost = boolean.Boost };
        foreach (var clause in boolean.Clauses)
        {
            if (clause.Occur == Occur.MUST && clause.Query is ConstantScoreQuery { Filter: CreatedRange range }) ranges.Add(range);
            else rest.Add(clause.Occur == Occur.MUST ? Optimize(clause.Query) : clause.Query, clause.Occur);
        }
        if (ranges.Count == 0 || !rest.Clauses.Any(c => c.Occur == Occur.MUST)) return query;
        Query result = rest.Clauses.Count == 1 && rest.Clauses[0].Occur == Occur.MUST ? rest.Clauses[0].Query : rest;
        foreach (var range in ranges) result = Restrict(result, range);
        return result;
    }

    public override DocIdSet? GetDocIdSet(AtomicReaderContext context, IBits? acceptDocs)
    {
        var reader = context.AtomicReader;
        // Posts without a date hold SegmentValues.NoDate (long.MinValue): an open start must stay above it.
        var lower = Math.Max(From ?? long.MinValue, SegmentValues.NoDate + 1);
        var upper = Until ?? long.MaxValue;
        if (lower >= upper) return null;
        return new Matches(reader.MaxDoc, acceptDocs, SegmentValues.Created(reader), lower, upper);
    }

    public override string ToString() => $"created:[{From?.ToString() ?? "*"} TO {Until?.ToString() ?? "*"}}}";

    private sealed class Matches(int maxDoc, IBits? acceptDocs, long[] created, long lower, long upper)
        : FieldCacheDocIdSet(maxDoc, acceptDocs)
    {
        protected override bool MatchDoc(int doc)
        {
            var value = created[doc];
            return value >= lower && value < upper;
        }
    }

    /// <summary>Always applies the range as accepted-docs bits (Lucene's default only does when the first match is among the first 100 docs).</summary>
    private sealed class AlwaysRandomAccess : FilteredQuery.RandomAccessFilterStrategy
    {
        public static readonly AlwaysRandomAccess Instance = new();

        protected override bool UseRandomAccess(IBits bits, int firstFilterDoc) => true;
    }
}
