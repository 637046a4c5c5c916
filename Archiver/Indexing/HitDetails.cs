using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Archiver.Model;
using Archiver.Storage;

namespace Archiver.Indexing;

/// <summary>
/// What a hit shows besides its key and snippet: who wrote it, where, and where to see it. The index keeps it with
/// each post (<see cref="Search.SearchDocument.Display"/>, written whenever the post is indexed, so it changes with
/// the post), and a page of hits reads it from there instead of reading 20 posts from the store: those reads
/// were half of what a search allocated and a third of a server's time (bench serve). An index built before it
/// was kept has none, and the hit is read from the store as before.
/// </summary>
public sealed record HitDetails(
    string? Url, string Platform, string? Author, string? AuthorName, string? Channel, string? ChannelTitle, string? Lang,
    IReadOnlyList<string> MediaKinds, bool HasText)
{
    public static HitDetails Of(StoredPost stored) => Of(stored.Post, stored.Capture);

    /// <param name="capture">Where the post was archived from: the URL shown for a post without its own (a forum post).</param>
    public static HitDetails Of(Post post, Capture? capture) => new(
        post.Url ?? capture?.Url,
        post.Platform,
        post.AuthorHandle ?? post.AuthorId,
        post.AuthorName,
        SearchDocuments.ChannelOf(post),
        SearchDocuments.ChannelTitleOf(post),
        post.Language,
        post.Media.Select(m => m.Kind).ToList(),
        !string.IsNullOrWhiteSpace(post.Text));

    // Short names: the index keeps one of these per post.
    private const string UrlKey = "u", PlatformKey = "p", AuthorNameKey = "n", AuthorKey = "a", ChannelKey = "c",
        TitleKey = "t", LangKey = "l", MediaKey = "m", HasTextKey = "x";

    /// <summary>The compact JSON the index stores (<see cref="Search.SearchDocument.Display"/>).</summary>
    public string ToDisplay()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        // Letters as they are (Cyrillic, Arabic): the value is stored, never put in a page as it is.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            Write(json, UrlKey, Url);
            Write(json, PlatformKey, Platform);
            Write(json, AuthorKey, Author);
            Write(json, AuthorNameKey, AuthorName);
            Write(json, ChannelKey, Channel);
            Write(json, TitleKey, ChannelTitle);
            Write(json, LangKey, Lang);
            if (MediaKinds.Count > 0)
            {
                json.WriteStartArray(MediaKey);
                foreach (var kind in MediaKinds) json.WriteStringValue(kind);
                json.WriteEndArray();
            }
            json.WriteBoolean(HasTextKey, HasText);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads <see cref="ToDisplay"/>'s form; null when it is not that (then the store is asked).</summary>
    public static HitDetails? FromDisplay(string? display)
    {
        if (string.IsNullOrEmpty(display)) return null;
        string? url = null, platform = null, author = null, authorName = null, channel = null, title = null, lang = null;
        var media = new List<string>();
        bool? hasText = null;
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(display));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case UrlKey: url = reader.GetString(); break;
                    case PlatformKey: platform = reader.GetString(); break;
                    case AuthorKey: author = reader.GetString(); break;
                    case AuthorNameKey: authorName = reader.GetString(); break;
                    case ChannelKey: channel = reader.GetString(); break;
                    case TitleKey: title = reader.GetString(); break;
                    case LangKey: lang = reader.GetString(); break;
                    case HasTextKey: hasText = reader.GetBoolean(); break;
                    case MediaKey:
                        if (reader.TokenType != JsonTokenType.StartArray) return null;
                        while (reader.Read() && reader.TokenType == JsonTokenType.String) media.Add(reader.GetString()!);
                        break;
                    default: reader.Skip(); break;
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
        return platform is null || hasText is null ? null : new HitDetails(url, platform, author, authorName, channel, title, lang, media, hasText.Value);
    }

    private static void Write(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null) json.WriteString(name, value);
    }
}
