namespace Archiver.Model;

public enum CrawlJobState { Running, Interrupted, Finished, Failed }

/// <summary>One run of <c>archiver crawl</c>: what it was asked, when it ran, what it got.</summary>
public sealed record CrawlJob
{
    public required string Id { get; init; }
    public required IReadOnlyList<string> Seeds { get; init; }
    public required DateTime StartedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public CrawlJobState State { get; init; } = CrawlJobState.Running;
    public long Pages { get; init; }
    public long Posts { get; init; }
    public long Media { get; init; }
    public long Errors { get; init; }
}
