using System.Buffers;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Archiver.Search;

/// <summary>
/// Counts the matches by field values and by time from doc values (no stored fields), read through
/// per-segment arrays (<see cref="SegmentValues"/>). Collecting only
/// buffers the matching doc ids per segment; afterwards each field (and the histogram) runs as its own
/// tight loop over the buffers, the fields in parallel. Per segment an int counter per ordinal, mapped to
/// global ordinals (cached per reader) so strings are looked up only for the top values; the histogram
/// counts days in an array and folds them into weeks or months at the end.
/// </summary>
internal sealed class MatchAggregator(IndexReader top, IReadOnlyList<string> fields, HistogramPeriod? period, int topValues) : ICollector
{
    /// <summary>Counting runs now, in this process: the fields of one search run in parallel only when it is the only one.</summary>
    private static int _running;

    private readonly List<(AtomicReaderContext Context, int[] Docs, int Count)> _segments = [];
    private AtomicReaderContext? _context;
    private int[] _docs = [];
    private int _count;
    private IReadOnlyList<FieldCounts> _counts = [];
    private IReadOnlyList<TimeBucket>? _histogram;

    public bool AcceptsDocsOutOfOrder => true;

    public void SetScorer(Scorer scorer)
    {
        // The segment's buffer sized at once by the scorer's estimate of its matches (a term's document count):
        // doubling from 4,096 copied a common word's 600,000 ids some eight times over.
        var expected = Math.Min(scorer.GetCost(), _context?.AtomicReader.MaxDoc ?? 0);
        if (_count > 0 || expected <= _docs.Length) return;
        ArrayPool<int>.Shared.Return(_docs);
        _docs = ArrayPool<int>.Shared.Rent((int)expected);
    }

    public void SetNextReader(AtomicReaderContext context)
    {
        Seal();
        _context = context;
        // Pooled: a common word's matches filled megabyte arrays on the large-object heap on every query, and a
        // server's concurrent searches spent a sixth of their time waiting for the collections that followed.
        _docs = ArrayPool<int>.Shared.Rent(Math.Max(1, Math.Min(context.AtomicReader.MaxDoc, 4096)));
        _count = 0;
    }

    public void Collect(int doc)
    {
        if (_count == _docs.Length)
        {
            var bigger = ArrayPool<int>.Shared.Rent(Math.Min(_docs.Length * 2, Math.Max(_context!.AtomicReader.MaxDoc, _docs.Length + 1)));
            Array.Copy(_docs, bigger, _count);
            ArrayPool<int>.Shared.Return(_docs);
            _docs = bigger;
        }
        _docs[_count++] = doc;
    }

    /// <summary>Runs the counting over everything collected; call once, after the search.</summary>
    public void Finish()
    {
        Seal();
        var alone = Interlocked.Increment(ref _running) == 1;
        try
        {
            var counters = fields.Distinct().Select(f => new FieldCounter(top, f)).ToArray();
            var days = period is null ? null : new DayCounter();
            var work = counters.Select(c => (Action)(() => c.Count(_segments))).ToList();
            if (days is not null) work.Add(() => days.Count(_segments));
            // A lone search (one user) gets its answer sooner from both cores; under concurrent searches (a server
            // under load) the cores are busy already, and splitting each search only adds hand-offs and waits
            // (measured: spin-waits and lock contention in Parallel.Invoke under 16 concurrent searches).
            if (alone) Parallel.Invoke(work.ToArray());
            else foreach (var count in work) count();
            _counts = counters.Select(c => c.Result(topValues)).ToList();
            _histogram = days?.Buckets(period!.Value);
            foreach (var counter in counters) counter.Release();
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            foreach (var (_, docs, _) in _segments) ArrayPool<int>.Shared.Return(docs);
            _segments.Clear();
        }
    }

    public IReadOnlyList<FieldCounts> Counts() => _counts;

    public IReadOnlyList<TimeBucket>? Histogram() => _histogram;

