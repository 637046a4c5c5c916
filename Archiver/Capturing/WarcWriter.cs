using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Archiver.Capturing;

public sealed record WarcWriterOptions
{
    public required string Directory { get; init; }
    public string Prefix { get; init; } = "archiver";
    /// <summary>A new file is started once the current one reaches this size (records are never split).</summary>
    public long MaxFileBytes { get; init; } = 1L << 30;
    /// <summary>One gzip member per record (.warc.gz); false writes plain .warc.</summary>
    public bool Compress { get; init; } = true;
    public TimeProvider Time { get; init; } = TimeProvider.System;
    public Func<Guid> NewId { get; init; } = Guid.NewGuid;
    public string Software { get; init; } = "archiver/0.1.0";
    /// <summary>Extra warcinfo fields (operator, description, robots policy, ...).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Info { get; init; } = [];
    /// <summary>Where CDXJ lines for response/resource/conversion records go; null for none.</summary>
    public CdxjIndex? Index { get; init; }
}

/// <summary>Where a record went and what it hashed to: the provenance a stored record points at.</summary>
public sealed record WarcWritten(string File, long Offset, long Length, string RecordId, string BlockDigest, string? PayloadDigest, string? PayloadSha256Hex);

/// <summary>
/// Writes WARC/1.1 files: a warcinfo record first, then records as asked, each its own gzip member,
/// rotating at a size limit. Computes lengths and digests itself. Each record reaches the OS in one write
/// before the call returns, so a record referenced by the store survives the process being killed.
/// Thread-safe (one lock around each write).
/// </summary>
public sealed class WarcWriter : IDisposable
{
    public const string Version = "WARC/1.1";
    private readonly WarcWriterOptions _options;
    private readonly Lock _lock = new();
    private FileStream? _file;
    private string? _fileName;
    private string? _warcinfoId;
    private int _serial;
    private bool _disposed;

    public WarcWriter(WarcWriterOptions options)
    {
        _options = options;
        System.IO.Directory.CreateDirectory(options.Directory);
    }

    public long RecordsWritten { get; private set; }
    public long BytesWritten { get; private set; }
    public string? CurrentFile => _fileName;

    public WarcWritten WriteRecord(WarcRecordDraft draft)
    {
        lock (_lock)
        {
            EnsureFile(0);
            return Append(draft);
        }
    }

    /// <summary>A request and its response, linked by WARC-Concurrent-To, kept in the same file.</summary>
    public (WarcWritten Request, WarcWritten Response) WriteExchange(HttpExchange exchange)
    {
        var requestBlock = exchange.RequestBlock();
        var responseBlock = exchange.ResponseBlock(out var payloadStart);
        lock (_lock)
        {
            EnsureFile(requestBlock.Length + responseBlock.Length);
            var responseId = NewRecordId();
            var response = Append(new WarcRecordDraft
            {
                Type = "response",
                RecordId = responseId,
                TargetUri = exchange.Url.AbsoluteUri,
                Date = exchange.Date,
                ContentType = "application/http;msgtype=response",
                Block = responseBlock,
                PayloadStart = payloadStart,
                IpAddress = exchange.IpAddress,
                HttpStatus = exchange.Status,
                HttpContentType = exchange.ResponseHeaders["Content-Type"],
                ExtraHeaders = exchange.ResponseRecordFields,
            });
            var request = Append(new WarcRecordDraft
            {
                Type = "request",
                TargetUri = exchange.Url.AbsoluteUri,
                Date = exchange.Date,
                ContentType = "application/http;msgtype=request",
                Block = requestBlock,
                ConcurrentTo = responseId,
            });
            return (request, response);
        }
    }

    /// <summary>Writes a record read elsewhere exactly as it was (version, header order, block).</summary>
    public WarcWritten WriteRaw(WarcRecord record)
    {
        lock (_lock)
        {
            EnsureFile(record.Block.Length);
            var bytes = Serialize(record.Version, record.Headers, record.Block.Span);
            var (offset, length) = WriteBytes(bytes);
            return new WarcWritten(_fileName!, offset, length, record.RecordId ?? "", record.Headers["WARC-Block-Digest"] ?? "",
                record.Headers["WARC-Payload-Digest"], null);
        }
    }

    /// <summary>The bytes of one uncompressed record: version line, header fields, blank line, block, two CRLFs.</summary>
    public static byte[] Serialize(string version, WarcHeaders headers, ReadOnlySpan<byte> block)
    {
        var head = new StringBuilder(512).Append(version).Append("\r\n");
        headers.WriteTo(head);
        head.Append("\r\n");
        var headBytes = Encoding.UTF8.GetBytes(head.ToString());
        var bytes = new byte[headBytes.Length + block.Length + 4];
        headBytes.CopyTo(bytes, 0);
        block.CopyTo(bytes.AsSpan(headBytes.Length));
        "\r\n\r\n"u8.CopyTo(bytes.AsSpan(headBytes.Length + block.Length));
        return bytes;
    }

    public static string FormatDate(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return utc.Ticks % TimeSpan.TicksPerSecond == 0
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
    }

