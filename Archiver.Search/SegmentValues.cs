using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Lucene.Net.Index;

namespace Archiver.Search;

/// <summary>
/// Doc values of one segment copied into plain arrays, built on first use and cached per segment core
/// (a segment's values never change; an NRT reopen only builds the new segments). Reading a packed doc
/// value costs several times an array read, and counting, the histogram and date filters read one per
/// matching document.
/// </summary>
internal static class SegmentValues
{
    /// <summary>What a post without a creation time reads as in <see cref="Created"/>.</summary>
    public const long NoDate = long.MinValue;

    // Lazy: a new segment's arrays are asked for by every concurrent search at once, and each would build its own.
    private static readonly ConditionalWeakTable<object, ConcurrentDictionary<string, Lazy<object>>> Cache = new();

    /// <summary>Creation time (Unix seconds) per document, <see cref="NoDate"/> when absent.</summary>
    public static long[] Created(AtomicReader reader) => (long[])Get(reader, "created", r =>
    {
        var values = new long[r.MaxDoc];
        var dv = r.GetNumericDocValues(IndexFields.Created);
        var present = r.GetDocsWithField(IndexFields.Created);
        for (var doc = 0; doc < values.Length; doc++)
            values[doc] = dv is not null && present is not null && present.Get(doc) ? dv.Get(doc) : NoDate;
        return values;
    });

    /// <summary>What a post without a creation time reads as in <see cref="Days"/>.</summary>
    public const int NoDay = int.MinValue;

    /// <summary>
    /// Day (since 1970-01-01 UTC, floored) of each document's creation time, <see cref="NoDay"/> when absent: the
    /// histogram counts days, and a division per matching document was a sixth of its time.
    /// </summary>
    public static int[] Days(AtomicReader reader) => (int[])Get(reader, "days", r =>
    {
        var created = Created(r);
        var days = new int[created.Length];
        for (var doc = 0; doc < days.Length; doc++)
            days[doc] = created[doc] == NoDate ? NoDay : (int)Math.Clamp(Math.Floor(created[doc] / 86_400.0), int.MinValue + 1, int.MaxValue);
        return days;
    });

    /// <summary>Segment ordinal per document of a single-valued field (-1 when absent).</summary>
    public static int[] Ordinals(AtomicReader reader, string field) => (int[])Get(reader, "ord:" + field, r =>
    {
        var ords = new int[r.MaxDoc];
        var dv = r.GetSortedDocValues(field);
        for (var doc = 0; doc < ords.Length; doc++) ords[doc] = dv?.GetOrd(doc) ?? -1;
        return ords;
    });

    /// <summary>Segment ordinals of a multi-valued field: document d has <c>Ords[Starts[d]..Starts[d+1]]</c>.</summary>
    public static MultiOrdinals MultiOrdinalsOf(AtomicReader reader, string field) => (MultiOrdinals)Get(reader, "set:" + field, r =>
    {
        var starts = new int[r.MaxDoc + 1];
        var ords = new List<int>();
        var dv = r.GetSortedSetDocValues(field);
        for (var doc = 0; doc < r.MaxDoc; doc++)
        {
            starts[doc] = ords.Count;
            if (dv is null) continue;
            dv.SetDocument(doc);
            long ord;
            while ((ord = dv.NextOrd()) != SortedSetDocValues.NO_MORE_ORDS) ords.Add((int)ord);
        }
        starts[r.MaxDoc] = ords.Count;
        return new MultiOrdinals(starts, ords.ToArray());
    });

    private static object Get(AtomicReader reader, string key, Func<AtomicReader, object> build) =>
        Cache.GetOrCreateValue(reader.CoreCacheKey).GetOrAdd(key, static (_, state) => new Lazy<object>(() => state.build(state.reader)), (build, reader)).Value;

    internal sealed record MultiOrdinals(int[] Starts, int[] Ords);
}
