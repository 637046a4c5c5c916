namespace Archiver.Model;

/// <summary>A parsed crawl seed: which platform, which host, and what to collect there.</summary>
public sealed record Seed
{
    public required string Platform { get; init; }
    public required string Host { get; init; }
    /// <summary>channel, account, hashtag, status, feed, site, ...</summary>
    public required string Kind { get; init; }
    /// <summary>The channel name, handle, tag, or URL the seed names.</summary>
    public required string Value { get; init; }
    /// <summary>The text the user typed.</summary>
    public required string Original { get; init; }
    /// <summary>Scheme and authority to fetch from (lets the replica stand in for a real host).</summary>
    public string? BaseUrl { get; init; }
}