    public string NewRecordId() => $"<urn:uuid:{_options.NewId():D}>";

    private WarcWritten Append(WarcRecordDraft draft)
    {
        var date = draft.Date ?? _options.Time.GetUtcNow();
        var recordId = draft.RecordId ?? NewRecordId();
        var block = draft.Block.Span;
        var blockDigest = WarcDigest.Sha256(block);
        string? payloadDigest = null, payloadHex = null;
        if (draft.PayloadStart is { } start)
        {
            var hash = SHA256.HashData(block[start..]);
            payloadDigest = WarcDigest.FromHash(hash);
            payloadHex = Convert.ToHexStringLower(hash);
        }
        var headers = new WarcHeaders()
            .Add("WARC-Type", draft.Type)
            .Add("WARC-Record-ID", recordId)
            .Add("WARC-Date", FormatDate(date))
            .Add("WARC-Target-URI", draft.TargetUri)
            .Add("WARC-Concurrent-To", draft.ConcurrentTo)
            .Add("WARC-Refers-To", draft.RefersTo)
            .Add("WARC-Refers-To-Target-URI", draft.RefersToTargetUri)
            .Add("WARC-IP-Address", draft.IpAddress)
            .Add("WARC-Warcinfo-ID", draft.Type == "warcinfo" ? null : _warcinfoId)
            .Add("WARC-Filename", draft.Type == "warcinfo" ? _fileName : null);
        foreach (var (k, v) in draft.ExtraHeaders) headers.Add(k, v);
        headers.Add("WARC-Block-Digest", blockDigest)
            .Add("WARC-Payload-Digest", payloadDigest)
            .Add("Content-Type", draft.ContentType)
            .Add("Content-Length", block.Length.ToString(CultureInfo.InvariantCulture));
        var (offset, length) = WriteBytes(Serialize(Version, headers, block));
        var written = new WarcWritten(_fileName!, offset, length, recordId, blockDigest, payloadDigest, payloadHex);
        if (_options.Index is { } index && draft.TargetUri is { } uri && draft.Type is "response" or "resource" or "conversion" or "revisit")
        {
            index.Add(new CdxjEntry(uri, date, draft.Type, draft.HttpContentType ?? draft.ContentType, draft.HttpStatus,
                payloadDigest ?? blockDigest, length, offset, _fileName!));
        }
        return written;
    }

    /// <summary>One gzip member holding the record, as this writer stores it.</summary>
    public static byte[] Gzip(byte[] record)
    {
        using var buffer = new MemoryStream(record.Length / 3 + 64);
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(record);
        return buffer.ToArray();
    }

    private (long Offset, long Length) WriteBytes(byte[] record)
    {
        var file = _file!;
        var offset = file.Position;
        file.Write(_options.Compress ? Gzip(record) : record);
        file.Flush();
        var length = file.Position - offset;
        RecordsWritten++;
        BytesWritten += length;
        return (offset, length);
    }

    private void EnsureFile(long upcoming)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_file is not null && _file.Length + upcoming / 2 < _options.MaxFileBytes) return;
        _file?.Dispose();
        var stamp = _options.Time.GetUtcNow().UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var extension = _options.Compress ? ".warc.gz" : ".warc";
        string path;
        do
        {
            _fileName = $"{_options.Prefix}-{stamp}-{_serial++:00000}{extension}";
            path = Path.Combine(_options.Directory, _fileName);
        }
        while (File.Exists(path));
        // A new file per run and per rotation: a file cut short by a crash is never appended to.
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        _warcinfoId = NewRecordId();
        var info = new StringBuilder()
            .Append("software: ").Append(_options.Software).Append("\r\n")
            .Append("format: WARC File Format 1.1\r\n")
            .Append("conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n");
        foreach (var (k, v) in _options.Info) info.Append(k).Append(": ").Append(v).Append("\r\n");
        Append(new WarcRecordDraft
        {
            Type = "warcinfo",
            RecordId = _warcinfoId,
            ContentType = "application/warc-fields",
            Block = Encoding.UTF8.GetBytes(info.ToString()),
        });
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            _file?.Dispose();
        }
    }
}

/// <summary>What to write; the writer adds id, date, digests and length.</summary>
public sealed record WarcRecordDraft
{
    public required string Type { get; init; }
    public required ReadOnlyMemory<byte> Block { get; init; }
    public string? ContentType { get; init; }
    public string? TargetUri { get; init; }
    public string? RecordId { get; init; }
    public DateTimeOffset? Date { get; init; }
    public string? ConcurrentTo { get; init; }
    public string? RefersTo { get; init; }
    public string? RefersToTargetUri { get; init; }
    public string? IpAddress { get; init; }
    /// <summary>Where the payload starts in the block (after HTTP headers); null: no payload digest.</summary>
    public int? PayloadStart { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> ExtraHeaders { get; init; } = [];
    /// <summary>For the CDXJ line of an HTTP response.</summary>
    public int? HttpStatus { get; init; }
    public string? HttpContentType { get; init; }
}
