using System.Globalization;
using System.Text;

namespace Archiver.Capturing;

/// <summary>
/// One HTTP request and its answer, as they go into a request and a response record. The body is the
/// payload as received after transfer decoding (still content-encoded if the server compressed it), so
/// the stored headers describe the stored bytes.
/// </summary>
public sealed record HttpExchange
{
    public required Uri Url { get; init; }
    public string Method { get; init; } = "GET";
    public WarcHeaders RequestHeaders { get; init; } = new();
    public string HttpVersion { get; init; } = "1.1";
    public required int Status { get; init; }
    public string Reason { get; init; } = "";
    public WarcHeaders ResponseHeaders { get; init; } = new();
    public required ReadOnlyMemory<byte> Body { get; init; }
    public string? IpAddress { get; init; }
    public DateTimeOffset? Date { get; init; }
    /// <summary>Extension fields for the response record (see <see cref="CaptureHints"/>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ResponseRecordFields { get; init; } = [];

    public byte[] RequestBlock()
    {
        var text = new StringBuilder()
            .Append(Method).Append(' ').Append(Url.PathAndQuery).Append(" HTTP/").Append(HttpVersion).Append("\r\n");
        if (RequestHeaders["Host"] is null) text.Append("Host: ").Append(Url.Authority).Append("\r\n");
        RequestHeaders.WriteTo(text);
        text.Append("\r\n");
        return Encoding.Latin1.GetBytes(text.ToString());
    }

    public byte[] ResponseBlock(out int payloadStart)
    {
        var text = new StringBuilder()
            .Append("HTTP/").Append(HttpVersion).Append(' ')
            .Append(Status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Reason).Append("\r\n");
        ResponseHeaders.WriteTo(text);
        text.Append("\r\n");
        var head = Encoding.Latin1.GetBytes(text.ToString());
        var block = new byte[head.Length + Body.Length];
        head.CopyTo(block, 0);
        Body.Span.CopyTo(block.AsSpan(head.Length));
        payloadStart = head.Length;
        return block;
    }
}
