using System.Text;

namespace Archiver.Import;

/// <summary>One line of a dataset, or the reason it could not be read whole.</summary>
public readonly record struct InputLine(long Number, string? Text, long Bytes, bool TooLong);

/// <summary>
/// Reads UTF-8 lines (LF or CRLF) from an input with a cap on the bytes of one line. <see cref="StreamReader.ReadLine"/>
/// has none: a decompression bomb of zeros, or any file without line breaks, grows one string until memory runs
/// out. A line over the cap is returned as <see cref="InputLine.TooLong"/> as soon as the cap is passed (its
/// bytes are never held, and the rest of the input is not read: it cannot be split into lines safely), so the
/// caller stops with an error that names the file and the line.
/// </summary>
public sealed class LineReader : IDisposable
{
    /// <summary>The documented cap on one line (docs/import.md).</summary>
    public const int DefaultMaxLineBytes = 64 << 20;

    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _start, _end;
    private byte[] _line = new byte[1 << 12];
    private bool _first = true;

    public LineReader(Stream stream, int maxLineBytes = DefaultMaxLineBytes)
    {
        _stream = stream;
        _maxLineBytes = maxLineBytes;
    }

    public long LineNumber { get; private set; }

    /// <summary>The next line; false at the end of the input.</summary>
    public bool TryRead(out InputLine line)
    {
        var length = 0;
        long total = 0;
        var tooLong = false;
        var any = false;
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = _stream.Read(_buffer, 0, _buffer.Length);
                if (_end == 0)
                {
                    if (!any)
                    {
                        line = default;
                        return false;
                    }
                    break;
                }
            }
            any = true;
            var span = _buffer.AsSpan(_start, _end - _start);
            var newline = span.IndexOf((byte)'\n');
            var piece = newline >= 0 ? span[..newline] : span;
            total += piece.Length;
            if (length + piece.Length > _maxLineBytes)
            {
                tooLong = true;
                break;
            }
            if (length + piece.Length > _line.Length) Array.Resize(ref _line, (int)Math.Min(_maxLineBytes, Math.Max((long)_line.Length * 2, length + piece.Length)));
            piece.CopyTo(_line.AsSpan(length));
            length += piece.Length;
            _start += piece.Length;
            if (newline >= 0)
            {
                _start++;
                break;
            }
        }
        LineNumber++;
        if (tooLong)
        {
            line = new InputLine(LineNumber, null, total, true);
            return true;
        }
        var bytes = _line.AsSpan(0, length);
        if (bytes.EndsWith("\r"u8)) bytes = bytes[..^1];
        if (_first && bytes.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        _first = false;
        line = new InputLine(LineNumber, Encoding.UTF8.GetString(bytes), total, false);
        return true;
    }

    /// <summary>The error for a line over the cap, naming the input and the line.</summary>
    public ArchiverException TooLong(string name, InputLine line) =>
        new($"{name}: line {line.Number} is longer than {Size(_maxLineBytes)} (no line break in its first {Size(_maxLineBytes)}); "
            + "stopped reading this input. Is it a dataset with one record per line? (A decompression bomb looks like this too.)");

    private static string Size(long bytes) => bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? $"{bytes >> 20} MiB" : $"{bytes:N0} bytes";

    public void Dispose() => _stream.Dispose();
}
