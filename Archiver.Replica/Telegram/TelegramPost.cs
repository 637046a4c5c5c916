namespace Archiver.Replica;

public enum TgKind { Text, Service, Photo, Album, Video, RoundVideo, Voice, Document, Poll, LinkPreview }

public sealed record TgMedia(string Kind, MediaFile File, MediaFile? Thumb = null, int DurationSeconds = 0, string? Title = null, string? SizeText = null);

public sealed record TgPoll(string Question, string Type, IReadOnlyList<(string Text, int Percent)> Options, long Voters);

public sealed record TgPreview(string Url, string SiteName, string Title, string Description, MediaFile? Image);

public sealed record TgForward(TelegramChannel Source, long SourceId);

/// <summary>One Telegram post as the generator decided it; the renderer and the ground truth both read this.</summary>
public sealed record TelegramPost
{
    public required TelegramChannel Channel { get; init; }
    public required long Index { get; init; }
    public required long Id { get; init; }
    public required DateTime Date { get; init; }
    public required TgKind Kind { get; init; }
    public required RichText Text { get; init; }
    /// <summary>Service messages carry their own markup (e.g. «strong» spans) instead of <see cref="Text"/>.</summary>
    public string? ServiceHtml { get; init; }
    public string? ServiceText { get; init; }
    public string? Signature { get; init; }
    public bool Edited { get; init; }
    public long Views { get; init; }
    public IReadOnlyList<TgMedia> Media { get; init; } = [];
    public TgPoll? Poll { get; init; }
    public TgForward? Forward { get; init; }
    public long? ReplyToId { get; init; }
    public string? ReplySnippet { get; init; }
    public TgPreview? Preview { get; init; }

    public string DataPost => $"{Channel.Name}/{Id}";
}
