using Archiver.Model;
using Archiver.Storage;

namespace Archiver.Tests.Indexing;

/// <summary>Small posts written to a real store for the indexing tests.</summary>
internal static class StorePosts
{
    public static readonly DateTime Seen = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static Post Make(string id, string text, string channel = "news", string lang = "en", int day = 1) => new()
    {
        Platform = "telegram",
        Host = "t.me",
        NativeId = $"{channel}/{id}",
        Channel = channel,
        AuthorHandle = channel,
        CreatedAt = new DateTime(2021, 1, day, 12, 0, 0, DateTimeKind.Utc),
        Text = text,
        Language = lang,
        Links = ["https://www.example.org/a"],
    };

    public static StoreBatch Batch(params Post[] posts) => new() { Posts = posts.Select(p => new PostObservation(p, Seen)).ToList() };
}
