using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace Archiver.Replica;

/// <summary>
/// Builds the bytes of a media file from its name: real, valid PNG images with varying pixels, and
/// small placeholder MP4/OGG/PDF files that start with their format's signature. Same name, same bytes.
/// </summary>
public static class MediaBytes
{
    private static readonly ConcurrentDictionary<string, byte[]> Cache = new(StringComparer.Ordinal);
    private const int CacheLimit = 512;

    public static byte[] Get(MediaFile file)
    {
        if (Cache.TryGetValue(file.Name, out var cached)) return cached;
        var bytes = file.Extension switch
        {
            "png" => Png(file.Key, file.Width, file.Height),
            "mp4" => Container(file.Key, "\0\0\0\x18ftypisom\0\0\x02\0isomiso2", 6000),
            "ogg" => Container(file.Key, "OggS\0\x02", 3000),
            "pdf" => Container(file.Key, "%PDF-1.4\n%", 2000, "\n%%EOF\n"),
            _ => [],
        };
        // Bounded: a crawl of a large network touches millions of files; the cache only spares re-encoding hot ones.
        if (Cache.Count >= CacheLimit) Cache.Clear();
        Cache[file.Name] = bytes;
        return bytes;
    }

    public static string Sha256(MediaFile file) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Get(file)));

    private static byte[] Container(ulong key, string header, int size, string trailer = "")
    {
        var head = Encoding.Latin1.GetBytes(header);
        var tail = Encoding.Latin1.GetBytes(trailer);
        var bytes = new byte[head.Length + size + (int)(key % 512) + tail.Length];
        head.CopyTo(bytes, 0);
        var rng = new Rng(key);
        for (var i = head.Length; i < bytes.Length - tail.Length; i += 8)
        {
            var v = rng.Next();
            for (var b = 0; b < 8 && i + b < bytes.Length - tail.Length; b++) bytes[i + b] = (byte)(v >> (b * 8));
        }
        tail.CopyTo(bytes, bytes.Length - tail.Length);
        return bytes;
    }

    /// <summary>An RGB PNG: a gradient whose colours come from the key, with a little noise so every image differs.</summary>
    public static byte[] Png(ulong key, int width, int height)
    {
        var raw = new byte[(width * 3 + 1) * height];
        var rng = new Rng(key);
        int r0 = rng.Int(256), g0 = rng.Int(256), b0 = rng.Int(256), r1 = rng.Int(256), g1 = rng.Int(256), b1 = rng.Int(256);
        var p = 0;
        for (var y = 0; y < height; y++)
        {
            raw[p++] = 0;
            for (var x = 0; x < width; x++)
            {
                var t = (x + y) / (double)(width + height);
                var noise = (int)(rng.Next() & 7);
                raw[p++] = (byte)(r0 + (r1 - r0) * t + noise);
                raw[p++] = (byte)(g0 + (g1 - g0) * t + noise);
                raw[p++] = (byte)(b0 + (b1 - b0) * t + noise);
            }
        }
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);

        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type RGB
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(data);
        var crc = new Crc32();
        crc.Append(typeBytes);
        crc.Append(data);
        Span<byte> sum = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(sum, crc.GetCurrentHashAsUInt32());
        s.Write(sum);
    }
}
