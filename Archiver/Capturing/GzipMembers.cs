using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Archiver.Capturing;

/// <summary>
/// Splits a gzip file into its members, with the offset and length of each in the file. .NET's inflater
/// reads ahead and does not say where a member ended, so the end is found from the member's own trailer:
/// the CRC-32 and size of what was inflated, searched in the last input the inflater was given.
/// </summary>
internal static class GzipMembers
{
    public sealed record Member(long Offset, long Length, byte[] Data);

    public static bool LooksGzipped(Stream stream)
    {
        var start = stream.Position;
        Span<byte> magic = stackalloc byte[2];
        var n = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = start;
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    /// <summary>Reads one member at the stream's position; null at the end of the data.</summary>
    public static Member? ReadMember(Stream stream, string file, long maxBytes)
    {
        var offset = stream.Position;
        if (offset >= stream.Length) return null;
        var headerLength = ReadHeader(stream, file, offset);
        if (headerLength < 0) return null;
        stream.Position = offset + headerLength;
        var tracker = new TrackingStream(stream);
        // Inflated into a pooled buffer and copied out at its exact size: a growing MemoryStream (and an 80 KB
        // read buffer) per record were large-object allocations, and those drive full collections.
        var output = ArrayPool<byte>.Shared.Rent(128 * 1024);
        var length = 0;
        byte[] data;
        try
        {
            using var inflater = new DeflateStream(tracker, CompressionMode.Decompress, leaveOpen: true);
            int read;
            while ((read = inflater.Read(output.AsSpan(length))) > 0)
            {
                length += read;
                if (length > maxBytes)
                    throw new WarcFormatException(file, offset, $"gzip member inflates to more than {maxBytes:N0} bytes (a whole-file gzip WARC? decompress it first)");
                if (length == output.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(output.Length * 2);
                    output.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(output);
                    output = larger;
                }
            }
            data = output.AsSpan(0, length).ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new WarcFormatException(file, offset, "corrupt gzip data: " + e.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(output);
        }
        var end = FindTrailerEnd(stream, tracker, data)
            ?? throw new WarcFormatException(file, offset, "gzip member is truncated (no valid trailer)");
        stream.Position = end;
        return new Member(offset, end - offset, data);
    }

    /// <summary>Length of the gzip header at <paramref name="offset"/>; -1 when only padding follows.</summary>
    private static int ReadHeader(Stream stream, string file, long offset)
    {
        var fixedPart = new byte[10];
        var n = stream.ReadAtLeast(fixedPart, 10, throwOnEndOfStream: false);
        if (n == 0) return -1;
        if (n < 10 || fixedPart[0] != 0x1f || fixedPart[1] != 0x8b)
        {
            if (fixedPart.AsSpan(0, n).IndexOfAnyExcept((byte)0, (byte)'\r', (byte)'\n') < 0 && RestIsPadding(stream)) return -1;
            throw new WarcFormatException(file, offset, "expected a gzip member here (file mixes compressed and plain data, or an offset is wrong)");
        }
        if (fixedPart[2] != 8) throw new WarcFormatException(file, offset, $"unsupported gzip compression method {fixedPart[2]}");
        var flags = fixedPart[3];
        var length = 10;
        if ((flags & 0x04) != 0)
        {
            Span<byte> xlen = stackalloc byte[2];
            stream.ReadExactly(xlen);
            var extra = BinaryPrimitives.ReadUInt16LittleEndian(xlen);
            stream.Seek(extra, SeekOrigin.Current);
            length += 2 + extra;
        }
        if ((flags & 0x08) != 0) length += SkipZeroTerminated(stream);
        if ((flags & 0x10) != 0) length += SkipZeroTerminated(stream);
        if ((flags & 0x02) != 0) length += 2;
        return length;
    }

    private static bool RestIsPadding(Stream stream)
    {
        int b;
        while ((b = stream.ReadByte()) >= 0)
        {
            if (b is not (0 or '\r' or '\n')) return false;
        }
        return true;
    }

    private static int SkipZeroTerminated(Stream stream)
    {
        var n = 0;
        int b;
        do
        {
            b = stream.ReadByte();
            n++;
        }
        while (b > 0);
        return n;
    }

    private static long? FindTrailerEnd(Stream stream, TrackingStream tracker, byte[] data)
    {
        Span<byte> trailer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, Crc32.HashToUInt32(data));
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], unchecked((uint)data.LongLength));
        // The deflate data ended inside the last (or, if the inflater asked once more, the one before) read.
        var from = tracker.PreviousReadStart;
        var to = Math.Min(stream.Length, tracker.LastReadEnd + 8);
        if (to - from < 8) return null;
        var window = new byte[to - from];
        stream.Position = from;
        stream.ReadExactly(window);
        long? first = null;
        for (var at = 0; at + 8 <= window.Length;)
        {
            var hit = window.AsSpan(at).IndexOf(trailer);
            if (hit < 0) break;
            var end = from + at + hit + 8;
            first ??= end;
            // A false match inside compressed data is astronomically unlikely; prefer one followed by a member or the end.
            if (end == stream.Length || NextIsGzip(stream, end)) return end;
            at += hit + 1;
        }
        return first;
    }

    private static bool NextIsGzip(Stream stream, long at)
    {
        stream.Position = at;
        return stream.ReadByte() == 0x1f && stream.ReadByte() == 0x8b;
    }

    /// <summary>Passes reads through and remembers where the last two reads started and ended.</summary>
    private sealed class TrackingStream(Stream inner) : Stream
    {
        public long PreviousReadStart { get; private set; } = inner.Position;
        public long LastReadStart { get; private set; } = inner.Position;
        public long LastReadEnd { get; private set; } = inner.Position;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var start = inner.Position;
            var n = inner.Read(buffer);
            if (n > 0)
            {
                PreviousReadStart = LastReadStart;
                LastReadStart = start;
                LastReadEnd = start + n;
            }
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
