namespace Archiver.Crawling;

/// <summary>Everything a crawl can be told, with polite defaults. The CLI fills it; tests build it directly.</summary>
public sealed record CrawlOptions
{
    public required string DataDir { get; init; }
    public IReadOnlyList<string> Seeds { get; init; } = [];
    public bool AllowPrivate { get; init; }
    /// <summary>Private addresses allowed even without <see cref="AllowPrivate"/> (e.g. one loopback replica).</summary>
    public IReadOnlyList<System.Net.IPAddress> AllowedPrivateAddresses { get; init; } = [];
    public bool IgnoreRobots { get; init; }
    /// <summary>An HTTP proxy every request goes through (--proxy); proxy environment variables are never used.</summary>
    public Uri? Proxy { get; init; }
    public string UserAgent { get; init; } = DefaultUserAgent;
    /// <summary>Pages fetched at once, over all hosts.</summary>
    public int Concurrency { get; init; } = 8;
    /// <summary>Pages fetched at once from one host.</summary>
    public int PerHost { get; init; } = 2;
    /// <summary>Requests started per second per host; 0 for no limit.</summary>
    public double RatePerHost { get; init; } = 2;
    public long? MaxPages { get; init; }
    public int? MaxDepth { get; init; }
    public DateTime? Since { get; init; }
    public DateTime? Until { get; init; }
    /// <summary>When saved pages were captured (<c>--captured-at</c>), for pages that state only relative ages.</summary>
    public DateTime? CapturedAt { get; init; }
    public bool NoMedia { get; init; }
    public bool Recheck { get; init; }
    /// <summary>Store the changes this crawl observes as events (<see cref="Storage.StoreBatch.RecordEvents"/>): a watch's checks.</summary>
    public bool RecordEvents { get; init; }
    /// <summary>The watch entry this crawl checks, stamped on its events.</summary>
    public string? WatchId { get; init; }
    /// <summary>The frontier file; null for the archive's <c>frontier.db</c>. A watch gives each entry its own, so checks of different hosts run side by side.</summary>
    public string? FrontierPath { get; init; }
    public long MaxBodyBytes { get; init; } = 32L * 1024 * 1024;
    public long MaxDecompressedBytes { get; init; } = 128L * 1024 * 1024;
    public long MaxMediaBytes { get; init; } = 64L * 1024 * 1024;
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Time allowed to read a whole body once headers arrived (slow bodies are cut off).</summary>
    public TimeSpan BodyTimeout { get; init; } = TimeSpan.FromSeconds(60);
    public int MaxRetries { get; init; } = 4;
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>Longest wait a Retry-After header is obeyed for; longer ones fail the request.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>Attempts for a page whose fetch failed after the HTTP retries (re-queued each time).</summary>
    public int MaxPageAttempts { get; init; } = 3;
    public long WarcMaxBytes { get; init; } = 1L << 30;
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public const string DefaultUserAgent = "archiver/0.1 (+research archive; respects robots.txt)";
}
