using Archiver.Model;

namespace Archiver.Platforms;

/// <summary>An HTTP answer as the parsers see it: bytes and headers, no connection, no clock.</summary>
public sealed record FetchedPage
{
    public required Uri Url { get; init; }
    public required int Status { get; init; }
    public required ReadOnlyMemory<byte> Body { get; init; }
    public string? ContentType { get; init; }

    /// <summary>Response headers, names case-insensitive, multiple values joined with ", ".</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = EmptyHeaders;

    public DateTime FetchedAt { get; init; }

    /// <summary>The request that led here; null for pages from imports or tests.</summary>
    public CrawlRequest? Request { get; init; }

    /// <summary>Where the raw exchange was captured; copied onto every record parsed from this page.</summary>
    public Capture? Capture { get; init; }

    public static readonly IReadOnlyDictionary<string, string> EmptyHeaders =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}
