using System.Globalization;
using System.Text;

namespace Archiver.Capturing;

/// <summary>How strictly to read. Tolerant (the default) skips what it cannot read and reports it; strict throws.</summary>
public sealed record WarcReadOptions
{
    public bool Strict { get; init; }
    public Action<WarcProblem>? OnProblem { get; init; }
    /// <summary>
    /// Records read in spite of a known writer quirk (a Content-Length that counts the record's closing CRLF,
    /// header lines ending in CR CR LF): nothing was lost, but the file is not what the standard says.
    /// </summary>
    public Action<WarcProblem>? OnWarning { get; init; }
    /// <summary>Largest record block (or gzip member) held in memory.</summary>
    public long MaxRecordBytes { get; init; } = 512L * 1024 * 1024;
    /// <summary>
    /// Read records without a WARC version line as ARC records: for a record cut out of an ARC file by
    /// offset. A whole ARC file is recognised by its first record (<c>filedesc://</c>) without this.
    /// </summary>
    public bool Arc { get; init; }

    public static WarcReadOptions Default { get; } = new();
}

/// <summary>
/// Reads WARC 1.0/1.1 files: gzip per record, whole-file gzip, or uncompressed. A record is yielded only
/// when its length and its end marker agree; anything else is a <see cref="WarcFormatException"/> (strict)
/// or a reported skip to the next record (tolerant). Never yields a partial or shifted record. ARC files
/// (version 1 or 2, compressed the same ways) are read too, each record as the WARC record that says the
/// same thing (see <see cref="ArcHeaderLine"/>).
/// </summary>
public static class WarcReader
{
    private const int MaxHeaderBytes = 1 << 20;

    /// <summary>ARC files by name (.arc, .arc.gz): what a record cut out of one by offset needs to be read as.</summary>
    public static bool IsArcFileName(string name) =>
        name.EndsWith(".arc", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".arc.gz", StringComparison.OrdinalIgnoreCase);

    public static IEnumerable<WarcRecord> Read(string path, WarcReadOptions? options = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        foreach (var record in Read(stream, Path.GetFileName(path), options)) yield return record;
    }

