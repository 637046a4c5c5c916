using System.Security.Cryptography;

namespace Archiver.Export.Formats;

/// <summary>
/// A write-only file stream that hashes what it writes, so the manifest need not read a large export
/// back. Writes are synchronous even when asked asynchronously: an asynchronous FileStream write hops to the
/// thread pool, whose idle workers then spin; for Parquet.Net (which writes every page asynchronously) that
/// hopping cost about a third of the export's CPU time. A writer that seeks loses the running hash
/// (<see cref="Sha256"/> stays null and the file is hashed after closing).
/// </summary>
internal sealed class HashingFileStream(string path, Stream? output = null) : Stream
{
    // output: an already open stream (stdout for --out -), flushed but not closed by this one.
    private readonly Stream _file = output ?? TableFormats.CreateFile(path);
    private readonly bool _owned = output is null;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private string? _sha256;

    public string Path { get; } = path;

    /// <summary>Hex SHA-256 of everything written; available after the stream is closed.</summary>
    public string? Sha256 => _sha256;

    public override bool CanRead => false;
    public override bool CanSeek => _file.CanSeek;
    public override bool CanWrite => true;
    public override long Length => _file.Length;

    private long _written;

    public override long Position
    {
        get => _file.CanSeek ? _file.Position : _written;
        set => Seek(value, SeekOrigin.Begin);
    }

    private bool _sequential = true;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        _file.Write(buffer);
        _written += buffer.Length;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void Flush() => _file.Flush();

    public override Task FlushAsync(CancellationToken ct)
    {
        _file.Flush();
        return Task.CompletedTask;
    }

    /// <summary>Flushes to disk and records the hash (unless the writer seeked).</summary>
    public void Finish()
    {
        if (_file is FileStream file) file.Flush(flushToDisk: true);
        else _file.Flush();
        if (_sequential) _sha256 ??= Convert.ToHexStringLower(_hash.GetHashAndReset());
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _file.Position + offset,
            _ => _file.Length + offset,
        };
        if (target != _file.Position) _sequential = false;
        return _file.Seek(target, SeekOrigin.Begin);
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (_owned) _file.Dispose();
            else _file.Flush();
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }
}
