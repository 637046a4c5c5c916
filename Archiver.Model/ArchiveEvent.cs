namespace Archiver.Model;

/// <summary>What a watch observed change (issue 17): each kind is recorded once per observation, with its evidence.</summary>
public enum ArchiveEventType { NewPost, Edited, Deleted, ChannelGone, ChannelBack, CheckFailed }

/// <summary>
/// One observed change, as the archive records it. <see cref="Id"/> is derived from what was observed (type,
/// subject, version or evidence), never from when it was written, so a batch replayed after a kill -9 finds its
/// events already there and records none twice.
/// </summary>
public sealed record ArchiveEvent
{
    public required string Id { get; init; }
    public required ArchiveEventType Type { get; init; }
    /// <summary>UTC time the change was observed (the capture time of the evidence when there is one).</summary>
    public required DateTime ObservedAt { get; init; }
    public required string Platform { get; init; }
    public required string Channel { get; init; }
    public string? PostKey { get; init; }
    /// <summary>Why, in words: "HTTP 410 from /api/v1/accounts/…", the failing request's error, the edited field.</summary>
    public string? Detail { get; init; }
    /// <summary>The WARC record of the response that showed the change; null for a check that failed before any response.</summary>
    public Capture? Evidence { get; init; }
    /// <summary>The watch entry whose check observed it, if a watch did.</summary>
    public string? WatchId { get; init; }
    /// <summary>Store sequence of the commit that recorded it (set by the store).</summary>
    public long Sequence { get; init; }
}
