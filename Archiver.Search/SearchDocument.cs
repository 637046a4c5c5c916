namespace Archiver.Search;

/// <summary>
/// What the index knows about one post: plain values, no storage types. The archive maps its posts to
/// these; the benchmark builds them straight from a JSONL corpus.
/// </summary>
public sealed record SearchDocument
{
    /// <summary>The post key (<c>platform:host:id</c>); the only value the index hands back.</summary>
    public required string Key { get; init; }
    public required string Platform { get; init; }
    public string Text { get; init; } = "";
    public string? Host { get; init; }
    /// <summary>The author's handle (or stable id when there is no handle).</summary>
    public string? Author { get; init; }
    public string? Channel { get; init; }
    /// <summary>A readable name of the channel where its id is not one (a forum thread's title); shown, never searched.</summary>
    public string? ChannelTitle { get; init; }
    /// <summary>ISO 639-1 code (en, fr, ru, ar, de, ...) when known; picks the stemmed field.</summary>
    public string? Language { get; init; }
    public DateTime? Created { get; init; }
    /// <summary>post, reply, forward, reblog, ...</summary>
    public string? Kind { get; init; }
    public IReadOnlyList<string> Hashtags { get; init; } = [];
    public IReadOnlyList<string> Mentions { get; init; } = [];
    /// <summary>Host names of linked URLs, without a leading <c>www.</c>.</summary>
    public IReadOnlyList<string> Domains { get; init; } = [];
    public IReadOnlyList<string> MediaKinds { get; init; } = [];
    public bool IsReply { get; init; }
    public bool IsForward { get; init; }
    public bool IsEdited { get; init; }
    public bool IsDeleted { get; init; }
    public long? Views { get; init; }
    public long? Likes { get; init; }
    /// <summary>
    /// What the caller shows of this post in a list of hits (its own format), stored verbatim and never searched;
    /// handed back as <see cref="SearchHit.Display"/> so a page of hits needs no other store.
    /// </summary>
    public string? Display { get; init; }
}
