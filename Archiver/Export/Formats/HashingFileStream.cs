using System.Security.Cryptography;

namespace Archiver.Export.Formats;

/// <summary>
/// A write-only file stream that hashes what it writes, so the manifest need not read a large export
/// back. Sequential writers only (JSONL, CSV, ID lists); Parquet seeks, and its file is hashed after closing.
/// </summary>
internal sealed class HashingFileStream(string path) : Stream
{
    private readonly FileStream _file = TableFormats.CreateFile(path);
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private string? _sha256;

    public string Path { get; } = path;

    /// <summary>Hex SHA-256 of everything written; available after the stream is closed.</summary>
    public string? Sha256 => _sha256;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _file.Length;
    public override long Position { get => _file.Position; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        _file.Write(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
    {
        _hash.AppendData(buffer.Span);
        await _file.WriteAsync(buffer, ct);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override void Flush() => _file.Flush();

    public override Task FlushAsync(CancellationToken ct) => _file.FlushAsync(ct);

    /// <summary>Flushes to disk and records the hash.</summary>
    public void Finish()
    {
        _file.Flush(flushToDisk: true);
        _sha256 ??= Convert.ToHexStringLower(_hash.GetHashAndReset());
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }
}
