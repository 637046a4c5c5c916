namespace Archiver.Model;

/// <summary>
/// One observation of a post as a platform served it. Plain data: the store adds identity bookkeeping
/// (versions, sightings, deletion) around it; parsers produce it from fetched pages.
/// </summary>
public sealed record Post
{
    public required string Platform { get; init; }
    public required string Host { get; init; }
    public required string NativeId { get; init; }

    /// <summary>Canonical public URL of the post, when it has one.</summary>
    public string? Url { get; init; }

    /// <summary>The channel, group or account timeline the post appeared in (e.g. a Telegram channel username).</summary>
    public string? Channel { get; init; }

    /// <summary>Stable account id of the author where the platform gives one, else the handle.</summary>
    public string? AuthorId { get; init; }
    public string? AuthorHandle { get; init; }
    public string? AuthorName { get; init; }

    public DateTime? CreatedAt { get; init; }
    public DateTime? EditedAt { get; init; }

    /// <summary>Kind of item: post, reply, forward, reblog, service, poll, ...</summary>
    public string Kind { get; init; } = PostKinds.Post;

    /// <summary>The text as a reader sees it (line breaks kept, markup removed).</summary>
    public string Text { get; init; } = "";

    /// <summary>The original markup of the text where the platform serves HTML.</summary>
    public string? Html { get; init; }

    /// <summary>ISO 639-1 code (or BCP 47 tag as the source wrote it) of the text's language, when known.</summary>
    public string? Language { get; init; }

    /// <summary>Where <see cref="Language"/> came from: <see cref="LanguageSources"/> (platform, declared, detected); null when there is no language.</summary>
    public string? LanguageSource { get; init; }
    public string? ReplyTo { get; init; }
    public string? ForwardedFrom { get; init; }
    public string? ForwardedUrl { get; init; }

    public IReadOnlyList<string> Hashtags { get; init; } = [];
    public IReadOnlyList<string> Mentions { get; init; } = [];
    public IReadOnlyList<string> Links { get; init; } = [];
    public IReadOnlyList<MediaRef> Media { get; init; } = [];

    public long? Views { get; init; }
    public long? Likes { get; init; }
    public long? Shares { get; init; }
    public long? Replies { get; init; }

    /// <summary>Platform fields that do not fit the common shape, kept verbatim (string form).</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = EmptyExtra;

    public string Key => PostKey.Of(Platform, Host, NativeId);

    internal static readonly IReadOnlyDictionary<string, string> EmptyExtra = new Dictionary<string, string>();
}

public static class PostKinds
{
    public const string Post = "post";
    public const string Reply = "reply";
    public const string Forward = "forward";
    public const string Reblog = "reblog";
    public const string Service = "service";
}

/// <summary>Where a post's language came from, most trusted first.</summary>
public static class LanguageSources
{
    /// <summary>The platform or dataset gave it for this post (Mastodon <c>language</c>, twarc <c>lang</c>, ...).</summary>
    public const string Platform = "platform";

    /// <summary>The document the post was published in declared it (<c>&lt;html lang&gt;</c>, a feed's <c>&lt;language&gt;</c> or <c>xml:lang</c>).</summary>
    public const string Declared = "declared";

    /// <summary>Detected from the post's text by Archiver.</summary>
    public const string Detected = "detected";

    public static readonly IReadOnlyList<string> All = [Platform, Declared, Detected];

    /// <summary>How much a source is trusted: platform 3, declared 2, detected 1, none 0.</summary>
    public static int Rank(string? source) => source switch
    {
        Platform => 3,
        Declared => 2,
        Detected => 1,
        _ => 0,
    };
}

/// <summary>A post's reference to a media item; the bytes live in the media store once downloaded.</summary>
public sealed record MediaRef
{
    /// <summary>photo, video, round_video, voice, audio, document, sticker, gif, link_preview, ...</summary>
    public required string Kind { get; init; }
    public string? Url { get; init; }
    public string? Sha256 { get; init; }
    public string? Mime { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    public double? DurationSeconds { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
}
