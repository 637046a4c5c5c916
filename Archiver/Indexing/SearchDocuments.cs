using Archiver.Model;
using Archiver.Search;
using Archiver.Storage;

namespace Archiver.Indexing;

/// <summary>What the index keeps of a stored post (pure mapping).</summary>
public static class SearchDocuments
{
    public static SearchDocument From(StoredPost stored)
    {
        var post = stored.Post;
        return new SearchDocument
        {
            Key = stored.Key,
            Platform = post.Platform,
            Host = post.Host,
            Text = post.Text,
            Author = post.AuthorHandle ?? post.AuthorId,
            Channel = post.Channel,
            Language = post.Language,
            Created = post.CreatedAt,
            Kind = post.Kind,
            Hashtags = post.Hashtags,
            Mentions = post.Mentions,
            Domains = Domains(post.Links),
            MediaKinds = post.Media.Select(m => m.Kind).Distinct(StringComparer.Ordinal).ToList(),
            IsReply = post.Kind == PostKinds.Reply || post.ReplyTo is not null,
            IsForward = post.Kind is PostKinds.Forward or PostKinds.Reblog || post.ForwardedFrom is not null || post.ForwardedUrl is not null,
            IsEdited = stored.Version > 1 || post.EditedAt is not null,
            IsDeleted = stored.IsDeleted,
            Views = post.Views,
            Likes = post.Likes,
        };
    }

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
