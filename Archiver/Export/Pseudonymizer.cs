using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Archiver.Model;

namespace Archiver.Export;

/// <summary>
/// Replaces who-said-it fields by keyed pseudonyms: <c>user_</c> + the first 16 hex digits of
/// HMAC-SHA256(key, "user\0" + lower-cased handle or id). The same key gives the same pseudonym in every
/// export, so pseudonymised datasets can be joined; without the key a pseudonym cannot be reversed or
/// recomputed from a guessed handle. It is pseudonymisation, not anonymisation: see docs/export-schema.md.
/// </summary>
public sealed partial class Pseudonymizer
{
    public const int MinKeyBytes = 32;
    private const int CacheLimit = 200_000;

    private readonly byte[] _key;
    // Handles repeat across posts; caching their pseudonyms saves most HMACs. Cleared when full: bounded memory.
    private readonly Dictionary<string, string> _cache = new(StringComparer.Ordinal);

    public Pseudonymizer(byte[] key)
    {
        if (key.Length < MinKeyBytes) throw new UsageException($"A pseudonymisation key needs at least {MinKeyBytes} bytes; {HowToCreateKey}");
        _key = key;
    }

    public const string HowToCreateKey = "create one with 'head -c 32 /dev/urandom > archiver.key' and keep it secret (never inside an export).";

    /// <summary>Reads a key file: raw bytes, or text (trailing whitespace ignored). Missing or short: a usage error.</summary>
    public static Pseudonymizer FromKeyFile(string? path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UsageException($"--pseudonymise needs --key-file FILE; {HowToCreateKey}");
        if (!File.Exists(path)) throw new UsageException($"Key file {path} does not exist; {HowToCreateKey}");
        var bytes = File.ReadAllBytes(path);
        var length = bytes.Length;
        // A key typed or generated as text (hex, base64) usually ends with a newline that is not part of it.
        if (bytes.AsSpan(0, length).TrimEnd("\r\n"u8).IndexOfAnyExceptInRange((byte)0x20, (byte)0x7e) < 0)
            length = bytes.AsSpan(0, length).TrimEnd("\r\n"u8).Length;
        if (length < MinKeyBytes)
            throw new UsageException($"Key file {path} holds {length} bytes; a key needs at least {MinKeyBytes} bytes; {HowToCreateKey}");
        return new Pseudonymizer(bytes[..length]);
    }

    /// <summary>The pseudonym of an account handle, account id or channel name (case and a leading @ ignored).</summary>
    public string User(string value) => Pseudonym("user", Normalize(value));

    /// <summary>The pseudonym of a display name.</summary>
    public string Name(string value) => Pseudonym("name", value.Trim());

    /// <summary>The pseudonym of a post's native id within its platform and host: keeps replies joinable.</summary>
    public string PostId(string platform, string host, string nativeId) => Pseudonym("post", PostKey.Of(platform, host, nativeId));

    /// <summary>Names an archive knows (every author's handle and display name, every post's author and channel), replaced wherever they appear in text.</summary>
    private Regex? _knownNames;
    private Dictionary<string, string>? _knownPseudonyms;

    /// <summary>More known names than this are not searched for in texts (a regex that large is too slow); each post's own author still is.</summary>
    public const int MaxKnownNames = 100_000;

    /// <summary>
    /// Teaches the pseudonymiser every name the archive knows, so a person named in someone else's text,
    /// in a link to their profile, in a poll or a card is replaced too, not only the post's own author.
    /// Returns false when there were too many to search for (see <see cref="MaxKnownNames"/>).
    /// </summary>
    public bool LearnNames(IEnumerable<string> handles, IEnumerable<string> names)
    {
        var pseudonyms = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var n in names)
        {
            var t = n.Trim();
            if (t.Length >= 3 && !IsNumber(t)) pseudonyms[t] = Name(t);
        }
        // Handles win over display names when the same text is both.
        foreach (var h in handles)
        {
            var t = h.Trim().TrimStart('@');
            if (t.Length >= 3 && !IsNumber(t)) pseudonyms[t] = User(t);
        }
        if (pseudonyms.Count > MaxKnownNames) return false;
        if (pseudonyms.Count == 0) return true;
        _knownPseudonyms = pseudonyms;
        // Descending order puts "alice taylor" before "alice" (a longer name before its prefix, so it is
        // replaced whole) and keeps names with a common prefix adjacent, which the regex engine factors
        // into shared branches instead of trying every name at every position.
        _knownNames = new Regex(string.Join("|", pseudonyms.Keys.Select(k => k.ToLowerInvariant()).Distinct().OrderDescending(StringComparer.Ordinal).Select(Regex.Escape)),
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        return true;
    }

    private static bool IsNumber(string value) => value.All(char.IsAsciiDigit);

    public MediaRow Apply(MediaRow row) => row with { Media = row.Media with { SourceUrl = "" } };

