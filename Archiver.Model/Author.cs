namespace Archiver.Model;

/// <summary>An account or a channel. Identity: <c>(platform, host, handle or native id)</c>.</summary>
public sealed record Author
{
    public required string Platform { get; init; }
    public required string Host { get; init; }
    /// <summary>The platform's stable id where it has one; else the handle.</summary>
    public required string NativeId { get; init; }
    public string? Handle { get; init; }
    public string? DisplayName { get; init; }
    public string? Description { get; init; }
    public string? Url { get; init; }
    /// <summary>account, channel, group, bot, ...</summary>
    public string Kind { get; init; } = "account";
    public long? Followers { get; init; }
    public long? Following { get; init; }
    public long? PostsCount { get; init; }
    public string? AvatarUrl { get; init; }
    public string? AvatarSha256 { get; init; }
    public DateTime? CreatedAt { get; init; }
    public IReadOnlyDictionary<string, string> Extra { get; init; } = Post.EmptyExtra;

    public string Key => PostKey.Of(Platform, Host, NativeId);
}

public enum AuthorStatus
{
    Active,
    /// <summary>Answered 404/410/451 (or an equivalent page) when last checked.</summary>
    Gone,
}
