using System.Globalization;
using System.Text;

namespace Archiver.Replica;

/// <summary>One post of a forum thread or of a JavaScript-rendered page.</summary>
public sealed record ForumPost(ForumThread Thread, long Index, long Id, string Author, DateTime Date, RichText Text, long Likes, bool Edited);

/// <summary>Derives forum posts and renders them in the markup the <c>replica-forum</c> site profile reads.</summary>
public static class ForumGenerator
{
    public const int PageSize = 20;

    public static long IdOf(ForumThread t, long index) => t.Id * 1_000_000L + index + 1;

    public static ForumPost? Post(ForumThread t, long index, ReplicaView version)
    {
        if (!t.Stream.Exists(index, version)) return null;
        var rng = new Rng(Mix.Of(t.Stream.Key, (ulong)index, 0xF0F0));
        var text = TextComposer.Compose(ref rng, t.Language, rng.Chance(0.03) ? rng.Between(15, 25) : rng.Between(1, 5), []);
        // Forums show tags and mentions as typed, not as links: keep them as plain runs.
        text = new RichText(text.Segments.Select(s => s.Kind switch
        {
            SegmentKind.Hashtag => new Segment(SegmentKind.Text, "#" + s.Value),
            SegmentKind.Mention or SegmentKind.Bold or SegmentKind.Emoji => new Segment(SegmentKind.Text, s.Value),
            _ => s,
        }).ToList());
        var edit = t.Stream.Edit(index, version);
        if (edit.ChangesText()) text = TextComposer.Edited(text, t.Language);
        var author = t.Language.PersonName(ref rng);
        return new ForumPost(t, index, IdOf(t, index), author, t.Stream.TimeSeconds(index), text, rng.Chance(0.6) ? rng.Int(250) : 0, edit != EditState.None);
    }

    /// <summary>The visible posts of a version, in order; pages are consecutive runs of 20 of them.</summary>
    public static IEnumerable<ForumPost> Visible(ForumThread t, ReplicaView version)
    {
        for (long i = 0; i < t.Stream.Count(version); i++)
            if (Post(t, i, version) is { } p) yield return p;
    }

    /// <summary>Indices of page <paramref name="page"/> plus one more (to tell whether a next page exists); skipping is cheap, only the page's posts are generated.</summary>
    public static List<long> PageIndices(ForumThread t, int page, ReplicaView version)
    {
        var list = new List<long>(PageSize + 1);
        if (page < 1) return list;
        var skip = (long)(page - 1) * PageSize;
        for (long i = 0; i < t.Stream.Count(version) && list.Count <= PageSize; i++)
        {
            if (!t.Stream.Exists(i, version)) continue;
            if (skip > 0) skip--;
            else list.Add(i);
        }
        return list;
    }

    /// <summary>
    /// The posts of page <paramref name="page"/> and whether a next page exists, or null past the last page. An
    /// evolving thread pages by post number (page p holds posts (p-1)*20 to p*20-1 that still exist), as forums
    /// with stable post numbers do: a deletion leaves a gap and moves no other post to another page, which would
    /// change that post's record (its URL) without a change of its own.
    /// </summary>
    public static (List<long> Indices, bool HasNext)? Page(ForumThread t, int page, ReplicaView version)
    {
        if (page < 1) return null;
        if (t.Stream.Schedule is null)
        {
            var indices = PageIndices(t, page, version);
            if (indices.Count == 0 && page > 1) return null;
            var hasNext = indices.Count > PageSize;
            if (hasNext) indices.RemoveAt(indices.Count - 1);
            return (indices, hasNext);
        }
        var count = t.Stream.Count(version);
        var from = (long)(page - 1) * PageSize;
        if (from >= count && page > 1) return null;
        var list = new List<long>(PageSize);
        for (var i = from; i < Math.Min(from + PageSize, count); i++)
            if (t.Stream.Exists(i, version)) list.Add(i);
        return (list, from + PageSize < count);
    }

    /// <summary>The page (1-based) a visible post is on, given its position among the visible posts.</summary>
    public static long PageOf(ForumThread t, long index, long position) => (t.Stream.Schedule is null ? position : index) / PageSize + 1;

    public static long VisibleCount(ForumThread t, ReplicaView version)
    {
        long n = 0;
        for (long i = 0; i < t.Stream.Count(version); i++)
            if (t.Stream.Exists(i, version)) n++;
        return n;
    }

    /// <summary>The <c>.post-body</c> inner HTML.</summary>
    public static string BodyHtml(RichText text)
    {
        var sb = new StringBuilder(256);
        foreach (var s in text.Segments)
        {
            switch (s.Kind)
            {
                case SegmentKind.Break: sb.Append("<br>"); break;
                case SegmentKind.Link:
                    sb.Append("<a href=\"").Append(Html.Attribute(s.Value)).Append("\" rel=\"nofollow\">").Append(Html.Text(s.Value)).Append("</a>");
                    break;
                default: sb.Append(Html.Text(s.Value)); break;
            }
        }
        return sb.ToString();
    }

    public static string Stamp(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Display(DateTime t) => t.ToString("d MMM yyyy HH:mm", CultureInfo.InvariantCulture);
}
