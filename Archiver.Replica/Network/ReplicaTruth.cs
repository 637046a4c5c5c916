using System.Text;
using System.Text.Json;
using Archiver.Model;

namespace Archiver.Replica;

/// <summary>A media file as served: where, what type, how many bytes, and their SHA-256.</summary>
public sealed record ServedMedia(string Url, string Mime, long Size, string Sha256);

/// <summary>
/// A channel, account, thread or page the replica answers with a takedown status instead of its content.
/// <paramref name="Key"/> is the record key of its author record (Telegram channel, API account), or its page URL.
/// </summary>
/// <summary>
/// One change of an evolving replica (<c>replica truth --evolve</c>, <c>/__replica/changes</c>): when, what, and the
/// records it concerns keyed as the archive keys them. <see cref="ChannelKey"/> is the author record key of the
/// Telegram channel or account (what a takedown names), or the forum thread's URL; <see cref="Key"/> the post's
/// record key (null for channel_gone/channel_back); <see cref="Text"/> the post's text after a new_post or edit;
/// <see cref="Status"/> the HTTP status a channel_gone answers with.
/// </summary>
public sealed record ReplicaChange
{
    public required DateTime Time { get; init; }
    public required ArchiveEventType Type { get; init; }
    public required string Platform { get; init; }
    public required string Host { get; init; }
    public required string Channel { get; init; }
    public required string ChannelKey { get; init; }
    public string? Key { get; init; }
    public string? NativeId { get; init; }
    public string? Url { get; init; }
    public int? Status { get; init; }
    public string? Text { get; init; }
}

public sealed record TakedownTruth(string Platform, string Host, string Key, string Name, string Kind, int Status);

