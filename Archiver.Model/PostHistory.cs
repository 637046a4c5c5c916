namespace Archiver.Model;

/// <summary>
/// Marks a post that is an entry of the platform's own edit history (Mastodon's <c>/statuses/:id/history</c>):
/// what the post said before, as the platform reports it, not an observation of what it says now.
/// </summary>
public static class PostHistory
{
    /// <summary>The entry's place in the platform's history, oldest 0 (in <see cref="Post.Extra"/>).</summary>
    public const string VersionKey = "history_version";

    /// <summary>When the next entry of the history was written: when this version stopped being current.</summary>
    public const string ReplacedAtKey = "history_replaced_at";

    public static bool IsHistoryEntry(Post post) => post.Extra.ContainsKey(VersionKey);

    /// <summary>When this version was written: its edit time, or the post's creation for the first.</summary>
    public static DateTime? VersionTime(Post post) => post.EditedAt ?? post.CreatedAt;
}
