using System.Security.Cryptography;
using System.Text;
using Archiver.Model;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Export;

/// <summary>
/// A small archive with the cases an export must carry: list items with separators, formula-like text,
/// a post edited twice, a deleted post, provenance, a downloaded media file, authors, extra fields.
/// </summary>
public sealed class ExportFixture : IDisposable
{
    public static readonly DateTime Seen1 = new(2024, 3, 1, 10, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime Seen2 = new(2024, 3, 2, 10, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime Seen3 = new(2024, 3, 3, 10, 0, 0, DateTimeKind.Utc);
    public static readonly byte[] MediaBytes = Encoding.UTF8.GetBytes("not really a jpeg, but bytes with a known hash");
    public static readonly string MediaSha = Convert.ToHexStringLower(SHA256.HashData(MediaBytes));

    public const string AliceKey = "telegram:t.me:alice_news/7";
    public const string BobKey = "mastodon:social.example:109300";
    public const string GoneKey = "telegram:t.me:alice_news/8";

    public TempArchive Archive { get; } = new();
    public string Data => Archive.File("data");
    public string Out(string name) => Archive.File(name);

    public static Post Alice => new()
    {
        Platform = "telegram",
        Host = "t.me",
        NativeId = "alice_news/7",
        Url = "https://t.me/alice_news/7",
        Channel = "alice_news",
        AuthorHandle = "alice_news",
        AuthorName = "Alice Newsroom",
        CreatedAt = new DateTime(2024, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc),
        Text = "=SUM(A1:A9) hello @bob_the_builder and @carol_w, line two\nsee https://example.org/a?b=1,2",
        Hashtags = ["news", "a|b"],
        Mentions = ["bob_the_builder", "carol_w"],
        Links = ["https://example.org/a?b=1,2"],
        Media = [new MediaRef { Kind = "photo", Url = "https://cdn.example/p.jpg", Sha256 = MediaSha, Mime = "image/jpeg", Width = 1280, Height = 720, DurationSeconds = 2.5, Description = "a cat" }],
        Views = 12345,
        Language = "en",
        Extra = new Dictionary<string, string> { ["edited"] = "true", ["poll"] = "{\"q\":\"x\"}" },
    };

    public static Post Bob(int edition) => new()
    {
        Platform = "mastodon",
        Host = "social.example",
        NativeId = "109300",
        Url = "https://social.example/@bob_the_builder/109300",
        AuthorId = "109",
        AuthorHandle = "bob_the_builder",
        AuthorName = "Bob B.",
        CreatedAt = new DateTime(2024, 2, 10, 12, 0, 0, DateTimeKind.Utc),
        Kind = PostKinds.Reply,
        ReplyTo = "109299",
        Text = edition == 0 ? "-1 points to @alice_news" : $"-1 points to @alice_news (edit {edition})",
        Likes = 3 + edition,
        Shares = 1,
        Replies = 0,
    };

    public static Post Gone => Alice with { NativeId = "alice_news/8", Url = "https://t.me/alice_news/8", Text = "soon deleted", Hashtags = [], Mentions = [], Links = [], Media = [], Extra = new Dictionary<string, string>() };

    public static readonly Archiver.Model.Capture AliceCapture = new()
    {
        Url = "https://t.me/s/alice_news",
        FetchedAt = Seen1,
        Status = 200,
        PayloadSha256 = new string('a', 64),
        WarcFile = "crawl-0001.warc.gz",
        WarcOffset = 4096,
        WarcRecordId = "<urn:uuid:12345678-1234-1234-1234-123456789abc>",
    };

    public ExportFixture()
    {
        using var store = ArchiveStore.Open(Data);
        var mediaPath = $"media/{MediaSha[..2]}/{MediaSha}.jpg";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Data, mediaPath))!);
        File.WriteAllBytes(Path.Combine(Data, mediaPath), MediaBytes);
        store.Write(new StoreBatch
        {
            Posts = [new(Alice, Seen1, AliceCapture), new(Bob(0), Seen1), new(Gone, Seen1)],
            Authors =
            [
                new(new Author { Platform = "telegram", Host = "t.me", NativeId = "alice_news", Handle = "alice_news", DisplayName = "Alice Newsroom", Kind = "channel", Followers = 5000, Url = "https://t.me/alice_news" }, Seen1),
                new(new Author { Platform = "mastodon", Host = "social.example", NativeId = "109", Handle = "bob_the_builder", DisplayName = "Bob B.", Description = "friend of @carol_w", Followers = 12 }, Seen1),
                new(new Author { Platform = "mastodon", Host = "social.example", NativeId = "999", Handle = "unrelated", DisplayName = "Nobody" }, Seen1),
            ],
            Media = [new Media { Sha256 = MediaSha, Mime = "image/jpeg", Size = MediaBytes.Length, SourceUrl = "https://cdn.example/p.jpg", LocalPath = mediaPath, FetchedAt = Seen1 }],
        });
        store.Write(new StoreBatch
        {
            Posts = [new(Bob(1), Seen2)],
            Disappearances = [new Disappearance(GoneKey, DisappearanceKind.Post, Seen2, 410, "HTTP 410 on re-check")],
        });
        store.Write(new StoreBatch { Posts = [new(Bob(2), Seen3)] });
    }

    public void Dispose() => Archive.Dispose();
}
