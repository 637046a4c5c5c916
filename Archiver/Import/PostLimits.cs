using System.Text;
using Archiver.Model;

namespace Archiver.Import;

/// <summary>
/// What one imported post may weigh. The store keeps a post in one LiteDB document, and LiteDB refuses a
/// document over about 16 MB ("Document size exceed") by failing the whole batch: one 20 MB row then stopped
/// every rerun of an import at that row. Such a post is reported with its line and skipped instead.
/// </summary>
public static class PostLimits
{
    /// <summary>Text, markup and the other strings of one post, in UTF-8 bytes: half of LiteDB's document limit.</summary>
    public const int MaxPostBytes = 8 << 20;

    /// <summary>Why <paramref name="post"/> cannot be stored, or null.</summary>
    public static string? Oversized(Post post)
    {
        // Cheap first: a UTF-8 byte is at least one char, and at most three per UTF-16 char.
        long chars = post.Text.Length + (post.Html?.Length ?? 0);
        foreach (var (key, value) in post.Extra) chars += key.Length + value.Length;
        foreach (var list in new[] { post.Hashtags, post.Mentions, post.Links }) foreach (var item in list) chars += item.Length;
        foreach (var m in post.Media) chars += (m.Url?.Length ?? 0) + (m.Title?.Length ?? 0) + (m.Description?.Length ?? 0);
        if (chars * 3 <= MaxPostBytes) return null;
        long bytes = Encoding.UTF8.GetByteCount(post.Text) + (post.Html is null ? 0 : Encoding.UTF8.GetByteCount(post.Html));
        foreach (var (key, value) in post.Extra) bytes += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value);
        foreach (var list in new[] { post.Hashtags, post.Mentions, post.Links }) foreach (var item in list) bytes += Encoding.UTF8.GetByteCount(item);
        foreach (var m in post.Media) bytes += (m.Url?.Length ?? 0) + (m.Title?.Length ?? 0) + (m.Description?.Length ?? 0);
        return bytes <= MaxPostBytes ? null
            : $"post {post.Key} holds {bytes / 1048576.0:0.0} MB of text; the archive stores at most {MaxPostBytes >> 20} MB per post, so it was skipped";
    }
}
