using System.Diagnostics;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Archiver.Search;

public sealed partial class PostIndex
{
    private static readonly HashSet<string> KeyAndDisplay = [IndexFields.Key, IndexFields.Display];
    private static readonly HashSet<string> KeyDisplayAndText = [IndexFields.Key, IndexFields.Display, IndexFields.Text];

    /// <summary>Parses a query as users type it (throws <see cref="QuerySyntaxException"/>), with the request's date filters.</summary>
    public Query Parse(SearchRequest request)
    {
        var query = QuerySyntax.Parse(request.Query, _analyzer, request.Stem);
        if (request.Since is null && request.Until is null) return query;
        long? since = request.Since is { } s ? TimeCodec.ToSeconds(s) : null;
        long? until = request.Until is { } u ? TimeCodec.ToSeconds(u) : null;
        return CreatedRange.Restrict(query, new CreatedRange(since, until));
    }

    public SearchResults Search(SearchRequest request)
    {
        var watch = Stopwatch.StartNew();
        foreach (var field in request.CountBy)
        {
            if (!IndexFields.Countable.Contains(field))
                throw new ArgumentException($"Cannot count by '{field}': choose one of {string.Join(", ", IndexFields.Countable)}.", nameof(request));
        }
        var query = Parse(request);
        if (ReadOnly && !_options.Pinned) _searchers.MaybeRefresh();
        var searcher = _searchers.Acquire();
        try
        {
            var wanted = Math.Max(0, request.Offset) + Math.Max(0, request.Limit);
            var top = wanted == 0 ? null : TopCollector(request.Sort, wanted);
            var count = top is null ? new TotalHitCountCollector() : null;
            var aggregator = request.CountBy.Count > 0 || request.Histogram is not null
                ? new MatchAggregator(searcher.IndexReader, request.CountBy, request.Histogram, request.TopValues)
                : null;
            ICollector main = (ICollector?)top ?? count!;
            searcher.Search(query, aggregator is null ? main : MultiCollector.Wrap(main, aggregator));
            aggregator?.Finish();
            var docs = top?.GetTopDocs(Math.Max(0, request.Offset), Math.Max(0, request.Limit)).ScoreDocs ?? [];
            return new SearchResults
            {
                Total = top?.TotalHits ?? count!.TotalHits,
                Hits = Hits(searcher, query, docs, request),
                Counts = aggregator?.Counts() ?? [],
                Histogram = aggregator?.Histogram(),
                Elapsed = watch.Elapsed,
            };
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    private static ITopDocsCollector TopCollector(SearchSort sort, int wanted) => sort switch
    {
        SearchSort.Relevance => TopScoreDocCollector.Create(wanted, docsScoredInOrder: false),
        _ => TopFieldCollector.Create(
            new Sort(new SortField(IndexFields.Created, SortFieldType.INT64, reverse: sort == SearchSort.Newest)),
            wanted, fillFields: false, trackDocScores: false, trackMaxScore: false, docsScoredInOrder: false),
    };

    private List<SearchHit> Hits(IndexSearcher searcher, Query query, ScoreDoc[] docs, SearchRequest request)
    {
        var hits = new List<SearchHit>(docs.Length);
        if (docs.Length == 0) return hits;
        var leaves = searcher.IndexReader.Leaves;
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var langs = new Dictionary<int, string?>();
        var fields = request.Snippets && _options.StoreText ? KeyDisplayAndText : KeyAndDisplay;
        var deleted = DeletedAmong(leaves, docs);
        for (var h = 0; h < docs.Length; h++)
        {
            var scoreDoc = docs[h];
            var stored = searcher.Doc(scoreDoc.Doc, fields);
            var key = stored.Get(IndexFields.Key);
            var leaf = leaves[ReaderUtil.SubIndex(scoreDoc.Doc, leaves)];
            var local = scoreDoc.Doc - leaf.DocBase;
            if (stored.Get(IndexFields.Text) is { } text) texts[key] = text;
            if (request.Snippets) langs[scoreDoc.Doc] = SingleValue(leaf.AtomicReader, IndexFields.Lang, local);
            hits.Add(new SearchHit
            {
                Key = key,
                Score = request.Sort == SearchSort.Relevance ? scoreDoc.Score : null,
                Created = Created(leaf.AtomicReader, local),
                Deleted = deleted[h],
                Display = stored.Get(IndexFields.Display),
            });
        }
        if (!request.Snippets) return hits;
        // Documents indexed without their text (an index built before it was stored): read from the caller's store.
        var missing = hits.Where(h => !texts.ContainsKey(h.Key)).Select(h => h.Key).ToList();
        if (missing.Count > 0 && _options.TextLookup is { } lookup)
        {
            var found = lookup(missing);
            for (var i = 0; i < hits.Count; i++)
            {
                if (!found.TryGetValue(hits[i].Key, out var looked)) continue;
                if (looked.Text is { } text) texts[hits[i].Key] = text;
                hits[i] = hits[i] with { Source = looked.Source };
            }
        }
        var stemmed = StemHighlight.HasStems(query);
        var plain = stemmed ? null : new Snippets(query, _analyzer);
        // With stems, each post's words are marked by its own language's stems only.
        var byLanguage = new Dictionary<string, Snippets>(StringComparer.Ordinal);
        for (var i = 0; i < hits.Count; i++)
        {
            if (!texts.TryGetValue(hits[i].Key, out var text)) continue;
            var snippets = plain;
            if (snippets is null)
            {
                var lang = langs.GetValueOrDefault(docs[i].Doc) ?? "";
                if (!byLanguage.TryGetValue(lang, out snippets))
                    byLanguage[lang] = snippets = new Snippets(StemHighlight.ForLanguage(query, lang, searcher.IndexReader), _analyzer);
            }
            hits[i] = hits[i] with { Snippet = snippets.Make(text, IndexFields.Text) };
        }
        return hits;
    }

    private static DateTime? Created(AtomicReader reader, int doc)
    {
        var has = reader.GetDocsWithField(IndexFields.Created);
        if (has is null || !has.Get(doc)) return null;
        // Read directly: building the segment's cached array for ten hits would cost more than it saves.
        return TimeCodec.FromSeconds(reader.GetNumericDocValues(IndexFields.Created).Get(doc));
    }

    private static string? SingleValue(AtomicReader reader, string field, int doc)
    {
        var values = reader.GetSortedDocValues(field);
        if (values is null) return null;
        var ord = values.GetOrd(doc);
        if (ord < 0) return null;
        var bytes = new BytesRef();
        values.LookupOrd(ord, bytes);
        return bytes.Utf8ToString();
    }

    /// <summary>
    /// Which hits carry the deleted flag: one postings walk per segment, in doc order. Seeking the flag's term for each
    /// hit allocated a term enumerator per hit, a tenth of what a page of hits allocated.
    /// </summary>
    private static bool[] DeletedAmong(IList<AtomicReaderContext> leaves, ScoreDoc[] docs)
    {
        var deleted = new bool[docs.Length];
        var flag = new Term(IndexFields.Flag, IndexFields.Flags.Deleted);
        foreach (var group in Enumerable.Range(0, docs.Length).GroupBy(i => ReaderUtil.SubIndex(docs[i].Doc, leaves)))
        {
            var leaf = leaves[group.Key];
            var postings = leaf.AtomicReader.GetTermDocsEnum(flag);
            if (postings is null) continue;
            var at = -1;
            foreach (var i in group.OrderBy(i => docs[i].Doc))
            {
                var local = docs[i].Doc - leaf.DocBase;
                if (at < local) at = postings.Advance(local);
                deleted[i] = at == local;
            }
        }
        return deleted;
    }
}
