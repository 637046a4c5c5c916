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
        };
        var stored = row.Stored with
        {
            Author = author,
            Capture = row.Stored.Capture is null ? null : row.Stored.Capture with { Url = "" },
        };
        return row with { Key = PostKey.Of(a.Platform, a.Host, author.NativeId), Stored = stored };
    }

    /// <summary>@mentions become @pseudonyms; the post's own author and channel names are replaced where they appear.</summary>
    public string Text(string text, Post? post)
    {
        if (text.Length == 0) return text;
        var result = text.Contains('@') ? Mention().Replace(text, m => "@" + User(m.Groups[1].Value)) : text;
        if (post is null) return result;
        result = ReplaceName(result, post.AuthorName, Name);
        result = ReplaceName(result, post.AuthorHandle, User);
        result = ReplaceName(result, post.Channel, User);
        return result;
    }

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
