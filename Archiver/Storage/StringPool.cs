using System.IO.Hashing;
using System.Text;

namespace Archiver.Storage;

/// <summary>
/// Reuses the string for short UTF-8 values seen before (platform, host, channel, handle, kind, language,
/// hashtags): a million posts name a few hundred channels, and decoding each name afresh is most of the
/// garbage of a scan. A fixed-size table, overwritten on collision: memory stays bounded.
/// </summary>
internal sealed class StringPool
{
    private const int MaxBytes = 64;
    private const int Size = 4096;
    private readonly byte[]?[] _bytes = new byte[Size][];
    private readonly string?[] _strings = new string[Size];

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxBytes) return Encoding.UTF8.GetString(utf8);
        var slot = (int)(XxHash32.HashToUInt32(utf8) & (Size - 1));
        if (_bytes[slot] is { } known && utf8.SequenceEqual(known)) return _strings[slot]!;
        var value = Encoding.UTF8.GetString(utf8);
        _bytes[slot] = utf8.ToArray();
        _strings[slot] = value;
        return value;
    }
}
