namespace Archiver.Model;

/// <summary>
/// The record rule for a feed item's <see cref="Post.Text"/> (docs/records.md), shared by the feed parser and
/// the replica's ground truth so the two cannot drift apart.
/// </summary>
public static class FeedItemText
{
    /// <summary>
    /// The searchable text of an item: for many feeds (link aggregators, microblogs, Telegram bridges) the title is the
    /// post, so it comes first, then a blank line and the body; a title the body already begins with (the usual
    /// truncated copy, often ending in "…") is not repeated. The title alone stays in <c>Extra["title"]</c>.
    /// </summary>
    public static string WithTitle(string? title, string body)
    {
        var t = title is null ? "" : string.Join(' ', title.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (t.Length == 0) return body;
        if (body.Length == 0) return t;
        var stem = t.TrimEnd('…', '.', ' ');
        var flat = string.Join(' ', body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (stem.Length > 0 && flat.StartsWith(stem, StringComparison.OrdinalIgnoreCase)) return body;
        return t + "\n\n" + body;
    }
}
