using System.IO.Compression;

namespace Archiver.Import;

/// <summary>
/// Opens import inputs, decompressing <c>.gz</c>, <c>.zst</c> and <c>.zip</c> on the fly, with a cap on the
/// decompressed size so a decompression bomb fails with a clear error instead of filling the disk or memory.
/// </summary>
public static class InputStreams
{
    /// <summary>Default cap on the bytes one input may expand to (and on the expansion ratio).</summary>
    public const long DefaultMaxBytes = 64L << 30;
    public const int DefaultMaxRatio = 200;

    /// <summary>The streams of one input: one for plain and compressed files, one per entry for a zip.</summary>
    public static IEnumerable<(string Name, Stream Stream)> Open(string path, long maxBytes = DefaultMaxBytes, int maxRatio = DefaultMaxRatio)
    {
        if (!File.Exists(path)) throw new UsageException($"Input file not found: {path}");
        var compressed = new FileInfo(path).Length;
        var limit = ExpansionLimit(compressed, maxBytes, maxRatio);
        var lower = path.ToLowerInvariant();
        if (lower.EndsWith(".zip", StringComparison.Ordinal))
        {
            using var zip = ZipFile.OpenRead(path);
            foreach (var entry in zip.Entries.Where(e => !e.FullName.EndsWith('/')))
            {
                var entryLimit = ExpansionLimit(entry.CompressedLength, maxBytes, maxRatio);
                using var stream = new LimitedStream(entry.Open(), entryLimit, $"{path}!{entry.FullName}");
                yield return ($"{path}!{entry.FullName}", stream);
            }
            yield break;
        }
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Stream decoded = lower.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress)
            : lower.EndsWith(".zst", StringComparison.Ordinal) ? new ZstdSharp.DecompressionStream(file)
            : file;
        using var limited = new LimitedStream(decoded, ReferenceEquals(decoded, file) ? long.MaxValue : limit, path);
        yield return (path, limited);
    }

    /// <summary>How far compressed input may expand: <paramref name="maxRatio"/> times its size (at least 1 MiB), <paramref name="maxBytes"/> at most.</summary>
    public static long ExpansionLimit(long compressedBytes, long maxBytes = DefaultMaxBytes, int maxRatio = DefaultMaxRatio) =>
        Math.Min(maxBytes, Math.Max(1L << 20, compressedBytes * maxRatio));

    /// <summary>The name without compression suffixes, for format detection by extension.</summary>
    public static string InnerName(string name)
    {
        foreach (var suffix in new[] { ".gz", ".zst" })
        {
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) return name[..^suffix.Length];
        }
        return name;
    }
}

/// <summary>A read-only stream that fails once more than a set number of bytes came out of it.</summary>
internal sealed class LimitedStream(Stream inner, long limit, string name) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return Count(inner.Read(buffer));
        }
        catch (Exception e) when (IsCorrupt(e))
        {
            throw Corrupt(e);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (IsCorrupt(e))
        {
            throw Corrupt(e);
        }
    }

    // A damaged or mislabelled .gz/.zst/.zip is the input's fault, not a bug: name the file.
    private static bool IsCorrupt(Exception e) => e is InvalidDataException or ZstdSharp.ZstdException;

    private ArchiverException Corrupt(Exception e) => new($"{name}: cannot be decompressed after {_read:N0} bytes ({e.Message}); is the file damaged or not what its extension says?", e);

    private int Count(int n)
    {
        _read += n;
        if (_read > limit)
            throw new ArchiverException($"{name} expands to more than {limit:N0} bytes; refusing to read further (decompression bomb?).");
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
