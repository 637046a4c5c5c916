using Archiver.Model;

namespace Archiver.Storage;

/// <summary>
/// The evidence behind a deletion or takedown: when it was seen, the HTTP status and reason, and the captured
/// response (URL, WARC file and offset) that showed it.
/// </summary>
public sealed record Evidence(DateTime SeenAt, int? HttpStatus, string? Reason, string? Url, DateTime? FetchedAt, string? WarcFile, long? WarcOffset, string? WarcRecordId)
{
    public static Evidence Of(DateTime seenAt, int? status, string? reason, Capture? capture) =>
        new(seenAt, status, reason, capture?.Url, capture?.FetchedAt, capture?.WarcFile, capture?.WarcOffset, capture?.WarcRecordId);

    public static Evidence? OfDeletion(StoredPost post) =>
        post.DeletedAt is { } at ? Of(at, post.DeletedStatus, post.DeletedReason, post.DeletedCapture) : null;

    public static Evidence? OfTakedown(StoredAuthor author) =>
        author.Status == AuthorStatus.Gone && author.GoneAt is { } at ? Of(at, author.GoneStatus, author.GoneReason, author.GoneCapture) : null;
}

/// <summary>One channel or account of the archive: its status (active, or gone with evidence) and its posts.</summary>
public sealed record ChannelSummary
{
    public required string Key { get; init; }
    public required string Platform { get; init; }
    public required string Host { get; init; }
    /// <summary>The handle, or the channel name as posts give it.</summary>
    public required string Name { get; init; }
    public string? DisplayName { get; init; }
    public string? Kind { get; init; }
    /// <summary>"active", or "gone" once the channel or account itself answered 404/410/451 or said it is gone.</summary>
    public required string Status { get; init; }
    public DateTime? GoneAt { get; init; }
    public Evidence? Evidence { get; init; }
    public DateTime? FirstSeen { get; init; }
    /// <summary>The last time a crawl saw the channel or account (its profile, or the takedown).</summary>
    public DateTime? LastCheck { get; init; }
    public long Posts { get; init; }
    /// <summary>Posts with an observed edit or that the platform labels edited (what <c>is:edited</c> finds).</summary>
    public long Edited { get; init; }
    /// <summary>Posts recorded deleted, each on its own evidence.</summary>
    public long Deleted { get; init; }
}

public static class ChannelSummaries
{
    /// <summary>Whether a post counts as edited: an observed edit, an edit date, or the platform's own "edited" label.</summary>
    public static bool IsEdited(StoredPost stored) =>
        stored.Version > 1 || stored.Post.EditedAt is not null
        || (stored.Post.Extra.TryGetValue("edited", out var edited) && edited == "true");

    /// <summary>
    /// Every channel and account: the author records (Telegram channels, Mastodon-API accounts, feeds) and any other
    /// channel posts name (forum threads). A post counts under the author record its channel names (Telegram), else
    /// under the account that wrote it (Mastodon, Truth Social, Gab: the account is the channel), else its channel.
    /// </summary>
    public static IReadOnlyList<ChannelSummary> From(ArchiveStore store)
    {
        var authors = store.ScanAuthors().ToDictionary(a => a.Author.Key, StringComparer.Ordinal);
        var counts = new Dictionary<string, (string Platform, string Host, string Name, long Posts, long Edited, long Deleted)>(StringComparer.Ordinal);
        var titled = TitledChannels(authors.Values);
        foreach (var stored in store.ScanPosts())
        {
            var post = stored.Post;
            if (ChannelOf(post, authors, titled) is not { } channel) continue;
            var (key, name) = channel;
            var row = counts.GetValueOrDefault(key, (post.Platform, post.Host, name, 0, 0, 0));
            counts[key] = (row.Platform, row.Host, row.Name, row.Posts + 1, row.Edited + (IsEdited(stored) ? 1 : 0), row.Deleted + (stored.IsDeleted ? 1 : 0));
        }
        var rows = new List<ChannelSummary>();
        foreach (var (key, stored) in authors)
        {
            var a = stored.Author;
            var c = counts.GetValueOrDefault(key);
            var gone = stored.Status == AuthorStatus.Gone;
            rows.Add(new ChannelSummary
            {
                Key = key,
                Platform = a.Platform,
                Host = a.Host,
                // A feed has no handle; its title is what its items name as their channel (its URL stays in the key).
                Name = a.Handle ?? (a.Kind == "channel" ? a.DisplayName : null) ?? a.NativeId,
                DisplayName = a.DisplayName,
                Kind = a.Kind,
                Status = gone ? "gone" : "active",
                GoneAt = gone ? stored.GoneAt : null,
                Evidence = Evidence.OfTakedown(stored),
                FirstSeen = stored.FirstSeen,
                LastCheck = stored.GoneAt is { } at && at > stored.LastSeen ? at : stored.LastSeen,
                Posts = c.Posts,
                Edited = c.Edited,
                Deleted = c.Deleted,
            });
        }
        foreach (var (key, c) in counts)
        {
            if (authors.ContainsKey(key)) continue;
            rows.Add(new ChannelSummary { Key = key, Platform = c.Platform, Host = c.Host, Name = c.Name, Status = "active", Posts = c.Posts, Edited = c.Edited, Deleted = c.Deleted });
        }
        return rows.OrderBy(r => r.Platform, StringComparer.Ordinal).ThenBy(r => r.Host, StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>
    /// Channels known by their address with only a title for a name (a feed is keyed by its URL; its items name the
    /// feed's title as their channel): title → the channel's key, for titles that name exactly one such channel on a host.
    /// </summary>
    private static Dictionary<string, string> TitledChannels(IEnumerable<StoredAuthor> authors)
    {
        var byTitle = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var stored in authors)
        {
            var a = stored.Author;
            if (a.Handle is not null || a.Kind != "channel" || a.DisplayName is null) continue;
            var title = PostKey.Of(a.Platform, a.Host, a.DisplayName);
            // Two feeds with one title on one host: which one an item came from is not known, so neither gets it.
            byTitle[title] = byTitle.ContainsKey(title) ? null : a.Key;
        }
        return byTitle.Where(e => e.Value is not null).ToDictionary(e => e.Key, e => e.Value!, StringComparer.Ordinal);
    }

    private static (string Key, string Name)? ChannelOf(Post post, Dictionary<string, StoredAuthor> authors, Dictionary<string, string> titled)
    {
        if (post.Channel is { } channel && authors.ContainsKey(PostKey.Of(post.Platform, post.Host, channel)))
            return (PostKey.Of(post.Platform, post.Host, channel), channel);
        if (post.Channel is { } title && titled.TryGetValue(PostKey.Of(post.Platform, post.Host, title), out var feedKey))
            return (feedKey, title);
        if (post.AuthorId is { } authorId && authors.TryGetValue(PostKey.Of(post.Platform, post.Host, authorId), out var author)
            && (post.Channel is null || SameHandle(post.Channel, author.Author.Handle)))
            return (PostKey.Of(post.Platform, post.Host, authorId), author.Author.Handle ?? authorId);
        if (post.Channel is { } other) return (PostKey.Of(post.Platform, post.Host, other), other);
        return null;
    }

    private static bool SameHandle(string channel, string? handle)
    {
        if (handle is null) return false;
        static string Local(string h) => h.TrimStart('@') is var t && t.IndexOf('@') is var at and > 0 ? t[..at] : t;
        return string.Equals(Local(channel), Local(handle), StringComparison.OrdinalIgnoreCase);
    }
}
