namespace Archiver.Import;

/// <summary>The kinds of input <c>archiver import</c> reads.</summary>
public enum ImportFormat
{
    Auto,
    /// <summary>The shared benchmark corpus (bench/gen_corpus.py): id, platform, channel, author, created_at, lang, text, hashtags, urls.</summary>
    Corpus,
    /// <summary>The 2021 Parler dataset's newline-delimited JSON (Aliapoulios et al.).</summary>
    Parler,
    /// <summary>snscrape's JSONL (<c>snscrape --jsonl telegram-channel ...</c>, Mastodon items).</summary>
    Snscrape,
    /// <summary>twarc2 JSONL: Twitter API v2 responses (one page of tweets with includes per line) or flattened tweets.</summary>
    Twarc,
    /// <summary>Archiver's own JSONL export (<c>posts.jsonl</c>; the <c>authors.jsonl</c> and <c>media.jsonl</c> beside it come along).</summary>
    Jsonl,
    /// <summary>Mastodon API statuses (also Truth Social, Gab): a saved JSON array (timeline, account statuses) or one status per line.</summary>
    Mastodon,
}

/// <summary>Parses the <c>--format</c> value with a message that lists the accepted names.</summary>
public static class ImportFormats
{
    public static ImportFormat Parse(string value) =>
        Enum.TryParse<ImportFormat>(value, ignoreCase: true, out var format) && Enum.IsDefined(format)
            ? format
            : throw new UsageException($"Unknown import format '{value}'. Use one of: {string.Join(", ", Enum.GetNames<ImportFormat>().Select(n => n.ToLowerInvariant()))}.");
}
