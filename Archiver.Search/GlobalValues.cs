using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Util;

namespace Archiver.Search;

/// <summary>
/// A field's doc-values ordinals across all segments of one reader (Lucene's OrdinalMap), built once per
/// reader and field: counting per segment ordinal and mapping to global ordinals avoids turning every
/// value of every segment into a string on each search. Shared by concurrent searches (a server's), so it keeps
/// only the map, which is read-only: values are looked up through the segment's own doc values, which Lucene
/// hands out per thread (one shared instance's seek state, read by two searches at once, failed or read the wrong bytes).
/// </summary>
internal sealed class GlobalValues
{
    // Lazy: after a refresh every concurrent search asks for the new reader's maps at once, and each would build its own.
    private static readonly ConditionalWeakTable<IndexReader, ConcurrentDictionary<string, Lazy<GlobalValues>>> Cache = new();

    private readonly IndexReader _reader;
    private readonly string _field;
    private readonly MultiDocValues.OrdinalMap? _map;

    public bool Multi { get; }
    public long ValueCount { get; }

    private GlobalValues(IndexReader reader, string field)
    {
        _reader = reader;
        _field = field;
        Multi = IndexFields.IsMultiValued(field);
        if (Multi)
        {
            var set = MultiDocValues.GetSortedSetValues(reader, field);
            _map = (set as MultiDocValues.MultiSortedSetDocValues)?.Mapping;
            ValueCount = set?.ValueCount ?? 0;
        }
        else
        {
            var single = MultiDocValues.GetSortedValues(reader, field);
            _map = (single as MultiDocValues.MultiSortedDocValues)?.Mapping;
            ValueCount = single?.ValueCount ?? 0;
        }
    }

    public static GlobalValues For(IndexReader reader, string field) =>
        Cache.GetOrCreateValue(reader).GetOrAdd(field, static (f, r) => new Lazy<GlobalValues>(() => new GlobalValues(r, f)), reader).Value;

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
        // Without a map the reader has one segment with values: its ordinals are the global ones.
        var segment = _map is null ? SegmentWithValues() : _map.GetFirstSegmentNumber(globalOrd);
        var ord = _map is null ? globalOrd : _map.GetFirstSegmentOrd(globalOrd);
        var reader = _reader.Leaves[segment].AtomicReader;
        var bytes = new BytesRef();
        if (Multi) reader.GetSortedSetDocValues(_field).LookupOrd(ord, bytes);
        else reader.GetSortedDocValues(_field).LookupOrd((int)ord, bytes);
        return bytes.Utf8ToString();
    }

    private int SegmentWithValues()
    {
        var leaves = _reader.Leaves;
        for (var i = 0; i < leaves.Count; i++)
        {
            var reader = leaves[i].AtomicReader;
            if (Multi ? reader.GetSortedSetDocValues(_field) is not null : reader.GetSortedDocValues(_field) is not null) return i;
        }
        throw new InvalidOperationException($"No segment has values of {_field}.");
    }
}
