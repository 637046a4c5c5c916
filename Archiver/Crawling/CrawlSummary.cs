using Archiver.Model;

namespace Archiver.Crawling;

/// <summary>What a crawl did, for the final summary and <c>--json</c>.</summary>
public sealed record CrawlSummary
{
    public required string JobId { get; init; }
    public required CrawlJobState State { get; init; }
    public required IReadOnlyList<string> Seeds { get; init; }
    /// <summary>What became of each seed (archived N, not found, gone, unreachable, refused...), in seed order.</summary>
    public IReadOnlyList<SeedOutcome> SeedOutcomes { get; init; } = [];
    public long Pages { get; init; }
    public long Posts { get; init; }
    public long Authors { get; init; }
    public long Media { get; init; }
    public long MediaBytes { get; init; }
    public long Bytes { get; init; }
    public long Errors { get; init; }
    public long Retries { get; init; }
    public double ServerWaitSeconds { get; init; }
    public long RobotsBlocked { get; init; }
    public long OutOfScope { get; init; }
    public long Gone { get; init; }
    public long Edited { get; init; }
    public long Deleted { get; init; }
    public long Redirects { get; init; }
    public long SkippedBrowserPages { get; init; }
    public long Pending { get; init; }
    public double ElapsedSeconds { get; init; }
    public double PagesPerSecond { get; init; }
    public double PostsPerSecond { get; init; }
    /// <summary>Busy time per stage summed over its workers, in seconds: fetch, capture, parse, store.</summary>
    public required IReadOnlyDictionary<string, double> StageSeconds { get; init; }
    public required IReadOnlyList<CrawlFailure> Failures { get; init; }
    public string? BrowserNote { get; init; }
}

public sealed record CrawlFailure(string Url, string Reason);