    private void Seal()
    {
        if (_context is not null && _count > 0) _segments.Add((_context, _docs, _count));
        else if (_docs.Length > 0) ArrayPool<int>.Shared.Return(_docs);
        _context = null;
        _docs = [];
        _count = 0;
    }

    internal static DateTime BucketStart(DateTime day, HistogramPeriod period) => period switch
    {
        HistogramPeriod.Day => day.Date,
        // ISO weeks start on Monday.
        HistogramPeriod.Week => day.Date.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
        _ => new DateTime(day.Year, day.Month, 1, 0, 0, 0, DateTimeKind.Utc),
    };

    private static DateTime Next(DateTime at, HistogramPeriod period) => period switch
    {
        HistogramPeriod.Day => at.AddDays(1),
        HistogramPeriod.Week => at.AddDays(7),
        _ => at.AddMonths(1),
    };

    private sealed class DayCounter
    {
        private long _first;
        private long[] _counts = [];

        public void Count(List<(AtomicReaderContext Context, int[] Docs, int Count)> segments)
        {
            foreach (var (context, docs, count) in segments)
            {
                var days = SegmentValues.Days(context.AtomicReader);
                for (var i = 0; i < count; i++)
                {
                    var day = days[docs[i]];
                    if (day == SegmentValues.NoDay) continue;
                    // Most days fall in the range seen so far: counted here without the call.
                    var at = day - _first;
                    if (at >= 0 && at < _counts.Length) _counts[at]++;
                    else Add(day);
                }
            }
        }

        private void Add(long day)
        {
            if (_counts.Length == 0)
            {
                _first = day - 64;
                _counts = new long[256];
            }
            if (day < _first)
            {
                var grow = Math.Max(_first - day, _counts.Length);
                var bigger = new long[_counts.Length + grow];
                Array.Copy(_counts, 0, bigger, grow, _counts.Length);
                _counts = bigger;
                _first -= grow;
            }
            else if (day - _first >= _counts.Length)
            {
                Array.Resize(ref _counts, (int)Math.Max(day - _first + 1, _counts.Length * 2L));
            }
            _counts[day - _first]++;
        }

        public IReadOnlyList<TimeBucket> Buckets(HistogramPeriod period)
        {
            var buckets = new SortedDictionary<DateTime, long>();
            for (var i = 0; i < _counts.Length; i++)
            {
                if (_counts[i] == 0) continue;
                var start = BucketStart(DateTime.UnixEpoch.AddDays(_first + i), period);
                buckets[start] = buckets.GetValueOrDefault(start) + _counts[i];
            }
            if (buckets.Count == 0) return [];
            // Empty periods between the first and the last are part of the picture: list them with 0.
            var filled = new List<TimeBucket>();
            for (var at = buckets.Keys.First(); at <= buckets.Keys.Last(); at = Next(at, period))
                filled.Add(new TimeBucket(at, buckets.GetValueOrDefault(at)));
            return filled;
        }
    }

    private sealed class FieldCounter(IndexReader top, string name)
    {
        private readonly GlobalValues _global = GlobalValues.For(top, name);
        private long[] _totals = [];
        private int _length;