    public PostRow Apply(PostRow row)
    {
        var p = row.Post;
        var post = p with
        {
            NativeId = PostId(p.Platform, p.Host, p.NativeId),
            Url = null,
            Html = null,
            Channel = Opt(p.Channel, User),
            AuthorId = Opt(p.AuthorId, User),
            AuthorHandle = Opt(p.AuthorHandle, User),
            AuthorName = Opt(p.AuthorName, Name),
            Text = Text(p.Text, p),
            ReplyTo = p.ReplyTo is null ? null : PostId(p.Platform, p.Host, p.ReplyTo),
            ForwardedFrom = Opt(p.ForwardedFrom, User),
            ForwardedUrl = null,
            Mentions = p.Mentions.Count == 0 ? p.Mentions : p.Mentions.Select(User).ToList(),
            Hashtags = p.Hashtags.Count == 0 ? p.Hashtags : p.Hashtags.Select(h => Text(h, p)).ToList(),
            // Links stay (their domains are research data) with every known name in them replaced.
            Links = p.Links.Count == 0 ? p.Links : p.Links.Select(l => Text(l, p)).ToList(),
            Media = p.Media.Count == 0 ? p.Media : p.Media.Select(m => m with
            {
                Url = null,
                Title = m.Title is null ? null : Text(m.Title, p),
                Description = m.Description is null ? null : Text(m.Description, p),
            }).ToList(),
            Extra = Extra(p.Extra, p),
        };
        return row with
        {
            Key = PostKey.Of(p.Platform, p.Host, post.NativeId),
            Post = post,
            Capture = row.Capture is null ? null : row.Capture with { Url = "" },
        };
    }

    public AuthorRow Apply(AuthorRow row)
    {
        var a = row.Author;
        var author = a with
        {
            NativeId = User(a.NativeId),
            Handle = Opt(a.Handle, User),
            DisplayName = Opt(a.DisplayName, Name),
            Description = a.Description is null ? null : Text(a.Description, null),
            Url = null,
            AvatarUrl = null,
            Extra = Extra(a.Extra, null),
        };
        var stored = row.Stored with
        {
            Author = author,
            Capture = row.Stored.Capture is null ? null : row.Stored.Capture with { Url = "" },
        };
        return row with { Key = PostKey.Of(a.Platform, a.Host, author.NativeId), Stored = stored };
    }

    /// <summary>
    /// @mentions become @pseudonyms; the post's own author and channel names, and every name the archive
    /// knows (<see cref="LearnNames"/>), are replaced where they appear.
    /// </summary>
    public string Text(string text, Post? post)
    {
        if (text.Length == 0) return text;
        var result = text.Contains('@') ? Mention().Replace(text, m => "@" + User(m.Groups[1].Value)) : text;
        if (_knownNames is not null) result = _knownNames.Replace(result, m => _knownPseudonyms!.TryGetValue(m.Value, out var known) ? known : m.Value);
        if (post is null) return result;
        result = ReplaceName(result, post.AuthorName, Name);
        result = ReplaceName(result, post.AuthorHandle, User);
        result = ReplaceName(result, post.Channel, User);
        return result;
    }

    /// <summary>
    /// Platform fields outside the common shape: those that are a person (username, signature, account ids)
    /// get pseudonyms, post ids post pseudonyms; URLs and markup (profile and status URIs, cards, notes as
    /// HTML, e-mail addresses) are dropped, as they spell out handles in ways text replacement cannot
    /// promise to catch; any other text has names and @mentions replaced.
    /// </summary>
    private IReadOnlyDictionary<string, string> Extra(IReadOnlyDictionary<string, string> extra, Post? post)
    {
        if (extra.Count == 0) return extra;
        var result = new Dictionary<string, string>(extra.Count, StringComparer.Ordinal);
        foreach (var (key, value) in extra)
        {
            var k = key.ToLowerInvariant();
            if (k is "username" or "acct" or "account" or "in_reply_to_account_id" or "author_id" or "forwarded_from_id")
                result[key] = User(value);
            else if (k is "signature" or "author" or "author_name" or "display_name" or "name")
                result[key] = Name(value);
            else if (k is "reblog_of" or "quote_id" && post is not null)
                result[key] = PostId(post.Platform, post.Host, value);
            else if (IsLocator(k, value))
                continue;
            else
                result[key] = Text(value, post);
        }
        return result;
    }

    private static bool IsLocator(string key, string value) =>
        key.EndsWith("url", StringComparison.Ordinal) || key.EndsWith("uri", StringComparison.Ordinal) || key.EndsWith("html", StringComparison.Ordinal)
        || key.Contains("email", StringComparison.Ordinal) || key is "header" or "avatar" or "fields" or "comments" or "href"
        || value.Contains("://", StringComparison.Ordinal);

    private static string ReplaceName(string text, string? name, Func<string, string> pseudonym)
    {
        // Very short names ("A", "TV") would replace ordinary words; documented as a limit.
        if (name is null || name.Trim().Length < 3) return text;
        var trimmed = name.Trim();
        return text.Contains(trimmed, StringComparison.OrdinalIgnoreCase)
            ? text.Replace(trimmed, pseudonym(trimmed), StringComparison.OrdinalIgnoreCase)
            : text;
    }

    private string Pseudonym(string kind, string value)
    {
        var cacheKey = string.Concat(kind, "\0", value);
        if (_cache.TryGetValue(cacheKey, out var known)) return known;
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(cacheKey), mac);
        var pseudonym = kind + "_" + Convert.ToHexStringLower(mac[..8]);
        if (_cache.Count >= CacheLimit) _cache.Clear();
        _cache[cacheKey] = pseudonym;
        return pseudonym;
    }

    private static string Normalize(string value) => value.Trim().TrimStart('@').ToLowerInvariant();

    private static string? Opt(string? value, Func<string, string> map) => string.IsNullOrEmpty(value) ? value : map(value);

    // @handle or @user@host.tld, not preceded by a word character (so e-mail addresses are left alone).
    [GeneratedRegex(@"(?<![\w@])@([A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?)", RegexOptions.CultureInvariant)]
    private static partial Regex Mention();
}
