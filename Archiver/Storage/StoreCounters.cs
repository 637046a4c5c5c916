using LiteDB;

namespace Archiver.Storage;

/// <summary>
/// Running totals kept in the same transaction as the records they count, so <c>archiver stats</c>
/// answers without scanning millions of posts.
/// </summary>
public sealed partial record StoreCounters
{
    public long Posts { get; init; }
    public long PostsDeleted { get; init; }
    public long Versions { get; init; }
    public long Authors { get; init; }
    public long AuthorsGone { get; init; }
    public long Media { get; init; }
    public long MediaBytes { get; init; }
    public IReadOnlyDictionary<string, long> ByPlatform { get; init; } = new Dictionary<string, long>();
    public IReadOnlyDictionary<string, long> ByChannel { get; init; } = NoChannels;

    internal static readonly IReadOnlyDictionary<string, long> NoChannels = new Dictionary<string, long>();

    internal static StoreCounters FromBson(BsonValue? value)
    {
        if (value is null || !value.IsDocument) return new StoreCounters();
        var doc = value.AsDocument;
        return new StoreCounters
        {
            Posts = Get(doc, "posts"),
            PostsDeleted = Get(doc, "postsDeleted"),
            Versions = Get(doc, "versions"),
            Authors = Get(doc, "authors"),
            AuthorsGone = Get(doc, "authorsGone"),
            Media = Get(doc, "media"),
            MediaBytes = Get(doc, "mediaBytes"),
            ByPlatform = Map(doc, "byPlatform"),
            ByChannel = Map(doc, "byChannel"),
        };
    }

    internal BsonDocument ToBson()
    {
        var doc = new BsonDocument
        {
            ["posts"] = Posts,
            ["postsDeleted"] = PostsDeleted,
            ["versions"] = Versions,
            ["authors"] = Authors,
            ["authorsGone"] = AuthorsGone,
            ["media"] = Media,
            ["mediaBytes"] = MediaBytes,
            ["byPlatform"] = ToArray(ByPlatform),
            ["byChannel"] = ToArray(ByChannel),
        };
        return doc;
    }

    private static long Get(BsonDocument doc, string name) =>
        doc.TryGetValue(name, out var v) && v.IsNumber ? v.AsInt64 : 0;

    // Keys are platform/channel names that may contain '.', so stored as pairs rather than field names.
    private static BsonArray ToArray(IReadOnlyDictionary<string, long> map)
    {
        var array = new BsonArray();
        foreach (var (k, v) in map) array.Add(new BsonArray { k, v });
        return array;
    }

    private static IReadOnlyDictionary<string, long> Map(BsonDocument doc, string name)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        if (doc.TryGetValue(name, out var v) && v.IsArray)
        {
            foreach (var pair in v.AsArray) result[pair.AsArray[0].AsString] = pair.AsArray[1].AsInt64;
        }
        return result;
    }
}