        public void Count(List<(AtomicReaderContext Context, int[] Docs, int Count)> segments)
        {
            // Pooled: an author field's totals (one per author of the archive) were large-object-heap arrays on every
            // search, so a server's heap grew between full collections by what its searches had thrown away.
            _length = checked((int)_global.ValueCount);
            _totals = ArrayPool<long>.Shared.Rent(Math.Max(1, _length));
            Array.Clear(_totals, 0, _length);
            foreach (var (context, docs, count) in segments)
            {
                var reader = context.AtomicReader;
                if (_global.Multi)
                {
                    var set = reader.GetSortedSetDocValues(name);
                    if (set is null) continue;
                    var (starts, ords) = SegmentValues.MultiOrdinalsOf(reader, name);
                    if (Sparse(count, set.ValueCount))
                    {
                        var toGlobal = _global.SegmentToGlobal(context.Ord, (int)set.ValueCount);
                        for (var i = 0; i < count; i++)
                        {
                            var doc = docs[i];
                            for (var k = starts[doc]; k < starts[doc + 1]; k++) _totals[toGlobal[ords[k]]]++;
                        }
                        continue;
                    }
                    var counts = Counts(checked((int)set.ValueCount));
                    for (var i = 0; i < count; i++)
                    {
                        var doc = docs[i];
                        for (var k = starts[doc]; k < starts[doc + 1]; k++) counts[ords[k]]++;
                    }
                    AddToTotals(context.Ord, counts, (int)set.ValueCount);
                }
                else
                {
                    var single = reader.GetSortedDocValues(name);
                    if (single is null) continue;
                    var ords = SegmentValues.Ordinals(reader, name);
                    if (Sparse(count, single.ValueCount))
                    {
                        var toGlobal = _global.SegmentToGlobal(context.Ord, single.ValueCount);
                        for (var i = 0; i < count; i++)
                        {
                            var ord = ords[docs[i]];
                            if (ord >= 0) _totals[toGlobal[ord]]++;
                        }
                        continue;
                    }
                    var counts = Counts(single.ValueCount);
                    for (var i = 0; i < count; i++)
                    {
                        var ord = ords[docs[i]];
                        if (ord >= 0) counts[ord]++;
                    }
                    AddToTotals(context.Ord, counts, single.ValueCount);
                }
            }
        }

        /// <summary>
        /// Few matches among many values (a rare word, by author): each match counted straight into the totals, rather
        /// than clearing and scanning a counter per value of the segment (25,000 authors per segment, for 20 matches).
        /// </summary>
        private static bool Sparse(int matches, long segmentValues) => matches < segmentValues / 8;

        /// <summary>A cleared counter per segment ordinal, from the pool (an author field has a counter per author).</summary>
        private static int[] Counts(int length)
        {
            var counts = ArrayPool<int>.Shared.Rent(Math.Max(1, length));
            Array.Clear(counts, 0, length);
            return counts;
        }

        private void AddToTotals(int segment, int[] counts, int length)
        {
            var toGlobal = _global.SegmentToGlobal(segment, length);
            for (var ord = 0; ord < length; ord++)
            {
                if (counts[ord] != 0) _totals[toGlobal[ord]] += counts[ord];
            }
            ArrayPool<int>.Shared.Return(counts);
        }

        public void Release()
        {
            if (_totals.Length > 0) ArrayPool<long>.Shared.Return(_totals);
            _totals = [];
        }

        /// <summary>Distinct values among the matches and the most frequent ones (ties by value).</summary>
        public FieldCounts Result(int topValues)
        {
            long distinct = 0;
            var best = new PriorityQueue<long, (long Count, long Ord)>(Comparer<(long Count, long Ord)>.Create((a, b) =>
                a.Count != b.Count ? a.Count.CompareTo(b.Count) : b.Ord.CompareTo(a.Ord)));
            for (long ord = 0; ord < _length; ord++)
            {
                var count = _totals[ord];
                if (count == 0) continue;
                distinct++;
                // Most values are below the k-th best so far: compared here rather than queued and dequeued.
                if (best.Count == topValues && best.TryPeek(out _, out var least) && count <= least.Count) continue;
                best.Enqueue(ord, (count, ord));
                if (best.Count > topValues) best.Dequeue();
            }
            var list = new List<ValueCount>(best.Count);
            while (best.TryDequeue(out var ord, out var priority))
            {
                var value = _global.Lookup(ord);
                list.Add(new ValueCount(value, priority.Count) { Display = ShownValues.Find(top, name, value) ?? value });
            }
            list.Reverse();
            return new FieldCounts(name, distinct, list);
        }
    }
}
