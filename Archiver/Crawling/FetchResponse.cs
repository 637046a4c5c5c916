using Archiver.Capturing;

namespace Archiver.Crawling;

/// <summary>An HTTP answer as fetched: the raw body for the WARC, the decoded body for the parser.</summary>
public sealed record FetchResponse
{
    public required Uri Url { get; init; }
    public required int Status { get; init; }
    public string Reason { get; init; } = "";
    public string HttpVersion { get; init; } = "1.1";
    public required WarcHeaders RequestHeaders { get; init; }
    public required WarcHeaders ResponseHeaders { get; init; }
    /// <summary>The payload as received (content-encoded if the server compressed it).</summary>
    public required byte[] RawBody { get; init; }
    /// <summary>The payload after content decoding: what parsers read.</summary>
    public required byte[] Body { get; init; }
    public string? ContentType { get; init; }
    public required DateTimeOffset Date { get; init; }
    /// <summary>Where a 3xx answer points, resolved against the request URL.</summary>
    public Uri? RedirectTo { get; init; }

    public HttpExchange ToExchange() => new()
    {
        Url = Url,
        RequestHeaders = RequestHeaders,
        HttpVersion = HttpVersion,
        Status = Status,
        Reason = Reason,
        ResponseHeaders = ResponseHeaders,
        Body = RawBody,
        Date = Date,
    };
}

/// <summary>A page that could not be fetched (after retries), with the reason to report.</summary>
public class FetchFailedException(Uri url, string reason, Exception? inner = null)
    : ArchiverException($"{url}: {reason}", inner)
{
    public Uri Url { get; } = url;
    public string Reason { get; } = reason;
    /// <summary>False for failures that will not change on a retry (refused private address, body too large).</summary>
    public bool Retryable { get; init; } = true;

    /// <summary>What kind of failure, for the per-seed outcome (an unreachable host is not a refusal).</summary>
    public FetchFailureKind Kind { get; init; } = FetchFailureKind.Other;
}

public enum FetchFailureKind
{
    /// <summary>A failure of the exchange itself: HTTP error, body over a limit, unreadable encoding, parser failure.</summary>
    Other,
    /// <summary>No connection, no DNS answer, no answer in time, or the host kept failing.</summary>
    Unreachable,
    /// <summary>The address guard refused the (resolved) address.</summary>
    RefusedPrivate,
    /// <summary>robots.txt disallows it.</summary>
    RefusedRobots,
    /// <summary>The page needs a browser and none can run.</summary>
    NeedsBrowser,
}
