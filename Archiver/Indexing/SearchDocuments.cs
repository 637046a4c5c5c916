using Archiver.Model;
using Archiver.Search;
using Archiver.Storage;

namespace Archiver.Indexing;

/// <summary>What the index keeps of a stored post (pure mapping).</summary>
public static class SearchDocuments
{
    public static SearchDocument From(StoredPost stored) => Build(stored.Post, stored.Capture, edited: stored.Version > 1, deleted: stored.IsDeleted);

    /// <summary>A post as the store holds it right after inserting it (with the capture it was observed in): its first version, not deleted.</summary>
    public static SearchDocument FromNew(Post post, Capture? capture) => Build(post, capture, edited: false, deleted: false);

    private static SearchDocument Build(Post post, Capture? capture, bool edited, bool deleted) =>
        new()
        {
            Display = HitDetails.Of(post, capture).ToDisplay(),
            Key = post.Key,
            Platform = post.Platform,
            Host = post.Host,
            Text = post.Text,
            Author = post.AuthorHandle ?? post.AuthorId,
            Channel = ChannelOf(post),
            ChannelTitle = ChannelTitleOf(post),
            // Indexed by primary subtag ("en-US" as "en"), so lang:en, --by lang and --stem treat them alike.
            Language = Languages.LanguageTags.IsLanguage(post.Language) ? Languages.LanguageTags.Primary(post.Language) : null,
            Created = post.CreatedAt,
            Kind = post.Kind,
            Hashtags = post.Hashtags,
            Mentions = post.Mentions,
            Domains = Domains(post.Links),
            MediaKinds = post.Media.Select(m => m.Kind).Distinct(StringComparer.Ordinal).ToList(),
            IsReply = post.Kind == PostKinds.Reply || post.ReplyTo is not null,
            IsForward = post.Kind is PostKinds.Forward or PostKinds.Reblog || post.ForwardedFrom is not null || post.ForwardedUrl is not null,
            // An observed edit, an edit date, or the platform's own label (Telegram shows "edited" without a date).
            IsEdited = edited || post.EditedAt is not null || (post.Extra.TryGetValue("edited", out var label) && label == "true"),
            IsDeleted = deleted,
            Views = post.Views,
            Likes = post.Likes,
        };

    /// <summary>
    /// The channel a post counts under: the one it appeared in, else its author's account (Mastodon, Gab and
    /// Truth Social posts come from an account's timeline, which is their channel), as the store's
    /// per-channel counts (<c>archiver stats</c>) do. Not for site posts: a page's commenter is not a channel.
    /// </summary>
    public static string? ChannelOf(Post post) =>
        !string.IsNullOrWhiteSpace(post.Channel) ? post.Channel : post.Platform == "site" ? null : post.AuthorHandle;

    /// <summary>A readable name for a channel whose id is not one (a forum thread's title, <c>Extra["channel_title"]</c>).</summary>
    public static string? ChannelTitleOf(Post post) => post.Extra.GetValueOrDefault(ChannelTitleKey) is { Length: > 0 } title ? title : null;

    public const string ChannelTitleKey = "channel_title";

    /// <summary>Host names of the linked URLs (without <c>www.</c>), each once.</summary>
    public static IReadOnlyList<string> Domains(IReadOnlyList<string> links)
    {
        if (links.Count == 0) return [];
        var domains = new List<string>(links.Count);
        foreach (var link in links)
        {
            if (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host)) continue;
            var host = uri.Host.ToLowerInvariant();
            if (host.StartsWith("www.", StringComparison.Ordinal)) host = host[4..];
            if (!domains.Contains(host)) domains.Add(host);
        }
        return domains;
    }
}
