namespace Archiver.Capturing;

/// <summary>
/// One record read from a WARC file. <see cref="Offset"/> and <see cref="Length"/> locate it in the file
/// as stored (the gzip member for compressed files), as CDXJ indexes and provenance refer to it.
/// </summary>
public sealed class WarcRecord
{
    public required string File { get; init; }
    public required long Offset { get; init; }
    public required long Length { get; init; }
    /// <summary>"WARC/1.0" or "WARC/1.1" as written; "WARC/1.0" for a record read from an ARC file.</summary>
    public required string Version { get; init; }
    public required WarcHeaders Headers { get; init; }
    public required ReadOnlyMemory<byte> Block { get; init; }

    public string Type => Headers["WARC-Type"] ?? "";
    public string? TargetUri => Headers["WARC-Target-URI"];
    public string? RecordId => Headers["WARC-Record-ID"];
    public string? Date => Headers["WARC-Date"];
    public string? ContentType => Headers["Content-Type"];

    public bool IsHttp =>
        ContentType?.StartsWith("application/http", StringComparison.OrdinalIgnoreCase) == true
        && Type is "response" or "request" or "revisit";

    private HttpBlock? _http;
    private bool _httpParsed;

    /// <summary>The HTTP message in the block, when the record holds one.</summary>
    public HttpBlock? Http
    {
        get
        {
            if (!_httpParsed)
            {
                _http = IsHttp ? HttpBlock.Parse(Block) : null;
                _httpParsed = true;
            }
            return _http;
        }
    }

    /// <summary>The payload: the HTTP body after transfer decoding, or the whole block for other records.</summary>
    public ReadOnlyMemory<byte> Payload => Http?.Payload ?? Block;

    public Stream OpenPayload() => new MemoryStream(Payload.ToArray(), writable: false);

    public bool BlockDigestMatches() =>
        Headers["WARC-Block-Digest"] is { } digest && WarcDigest.Matches(digest, Block.Span);
}
