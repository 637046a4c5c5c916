namespace Archiver.Replica;

public sealed record ApiMedia(string Type, MediaFile File, string? Description);

public sealed record ApiPoll(long Id, DateTime ExpiresAt, bool Multiple, IReadOnlyList<(string Title, long Votes)> Options)
{
    public long VotesCount => Options.Sum(o => o.Votes);
}

public sealed record ApiCard(string Url, string Title, string Description);

/// <summary>One status of a Mastodon-API origin as the generator decided it.</summary>
public sealed record ApiStatus
{
    public required ApiAccount Account { get; init; }
    public required long Index { get; init; }
    public required long Id { get; init; }
    public required DateTime CreatedAt { get; init; }
    public DateTime? EditedAt { get; init; }
    public required RichText Text { get; init; }
    public ApiStatus? Reblog { get; init; }
    public long? InReplyToId { get; init; }
    public long? InReplyToAccountId { get; init; }
    public IReadOnlyList<ApiMedia> Media { get; init; } = [];
    public ApiPoll? Poll { get; init; }
    public ApiCard? Card { get; init; }
    public string SpoilerText { get; init; } = "";
    public bool Sensitive { get; init; }
    public string Visibility { get; init; } = "public";
    public long RepliesCount { get; init; }
    public long ReblogsCount { get; init; }
    public long FavouritesCount { get; init; }
    /// <summary>Truth Social's quote posts: the quoted status id.</summary>
    public long? QuoteId { get; init; }
    /// <summary>Accounts mentioned in the text, in order.</summary>
    public IReadOnlyList<ApiAccount> Mentioned { get; init; } = [];
}
