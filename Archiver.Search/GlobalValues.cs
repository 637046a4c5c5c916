using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Util;

namespace Archiver.Search;

/// <summary>
/// A field's doc-values ordinals across all segments of one reader (Lucene's OrdinalMap), built once per
/// reader and field: counting per segment ordinal and mapping to global ordinals avoids turning every
/// value of every segment into a string on each search.
/// </summary>
internal sealed class GlobalValues
{
    private static readonly ConditionalWeakTable<IndexReader, ConcurrentDictionary<string, GlobalValues>> Cache = new();

    private readonly SortedDocValues? _single;
    private readonly SortedSetDocValues? _set;
    private readonly MultiDocValues.OrdinalMap? _map;

    public bool Multi { get; }
    public long ValueCount { get; }

    private GlobalValues(IndexReader reader, string field)
    {
        Multi = IndexFields.IsMultiValued(field);
        if (Multi)
        {
            _set = MultiDocValues.GetSortedSetValues(reader, field);
            _map = (_set as MultiDocValues.MultiSortedSetDocValues)?.Mapping;
            ValueCount = _set?.ValueCount ?? 0;
        }
        else
        {
            _single = MultiDocValues.GetSortedValues(reader, field);
            _map = (_single as MultiDocValues.MultiSortedDocValues)?.Mapping;
            ValueCount = _single?.ValueCount ?? 0;
        }
    }

    public static GlobalValues For(IndexReader reader, string field) =>
        Cache.GetOrCreateValue(reader).GetOrAdd(field, f => new GlobalValues(reader, f));

    private readonly ConcurrentDictionary<int, int[]> _segmentMaps = new();

    /// <summary>Global ordinal of each ordinal of a segment (an array: the packed map costs more per lookup).</summary>
    public int[] SegmentToGlobal(int segment, int segmentValueCount) => _segmentMaps.GetOrAdd(segment, s =>
    {
        var map = new int[segmentValueCount];
        for (var ord = 0; ord < map.Length; ord++) map[ord] = (int)(_map?.GetGlobalOrd(s, ord) ?? ord);
        return map;
    });

    public string Lookup(long globalOrd)
    {
        var bytes = new BytesRef();
        if (_single is not null) _single.LookupOrd((int)globalOrd, bytes);
        else _set!.LookupOrd(globalOrd, bytes);
        return bytes.Utf8ToString();
    }
}