    public static IEnumerable<WarcRecord> Read(Stream stream, string file, WarcReadOptions? options = null)
    {
        options ??= WarcReadOptions.Default;
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }
        var format = new FormatState { Arc = options.Arc };
        if (!GzipMembers.LooksGzipped(stream))
        {
            foreach (var record in ReadPlain(stream, file, options, new PlainState { Format = format })) yield return record;
            yield break;
        }
        // A record split over several gzip members (seen in the wild) is read across them: the unread rest of
        // one member is carried into the next.
        byte[]? carry = null;
        long carryOffset = 0;
        while (true)
        {
            GzipMembers.Member? member;
            try
            {
                member = GzipMembers.ReadMember(stream, file, options.MaxRecordBytes);
            }
            catch (WarcFormatException e) when (!options.Strict)
            {
                options.OnProblem?.Invoke(new WarcProblem(file, e.Offset, e.Reason));
                yield break;
            }
            if (member is null)
            {
                if (carry is not null)
                {
                    var reason = "record runs past the end of the file: truncated";
                    if (options.Strict) throw new WarcFormatException(file, carryOffset, reason);
                    options.OnProblem?.Invoke(new WarcProblem(file, carryOffset, reason));
                }
                yield break;
            }
            var offset = carry is null ? member.Offset : carryOffset;
            var data = carry is null ? member.Data : [.. carry, .. member.Data];
            var state = new PlainState { Format = format, BaseOffset = offset, MemberLength = member.Offset + member.Length - offset, MoreMayFollow = true };
            using var inner = new MemoryStream(data, writable: false);
            foreach (var record in ReadPlain(inner, file, options, state)) yield return record;
            carry = state.UnreadFrom is { } from ? data[(int)from..] : null;
            carryOffset = offset;
        }
    }

    /// <summary>What the file turned out to be: an ARC file's later records carry no marker of their own.</summary>
    private sealed class FormatState
    {
        public bool Arc { get; set; }
    }

    private sealed class PlainState
    {
        public required FormatState Format { get; init; }
        public long? BaseOffset { get; init; }
        public long MemberLength { get; init; }
        /// <summary>More gzip members follow: a truncated record is left for them instead of reported.</summary>
        public bool MoreMayFollow { get; init; }
        public long? UnreadFrom { get; set; }
    }

    /// <summary>
    /// Records of an uncompressed stream. Inside a gzip member, every record is located by the member
    /// (<paramref name="baseOffset"/>, <paramref name="memberLength"/>), which is what a reader seeks to.
    /// </summary>
    private static IEnumerable<WarcRecord> ReadPlain(Stream stream, string file, WarcReadOptions options, PlainState state)
    {
        while (true)
        {
            SkipBlankLines(stream);
            var start = stream.Position;
            if (start >= stream.Length) yield break;
            var where = state.BaseOffset ?? start;
            var outcome = TryReadRecord(stream, state.Format, out var record, out var problem, out var quirk);
            if (outcome == Outcome.Record && quirk is not null) options.OnWarning?.Invoke(new WarcProblem(file, where, quirk));
            if (outcome == Outcome.Record)
            {
                yield return new WarcRecord
                {
                    File = file,
                    Offset = where,
                    Length = state.BaseOffset is null ? stream.Position - start : state.MemberLength,
                    Version = record!.Version,
                    Headers = record.Headers,
                    Block = record.Block,
                };
                continue;
            }
            if (outcome == Outcome.Truncated && state.MoreMayFollow)
            {
                state.UnreadFrom = start;
                yield break;
            }
            if (options.Strict) throw new WarcFormatException(file, where, problem!);
            options.OnProblem?.Invoke(new WarcProblem(file, where, problem!));
            if (outcome == Outcome.Truncated) yield break;
            // Resynchronise on the next line that starts a record, searching from just after this one's start.
            if (!(state.Format.Arc ? SeekNextArcRecord(stream, start) : SeekNextRecord(stream, start + 1))) yield break;
        }
    }

    private enum Outcome { Record, Skip, Truncated }

    private sealed record Parsed(string Version, WarcHeaders Headers, ReadOnlyMemory<byte> Block);

    private static Outcome TryReadRecord(Stream stream, FormatState format, out Parsed? record, out string? problem, out string? quirk)
    {
        record = null;
        problem = null;
        quirk = null;
        var first = ReadLine(stream, MaxHeaderBytes, out var crlf, out var extraCr);
        if (first is null)
        {
            problem = "file ends inside a record header";
            return Outcome.Truncated;
        }
        if (first.StartsWith(ArcHeaderLine.FileHeaderScheme, StringComparison.OrdinalIgnoreCase)) format.Arc = true;
        if (format.Arc && !first.StartsWith("WARC/", StringComparison.Ordinal)) return TryReadArcRecord(stream, first, out record, out problem);
        if (!first.StartsWith("WARC/", StringComparison.Ordinal))
        {
            problem = $"expected a 'WARC/1.x' version line, found '{Shorten(first)}'";
            return Outcome.Skip;
        }
        var lines = new List<string>();
        var headerBytes = 0;
        while (true)
        {
            var line = ReadLine(stream, MaxHeaderBytes, out _, out var more);
            extraCr |= more;
            if (line is null)
            {
                problem = "file ends inside a record header";
                return Outcome.Truncated;
            }
            if (line.Length == 0) break;
            headerBytes += line.Length;
            if (headerBytes > MaxHeaderBytes)
            {
                problem = "record header is larger than 1 MiB";
                return Outcome.Skip;
            }
            lines.Add(line);
        }
        var headers = WarcHeaders.Parse(lines);
        if (!long.TryParse(headers["Content-Length"], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            problem = $"missing or invalid Content-Length '{headers["Content-Length"]}'";
            return Outcome.Skip;
        }
        if (length > stream.Length - stream.Position)
        {
            problem = $"Content-Length {length} runs past the end of the data ({stream.Length - stream.Position} bytes left): truncated record";
            return Outcome.Truncated;
        }
        var block = new byte[length];
        stream.ReadExactly(block);
        var blockEnd = stream.Position;
        // Header lines ending in CR CR LF (a CRLF written through a text-mode LF-to-CRLF conversion) are read as
        // warcio and pywb read them: the extra CR is dropped, and the record end is read leniently.
        if (extraCr) quirk = "header lines end in CR CR LF instead of CRLF; read as CRLF (as warcio and pywb do)";
        if (!ReadRecordEnd(stream, lenient: !crlf || extraCr) && !ReadShortRecordEnd(stream, blockEnd, headers, block))
        {
            // node-warc counts the record's closing CRLF in Content-Length: the block ends in CRLF and one more
            // CRLF, then the next record (or the end), follows. warcio and pywb read such records whole (the
            // block as long as its Content-Length says); so does this, saying so.
            if (!ReadLongByOneCrlfEnd(stream, blockEnd, block))
            {
                problem = $"record does not end after its Content-Length {length} (wrong length?)";
                return Outcome.Skip;
            }
            quirk = $"Content-Length {length} counts the record's closing CRLF (as node-warc writes); the record was read as warcio and pywb read it";
        }
        record = new Parsed(first.Trim(), headers, block);
        return Outcome.Record;
    }

    /// <summary>An ARC record: its header line, then exactly its length in bytes (a line break follows, skipped as blank).</summary>
    private static Outcome TryReadArcRecord(Stream stream, string first, out Parsed? record, out string? problem)
    {
        record = null;
        problem = null;
        var header = ArcHeaderLine.Parse(first.Trim());
        if (header is null)
        {
            problem = $"expected an ARC record header 'URL IP-address date content-type length', found '{Shorten(first)}'";
            return Outcome.Skip;
        }
        if (header.Length > stream.Length - stream.Position)
        {
            problem = $"ARC record length {header.Length} runs past the end of the data ({stream.Length - stream.Position} bytes left): truncated record";
            return Outcome.Truncated;
        }
        var block = new byte[header.Length];
        stream.ReadExactly(block);
        record = new Parsed("WARC/1.0", header.ToWarcHeaders(block), block);
        return Outcome.Record;
    }

    /// <summary>The two CRLFs after a block; a lone LF pair from sloppy writers is accepted, as is the end of data.</summary>
    private static bool ReadRecordEnd(Stream stream, bool lenient)
    {
        if (stream.Position >= stream.Length) return true;
        if (lenient)
        {
            // A writer that ends lines with a bare LF (not the standard's CRLF) gets any run of line breaks.
            var next = stream.ReadByte();
            if (next is not ('\n' or '\r')) return false;
            SkipBlankLines(stream);
            return true;
        }
        Span<byte> end = stackalloc byte[4];
        var n = stream.ReadAtLeast(end, 4, throwOnEndOfStream: false);
        var got = end[..n];
        if (got.SequenceEqual("\r\n\r\n"u8)) return true;
        if (n >= 2 && got[..2].SequenceEqual("\n\n"u8))
        {
            stream.Position -= n - 2;
            return true;
        }
        // Fewer than 4 bytes left: whatever remains must be line breaks.
        return n < 4 && got.IndexOfAnyExcept((byte)'\r', (byte)'\n') < 0;
    }

    /// <summary>
    /// Some writers end a record with one CRLF instead of two. Accepted only where that cannot hide a wrong
    /// length: the next record (or the end) follows at once, the block does not itself end in a line break a
    /// too-long Content-Length would have swallowed, and its digest, if given, matches.
    /// </summary>
    private static bool ReadShortRecordEnd(Stream stream, long blockEnd, WarcHeaders headers, byte[] block)
    {
        stream.Position = blockEnd;
        Span<byte> next = stackalloc byte[7];
        var n = stream.ReadAtLeast(next, 7, throwOnEndOfStream: false);
        var got = next[..n];
        var followedByRecord = (n == 2 && got.SequenceEqual("\r\n"u8)) || (n == 7 && got.StartsWith("\r\nWARC/"u8));
        if (!followedByRecord) return false;
        if (block.AsSpan().EndsWith("\r\n"u8)) return false;
        if (headers["WARC-Block-Digest"] is { } digest && !WarcDigest.Matches(digest, block)) return false;
        stream.Position = blockEnd + 2;
        return true;
    }

    /// <summary>
    /// The block ends in CRLF (the first half of the record end, counted in Content-Length) and exactly one CRLF
    /// follows, then the next record's version line or the end of the data.
    /// </summary>
    private static bool ReadLongByOneCrlfEnd(Stream stream, long blockEnd, byte[] block)
    {
        if (!block.AsSpan().EndsWith("\r\n"u8)) return false;
        stream.Position = blockEnd;
        Span<byte> next = stackalloc byte[7];
        var n = stream.ReadAtLeast(next, 7, throwOnEndOfStream: false);
        var got = next[..n];
        var atEnd = n == 2 && got.SequenceEqual("\r\n"u8);
        if (!atEnd && !(n == 7 && got.StartsWith("\r\nWARC/"u8))) return false;
        stream.Position = blockEnd + 2;
        return true;
    }

    private static void SkipBlankLines(Stream stream)
    {
        while (true)
        {
            var b = stream.ReadByte();
            if (b < 0) return;
            if (b is not ('\r' or '\n' or 0))
            {
                stream.Position--;
                return;
            }
        }
    }

    private static bool SeekNextRecord(Stream stream, long from)
    {
        stream.Position = from;
        ReadOnlySpan<byte> marker = "\nWARC/1."u8;
        var buffer = new byte[1 << 16];
        var position = from;
        while (position < stream.Length)
        {
            stream.Position = position;
            var n = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (n == 0) return false;
            var hit = buffer.AsSpan(0, n).IndexOf(marker);
            if (hit >= 0)
            {
                stream.Position = position + hit + 1;
                return true;
            }
            if (n < buffer.Length) return false;
            position += n - marker.Length;
        }
        return false;
    }

    /// <summary>
    /// ARC records have no marker line: skip the bad record's header line, then take the next line that reads
    /// as an ARC header. HTTP header and body lines do not (they lack a date and a length in those places).
    /// </summary>
    private static bool SeekNextArcRecord(Stream stream, long badRecordStart)
    {
        stream.Position = badRecordStart;
        if (ReadLine(stream, MaxHeaderBytes) is null) return false;
        while (true)
        {
            var lineStart = stream.Position;
            var line = ReadLine(stream, MaxHeaderBytes);
            if (line is null) return false;
            if (!line.StartsWith("WARC/", StringComparison.Ordinal) && ArcHeaderLine.Parse(line.Trim()) is not null)
            {
                stream.Position = lineStart;
                return true;
            }
        }
    }

    private static string? ReadLine(Stream stream, int max) => ReadLine(stream, max, out _, out _);

    private static string? ReadLine(Stream stream, int max, out bool crlf, out bool extraCr)
    {
        crlf = false;
        extraCr = false;
        var bytes = new List<byte>(128);
        while (true)
        {
            var b = stream.ReadByte();
            if (b < 0) return null;
            if (b == '\n') break;
            if (bytes.Count >= max) return null;
            bytes.Add((byte)b);
        }
        if (bytes.Count > 0 && bytes[^1] == '\r')
        {
            bytes.RemoveAt(bytes.Count - 1);
            crlf = true;
            while (bytes.Count > 0 && bytes[^1] == '\r')
            {
                bytes.RemoveAt(bytes.Count - 1);
                extraCr = true;
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
