using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Archiver.Storage;

/// <summary>
/// What the writer knows of every stored post without reading it: key hash to (content hash, counts hash).
/// This is what makes re-storing an unchanged post cost no document read. ~40 bytes per post in memory.
/// Persisted beside the database on clean close, stamped with the store sequence; after a crash the stamp
/// does not match and the map is rebuilt from the posts collection.
/// </summary>
internal sealed class KnownPosts
{
    private const uint Magic = 0x4B504131; // "KPA1"
    private readonly Dictionary<ulong, Entry> _entries;

    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    public readonly record struct Entry(ulong ContentHash, uint CountsHash);

    public KnownPosts(int capacity = 0) => _entries = new Dictionary<ulong, Entry>(capacity);

    public int Count => _entries.Count;

    public bool TryGet(ulong keyHash, out Entry entry) => _entries.TryGetValue(keyHash, out entry);

    public void Set(ulong keyHash, Entry entry) => _entries[keyHash] = entry;

    public void Save(string path, long sequence)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            Span<byte> header = stackalloc byte[16];
            BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
            BinaryPrimitives.WriteInt32LittleEndian(header[4..], _entries.Count);
            BinaryPrimitives.WriteInt64LittleEndian(header[8..], sequence);
            stream.Write(header);
            Span<byte> row = stackalloc byte[20];
            foreach (var (key, entry) in _entries)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(row, key);
                BinaryPrimitives.WriteUInt64LittleEndian(row[8..], entry.ContentHash);
                BinaryPrimitives.WriteUInt32LittleEndian(row[16..], entry.CountsHash);
                stream.Write(row);
            }
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Loads the saved map if it was saved at exactly <paramref name="sequence"/>; otherwise null.</summary>
    public static KnownPosts? TryLoad(string path, long sequence)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            Span<byte> header = stackalloc byte[16];
            if (stream.Read(header) != 16) return null;
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic) return null;
            var count = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
            if (BinaryPrimitives.ReadInt64LittleEndian(header[8..]) != sequence) return null;
            if (count < 0 || stream.Length != 16 + (long)count * 20) return null;
            var map = new KnownPosts(count);
            var buffer = new byte[20 * 4096];
            var remaining = count;
            while (remaining > 0)
            {
                var rows = Math.Min(remaining, 4096);
                stream.ReadExactly(buffer, 0, rows * 20);
                for (var i = 0; i < rows; i++)
                {
                    var row = buffer.AsSpan(i * 20, 20);
                    map.Set(BinaryPrimitives.ReadUInt64LittleEndian(row),
                        new Entry(BinaryPrimitives.ReadUInt64LittleEndian(row[8..]), BinaryPrimitives.ReadUInt32LittleEndian(row[16..])));
                }
                remaining -= rows;
            }
            return map;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
