using System.Globalization;
using System.Text;

namespace Archiver.Capturing;

/// <summary>
/// An HTTP message as stored in a WARC block: status or request line, headers, and the payload after
/// transfer decoding. Pure functions over bytes; a malformed chunked body falls back to the raw body
/// (as warcio does) instead of failing the record.
/// </summary>
public sealed record HttpBlock(string StartLine, WarcHeaders Headers, int HeaderLength, ReadOnlyMemory<byte> Payload, bool ChunkedDecodeFailed)
{
    /// <summary>The status code of a response's status line, or null for a request or a garbled line.</summary>
    public int? Status
    {
        get
        {
            var parts = StartLine.Split(' ', 3);
            return parts.Length >= 2 && parts[0].StartsWith("HTTP/", StringComparison.Ordinal)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : null;
        }
    }

    public static HttpBlock? Parse(ReadOnlyMemory<byte> block)
    {
        var span = block.Span;
        var end = IndexOfHeaderEnd(span, out var terminator);
        if (end < 0) return null;
        var text = Encoding.Latin1.GetString(span[..end]);
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count == 0) return null;
        var headers = WarcHeaders.Parse(lines.Skip(1));
        var headerLength = end + terminator;
        var body = block[headerLength..];
        var failed = false;
        if (headers["Transfer-Encoding"]?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
        {
            var decoded = Dechunk(body.Span);
            if (decoded is null) failed = true;
            else body = decoded;
        }
        return new HttpBlock(lines[0], headers, headerLength, body, failed);
    }

    private static int IndexOfHeaderEnd(ReadOnlySpan<byte> span, out int terminator)
    {
        var crlf = span.IndexOf("\r\n\r\n"u8);
        var lf = span.IndexOf("\n\n"u8);
        if (crlf >= 0 && (lf < 0 || crlf <= lf))
        {
            terminator = 4;
            return crlf;
        }
        terminator = 2;
        return lf;
    }

    /// <summary>Decodes a chunked body; null when it is not valid chunked encoding.</summary>
    public static byte[]? Dechunk(ReadOnlySpan<byte> body)
    {
        using var output = new MemoryStream(body.Length);
        var pos = 0;
        while (true)
        {
            var lineEnd = body[pos..].IndexOf((byte)'\n');
            if (lineEnd < 0) return null;
            var line = Encoding.Latin1.GetString(body.Slice(pos, lineEnd)).TrimEnd('\r');
            var semicolon = line.IndexOf(';');
            if (semicolon >= 0) line = line[..semicolon];
            line = line.Trim();
            if (line.Length == 0 || !long.TryParse(line, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
                return null;
            pos += lineEnd + 1;
            if (size == 0) return output.ToArray();
            if (pos + size > body.Length) return null;
            output.Write(body.Slice(pos, (int)size));
            pos += (int)size;
            if (pos < body.Length && body[pos] == '\r') pos++;
            if (pos < body.Length && body[pos] == '\n') pos++;
            else if (pos < body.Length) return null;
            if (pos >= body.Length) return null;
        }
    }
}
