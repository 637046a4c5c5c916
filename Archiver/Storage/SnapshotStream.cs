namespace Archiver.Storage;

/// <summary>
/// A read-only view of a file with the length it had when opened, rounded down to whole LiteDB pages: a reader's
/// LiteDB sees the file as of its snapshot, whatever a writer appends meanwhile. Writing throws.
/// </summary>
internal sealed class SnapshotStream : Stream
{
    private const int PageSize = 8192;
    private readonly FileStream _file;
    private readonly long _length;
    private long _position;

    private SnapshotStream(FileStream file)
    {
        _file = file;
        _length = file.Length - file.Length % PageSize;
    }

    /// <summary>The file as it is now, or null when there is none.</summary>
    public static SnapshotStream? Open(string path)
    {
        try
        {
            // Delete is shared so that the writer may remove an emptied log while this reader still holds it.
            return new SnapshotStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.RandomAccess));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var available = (int)Math.Clamp(_length - _position, 0, buffer.Length);
        if (available == 0) return 0;
        var read = RandomAccess.Read(_file.SafeFileHandle, buffer[..available], _position);
        _position += read;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => _length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException("A snapshot is read-only.");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A snapshot is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing) _file.Dispose();
        base.Dispose(disposing);
    }
}
