using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Archiver.Search;

public sealed partial class PostIndex
{
    /// <summary>
    /// The keys of every post matching a request (no ranking, no snippets), for exports that select posts
    /// by query. Reads only the stored key of each match.
    /// </summary>
    public HashSet<string> MatchingKeys(SearchRequest request)
    {
        var query = Parse(request);
        if (ReadOnly && !_options.Pinned) _searchers.MaybeRefresh();
        var searcher = _searchers.Acquire();
        try
        {
            var collector = new KeyCollector();
            searcher.Search(query, collector);
            return collector.Keys;
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    private sealed class KeyCollector : ICollector
    {
        private static readonly ISet<string> KeyOnly = new HashSet<string> { IndexFields.Key };
        private AtomicReader? _reader;

        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

        public bool AcceptsDocsOutOfOrder => true;

        public void SetScorer(Scorer scorer)
        {
        }

        public void SetNextReader(AtomicReaderContext context) => _reader = context.AtomicReader;

        public void Collect(int doc)
        {
            var key = _reader!.Document(doc, KeyOnly).Get(IndexFields.Key);
            if (key is not null) Keys.Add(key);
        }
    }
}