/// <summary>
/// What the replica serves for one version, as Archiver's records filled the way docs/records.md says,
/// streamed (never all in memory) so tests and the demo compare archived records field by field.
/// </summary>
/// Takedowns that hold from the first request (no <c>@after</c>/<c>@at</c>) are part of the truth: the entity's
/// posts are not served (so not listed by <see cref="Posts()"/>), and <see cref="Takedowns"/> lists the entity.
/// For an evolving network the truth is that of one moment (<see cref="ReplicaView.AtMs"/>): the posts published,
/// edited and not deleted by then, and the channels and accounts gone then; <see cref="Changes"/> lists every change.
public sealed class ReplicaTruth(ReplicaNetwork network, ReplicaEndpoints endpoints, ReplicaView version,
    IReadOnlyList<(OriginKind? Origin, Takedown Takedown)>? takedowns = null)
{
    private readonly TelegramGenerator telegram = new(network);
    private readonly MastodonGenerator mastodon = new(network);
    private readonly IReadOnlyList<(OriginKind? Origin, Takedown Takedown)> takedowns =
        (takedowns ?? []).Where(t => t.Takedown.AfterRequests is null && t.Takedown.At is null).ToList();

    public int Version { get; } = version.Version;
    /// <summary>The version and, for an evolving network, the moment this truth describes.</summary>
    public ReplicaView View { get; } = version;

    /// <summary>The status a takedown answers for this entity on this origin, or null when it is served.</summary>
    public int? TakenDown(OriginKind origin, string entity) =>
        takedowns.Where(t => (t.Origin is null || t.Origin == origin) && string.Equals(t.Takedown.Target, entity, StringComparison.OrdinalIgnoreCase))
            .Select(t => (int?)t.Takedown.Status).FirstOrDefault()
        ?? network.Evolution?.GoneStatus(origin, entity, View.AtMs);

    /// <summary>Every channel, account, thread and page answered with a takedown status.</summary>
    public IEnumerable<TakedownTruth> Takedowns()
    {
        var tgHost = endpoints.Host(OriginKind.Telegram);
        foreach (var c in network.Channels)
            if (TakenDown(OriginKind.Telegram, c.Name) is { } status)
                yield return new TakedownTruth("telegram", tgHost, PostKey.Of("telegram", tgHost, c.Name), c.Name, "channel", status);
        foreach (var flavor in Enum.GetValues<Flavor>())
        {
            var kind = ReplicaEndpoints.OriginOf(flavor);
            var host = endpoints.Host(kind);
            var platform = ReplicaEndpoints.PlatformOf(flavor);
            foreach (var a in network.AccountsOf(flavor))
                if (TakenDown(kind, a.Username) is { } status)
                    yield return new TakedownTruth(platform, host, PostKey.Of(platform, host, a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), a.Username, "account", status);
        }
        foreach (var t in network.Threads)
            if (TakenDown(OriginKind.Forum, t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)) is { } status)
                yield return new TakedownTruth("site", endpoints.Host(OriginKind.Forum), $"{endpoints.Origin(OriginKind.Forum)}/forum/t/{t.Id}", t.Title, "thread", status);
        foreach (var t in network.JsPages)
            if (TakenDown(OriginKind.Js, t.Slug) is { } status)
                yield return new TakedownTruth("site", endpoints.Host(OriginKind.Js), $"{endpoints.Origin(OriginKind.Js)}/js/{t.Slug}", t.Title, "page", status);
    }

    public IEnumerable<Post> Posts() =>
        TelegramPosts().Concat(ApiPosts(Flavor.Mastodon)).Concat(ApiPosts(Flavor.TruthSocial)).Concat(ApiPosts(Flavor.Gab))
            .Concat(ForumPosts()).Concat(JsPosts());

    public IEnumerable<Post> TelegramPosts() => network.Channels.Where(c => TakenDown(OriginKind.Telegram, c.Name) is null).SelectMany(TelegramPosts);

    /// <summary>A channel's posts, oldest first.</summary>
    public IEnumerable<Post> TelegramPosts(TelegramChannel c)
    {
        var origin = endpoints.Origin(OriginKind.Telegram);
        var host = endpoints.Host(OriginKind.Telegram);
        for (long i = 0; i < c.Stream.Count(View); i++)
            if (telegram.Post(c, i, View) is { } p) yield return TelegramRecords.Post(p, origin, host);
    }

    public IEnumerable<Post> ApiPosts(Flavor flavor) =>
        network.AccountsOf(flavor).Where(a => TakenDown(ReplicaEndpoints.OriginOf(flavor), a.Username) is null).SelectMany(a => ApiPosts(a));

    /// <summary>An account's statuses, oldest first (reblog wrappers included; originals are their authors' posts).</summary>
    public IEnumerable<Post> ApiPosts(ApiAccount a)
    {
        var json = new MastodonJson(a.Flavor, endpoints.Origin(ReplicaEndpoints.OriginOf(a.Flavor)));
        var host = endpoints.Host(ReplicaEndpoints.OriginOf(a.Flavor));
        for (long i = 0; i < a.Stream.Count(View); i++)
            if (mastodon.Status(a, i, View) is { } s) yield return MastodonRecords.Post(s, json, host);
    }

    public IEnumerable<Post> ForumPosts() =>
        network.Threads.Where(t => TakenDown(OriginKind.Forum, t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)) is null).SelectMany(t => SitePosts(t, OriginKind.Forum, View));

    public IEnumerable<Post> JsPosts() => network.JsPages.Where(t => TakenDown(OriginKind.Js, t.Slug) is null).SelectMany(t => SitePosts(t, OriginKind.Js, View));

    private IEnumerable<Post> SitePosts(ForumThread t, OriginKind kind, ReplicaView view)
    {
        long n = 0;
        foreach (var p in ForumGenerator.Visible(t, view))
            yield return SitePost(t, kind, p, ForumGenerator.PageOf(t, p.Index, n++));
    }

    private Post SitePost(ForumThread t, OriginKind kind, ForumPost p, long pageNumber)
    {
        var origin = endpoints.Origin(kind);
        var page = kind == OriginKind.Forum ? $"{origin}/forum/t/{t.Id}" : $"{origin}/js/{t.Slug}";
        var profile = kind == OriginKind.Forum ? "replica-forum" : "replica-js";
        var url = kind == OriginKind.Js || pageNumber == 1 ? page : $"{page}?page={pageNumber}";
        return new Post
        {
            Platform = "site",
            Host = endpoints.Host(kind),
            NativeId = p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Url = url,
            Channel = page,
            AuthorName = p.Author,
            CreatedAt = p.Date,
            Text = p.Text.Plain(),
            Html = ForumGenerator.BodyHtml(p.Text),
            Language = t.Language.Code,
            Links = p.Text.Links,
            Likes = p.Likes,
            Extra = p.Edited
                    ? new Dictionary<string, string> { ["profile"] = profile, ["channel_title"] = t.Title, ["edited"] = "true" }
                    : new Dictionary<string, string> { ["profile"] = profile, ["channel_title"] = t.Title },
        };
    }

    /// <summary>The items of every channel's feed (RSS and Atom carry the same ones).</summary>
    public IEnumerable<Post> FeedPosts()
    {
        var tgOrigin = endpoints.Origin(OriginKind.Telegram);
        var feeds = new FeedRenderer(telegram, tgOrigin, endpoints.Origin(OriginKind.Feeds));
        foreach (var c in network.Channels.Where(c => TakenDown(OriginKind.Feeds, c.Name) is null))
            foreach (var p in feeds.Latest(c, View))
            {
                yield return new Post
                {
                    Platform = "feed",
                    Host = endpoints.Host(OriginKind.Feeds),
                    NativeId = feeds.Link(p),
                    Url = feeds.Link(p),
                    Channel = $"{endpoints.Origin(OriginKind.Feeds)}/feeds/{c.Name}.rss",
                    AuthorName = p.Signature ?? c.Title,
                    CreatedAt = p.Date,
                    // The feed reader puts an item's title before its body unless the body begins with it (docs/records.md).
                    Text = FeedItemText.WithTitle(FeedRenderer.Title(p), TelegramMarkup.TextPlain(p)),
                    Html = TelegramMarkup.TextHtml(p, tgOrigin),
                    Links = p.Text.Links,
                    Language = c.Language.Code,
                    Extra = new Dictionary<string, string> { ["title"] = FeedRenderer.Title(p) },
                };
            }
    }

    public IEnumerable<Author> Authors()
    {
        foreach (var c in network.Channels) yield return TelegramRecords.Author(c, endpoints.Origin(OriginKind.Telegram), endpoints.Host(OriginKind.Telegram), View);
        foreach (var flavor in Enum.GetValues<Flavor>())
        {
            var kind = ReplicaEndpoints.OriginOf(flavor);
            var json = new MastodonJson(flavor, endpoints.Origin(kind));
            foreach (var a in network.AccountsOf(flavor)) yield return MastodonRecords.Author(a, json, endpoints.Host(kind), View);
        }
    }

    /// <summary>Every downloadable media file the posts and authors reference, once each.</summary>
    public IEnumerable<ServedMedia> Media()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var url in Authors().Select(a => a.AvatarUrl).Concat(Posts().SelectMany(p => p.Media.Select(m => m.Url))))
        {
            if (url is null || !seen.Add(url)) continue;
            var name = url[(url.LastIndexOf('/') + 1)..];
            if (!MediaFile.TryParse(name, out var file)) continue;
            var bytes = MediaBytes.Get(file);
            yield return new ServedMedia(url, file.Mime, bytes.Length, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        }
    }

    /// <summary>
    /// Every change of an evolving network at or before <paramref name="untilMs"/>, in time order, keyed as the
    /// archive keys the records; empty for a static network. A post's record is the one served just after the change
    /// (just before it for a deletion).
    /// </summary>
    public IEnumerable<ReplicaChange> Changes(long untilMs = long.MaxValue)
    {
        if (network.Evolution is not { } evolution) yield break;
        foreach (var change in evolution.Changes)
        {
            if (change.TimeMs > untilMs) yield break;
            yield return Describe(change);
        }
    }

    public IEnumerable<ReplicaChange> Changes(DateTimeOffset until) => Changes(until.ToUnixTimeMilliseconds());

    private ReplicaChange Describe(ScheduledChange change)
    {
        var time = DateTime.UnixEpoch.AddMilliseconds(change.TimeMs);
        var view = new ReplicaView(1, change.Type == ArchiveEventType.Deleted ? change.TimeMs - 1 : change.TimeMs);
        var host = endpoints.Host(change.Origin);
        string platform, channel, channelKey;
        Post? post = null;
        switch (change.Origin)
        {
            case OriginKind.Telegram:
                var c = network.Channels[change.Entity];
                (platform, channel, channelKey) = ("telegram", c.Name, PostKey.Of("telegram", host, c.Name));
                if (change.Index >= 0) post = TelegramRecords.Post(telegram.Post(c, change.Index, view)!, endpoints.Origin(OriginKind.Telegram), host);
                break;
            case OriginKind.Forum:
                var t = network.Threads[change.Entity];
                (platform, channel) = ("site", $"{endpoints.Origin(OriginKind.Forum)}/forum/t/{t.Id}");
                channelKey = channel;
                // Evolving threads page by post number, so the page follows from the index.
                post = SitePost(t, OriginKind.Forum, ForumGenerator.Post(t, change.Index, view)!, ForumGenerator.PageOf(t, change.Index, change.Index));
                break;
            default:
                var flavor = change.Origin switch { OriginKind.TruthSocial => Flavor.TruthSocial, OriginKind.Gab => Flavor.Gab, _ => Flavor.Mastodon };
                var a = network.AccountsOf(flavor)[change.Entity];
                platform = ReplicaEndpoints.PlatformOf(flavor);
                (channel, channelKey) = (a.Username, PostKey.Of(platform, host, a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                if (change.Index >= 0)
                    post = MastodonRecords.Post(mastodon.Status(a, change.Index, view)!, new MastodonJson(flavor, endpoints.Origin(change.Origin)), host);
                break;
        }
        return new ReplicaChange
        {
            Time = time,
            Type = change.Type,
            Platform = platform,
            Host = host,
            Channel = channel,
            ChannelKey = channelKey,
            Key = post?.Key,
            NativeId = post?.NativeId,
            Url = post?.Url,
            Status = change.Status,
            Text = change.Type is ArchiveEventType.NewPost or ArchiveEventType.Edited ? post!.Text : null,
        };
    }

    private static readonly JsonSerializerOptions ChangeJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Writes <see cref="Changes(long)"/> as JSON lines (<c>{"time","type":"new_post|edited|deleted|channel_gone|channel_back",...}</c>).</summary>
    public async Task<long> WriteChangesAsync(TextWriter writer, long untilMs, CancellationToken ct)
    {
        long n = 0;
        foreach (var change in Changes(untilMs))
        {
            ct.ThrowIfCancellationRequested();
            await writer.WriteLineAsync(JsonSerializer.Serialize(change, ChangeJson));
            n++;
        }
        return n;
    }

    /// <summary>Writes authors, posts, feed items, media and takedowns as JSON lines, each with its record type.</summary>
    public async Task<(long Authors, long Posts, long Media)> WriteJsonLinesAsync(TextWriter writer, CancellationToken ct)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        long authors = 0, posts = 0, media = 0;
        async Task Line(string type, object value)
        {
            ct.ThrowIfCancellationRequested();
            var json = JsonSerializer.Serialize(value, value.GetType(), options);
            await writer.WriteLineAsync(new StringBuilder(json.Length + 32).Append("{\"type\":\"").Append(type).Append("\",").Append(json, 1, json.Length - 1).ToString());
        }
        foreach (var a in Authors()) { await Line("author", a); authors++; }
        foreach (var p in Posts()) { await Line("post", p); posts++; }
        foreach (var p in FeedPosts()) { await Line("feed_item", p); }
        foreach (var m in Media()) { await Line("media", m); media++; }
        foreach (var t in Takedowns()) await Line("takedown", t);
        return (authors, posts, media);
    }
}
