namespace Archiver.Search;

/// <summary>The index schema: real field names, and the friendly names people type in queries.</summary>
public static class IndexFields
{
    public const string Key = "key";
    public const string Text = "text";
    /// <summary>Stored only: what the archive shows of a post in a list of hits (<see cref="SearchDocument.Display"/>).</summary>
    public const string Display = "display";
    public const string Author = "author";
    public const string Channel = "channel";
    public const string Platform = "platform";
    public const string Host = "host";
    public const string Lang = "lang";
    public const string Created = "created";
    public const string Kind = "kind";
    public const string Hashtag = "hashtag";
    public const string Mention = "mention";
    public const string Domain = "domain";
    public const string Media = "media";
    public const string Flag = "flag";
    public const string Views = "views";
    public const string Likes = "likes";

    /// <summary>Languages with a stemmed copy of the text (<c>text_en</c>, ...), used by <c>--stem</c>.</summary>
    public static readonly IReadOnlyList<string> StemmedLanguages = ["en", "fr", "ru", "ar", "de"];

    public static string Stemmed(string lang) => Text + "_" + lang;

    /// <summary>Exact-match fields: indexed lower-cased as one term each.</summary>
    public static readonly IReadOnlySet<string> Keywords = new HashSet<string>(StringComparer.Ordinal)
    {
        Author, Channel, Platform, Host, Lang, Kind, Hashtag, Mention, Domain, Media, Flag,
    };

    /// <summary>Numeric fields (ranges like <c>views:[1000 TO *]</c>).</summary>
    public static readonly IReadOnlySet<string> Numbers = new HashSet<string>(StringComparer.Ordinal) { Created, Views, Likes };

    /// <summary>Fields the results can be counted by (<c>--by</c>), each backed by doc values.</summary>
    public static readonly IReadOnlyList<string> Countable = [Author, Channel, Platform, Lang, Hashtag, Domain];

    /// <summary>
    /// The doc-values field holding the written form of a countable field's values (case kept, a thread's
    /// title), present only on documents where it differs from the folded key.
    /// </summary>
    public static string Shown(string field) => field + "_shown";

    /// <summary>Multi-valued countable fields (sorted-set doc values); the others are single-valued.</summary>
    public static bool IsMultiValued(string field) => field is Hashtag or Domain;

    private static readonly Dictionary<string, string> Friendly = new(StringComparer.OrdinalIgnoreCase)
    {
        ["text"] = Text,
        ["author"] = Author,
        ["user"] = Author,
        ["channel"] = Channel,
        ["platform"] = Platform,
        ["host"] = Host,
        ["lang"] = Lang,
        ["language"] = Lang,
        ["date"] = Created,
        ["created"] = Created,
        ["kind"] = Kind,
        ["hashtag"] = Hashtag,
        ["tag"] = Hashtag,
        ["mention"] = Mention,
        ["domain"] = Domain,
        ["media"] = Media,
        ["is"] = Flag,
        ["has"] = Flag,
        ["flag"] = Flag,
        ["views"] = Views,
        ["likes"] = Likes,
        ["key"] = Key,
        ["id"] = Key,
    };

    public static IEnumerable<string> FriendlyNames => Friendly.Keys.Order(StringComparer.Ordinal);

    /// <summary>The real field for a name typed in a query, or null when the index has no such field.</summary>
    public static string? Resolve(string typed)
    {
        if (Friendly.TryGetValue(typed, out var field)) return field;
        foreach (var lang in StemmedLanguages)
            if (string.Equals(typed, Stemmed(lang), StringComparison.OrdinalIgnoreCase)) return Stemmed(lang);
        return null;
    }

    /// <summary>Flag values (<c>is:reply</c>, <c>has:media</c>, ...).</summary>
    public static class Flags
    {
        public const string Reply = "reply";
        public const string Forward = "forward";
        public const string Edited = "edited";
        public const string Deleted = "deleted";
        public const string Media = "media";
    }
}
