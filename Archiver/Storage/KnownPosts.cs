using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Archiver.Storage;

/// <summary>
/// What the writer knows of every stored post without reading it: key hash to (content hash, counts hash).
/// This is what makes re-storing an unchanged post cost no document read. ~40 bytes per post in memory.
/// Saved beside the database now and then and on close, with each segment's sequence at that moment; the
/// segments' derived logs bring it up to date after a kill (<see cref="PostSegment.TryReplayKnown"/>).
/// </summary>
internal sealed class KnownPosts
{
    private const uint Magic = 0x4B504132; // "KPA2"
    private readonly Dictionary<ulong, Entry> _entries;

    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    public readonly record struct Entry(ulong ContentHash, uint CountsHash);

    public KnownPosts(int capacity = 0) => _entries = new Dictionary<ulong, Entry>(capacity);

    public int Count => _entries.Count;

    public bool TryGet(ulong keyHash, out Entry entry) => _entries.TryGetValue(keyHash, out entry);

    public void Set(ulong keyHash, Entry entry) => _entries[keyHash] = entry;

    /// <summary>Same keys with the same entries.</summary>
    public bool SameAs(KnownPosts other) =>
        _entries.Count == other._entries.Count && _entries.All(e => other._entries.TryGetValue(e.Key, out var o) && o == e.Value);

    /// <summary>Writes the map with the segments' sequences it reflects; replaced atomically, flushed to disk first.</summary>
    public void Save(string path, IReadOnlyList<long> segmentSequences)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            var header = new byte[12 + 8 * segmentSequences.Count];
            BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), _entries.Count);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), segmentSequences.Count);
            for (var i = 0; i < segmentSequences.Count; i++) BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(12 + 8 * i), segmentSequences[i]);
            stream.Write(header);
            var buffer = new byte[RowBytes * 4096];
            var used = 0;
            foreach (var (key, entry) in _entries)
            {
                var row = buffer.AsSpan(used, RowBytes);
                BinaryPrimitives.WriteUInt64LittleEndian(row, key);
                BinaryPrimitives.WriteUInt64LittleEndian(row[8..], entry.ContentHash);
                BinaryPrimitives.WriteUInt32LittleEndian(row[16..], entry.CountsHash);
                used += RowBytes;
                if (used == buffer.Length)
                {
                    stream.Write(buffer, 0, used);
                    used = 0;
                }
            }
            stream.Write(buffer, 0, used);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    private const int RowBytes = 20;

    /// <summary>The saved map and the sequence of each of its <paramref name="segments"/> segments when it was saved; null if absent or unreadable.</summary>
    public static (KnownPosts Map, long[] SegmentSequences)? TryLoad(string path, int segments)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var header = new byte[12 + 8 * segments];
            if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) != header.Length) return null;
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic) return null;
            var count = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
            if (BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8)) != segments) return null;
            var sequences = new long[segments];
            for (var i = 0; i < segments; i++) sequences[i] = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(12 + 8 * i));
            if (count < 0 || stream.Length != header.Length + (long)count * RowBytes) return null;
            var map = new KnownPosts(count);
            var buffer = new byte[RowBytes * 4096];
            var remaining = count;
            while (remaining > 0)
            {
                var rows = Math.Min(remaining, 4096);
                stream.ReadExactly(buffer, 0, rows * RowBytes);
                for (var i = 0; i < rows; i++)
                {
                    var row = buffer.AsSpan(i * RowBytes, RowBytes);
                    map.Set(BinaryPrimitives.ReadUInt64LittleEndian(row),
                        new Entry(BinaryPrimitives.ReadUInt64LittleEndian(row[8..]), BinaryPrimitives.ReadUInt32LittleEndian(row[16..])));
                }
                remaining -= rows;
            }
            return (map, sequences);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
