namespace Archiver.Tests.Support;

/// <summary>Archived posts an attacker wrote, for the tests that show archived text in a browser.</summary>
public static class HostilePosts
{
    /// <summary>An archived post whose text is markup that would run if it were not escaped (JSONL, as <c>archiver import</c> reads it).</summary>
    public static string Line(string channel) => System.Text.Json.JsonSerializer.Serialize(new
    {
        id = "te-hostile",
        platform = "telegram",
        channel,
        author = "mallory",
        created_at = "2024-06-01T00:00:00Z",
        lang = "en",
        text = "<img src=x onerror=alert(1)> the budget <script>alert(2)</script>",
        hashtags = Array.Empty<string>(),
        urls = Array.Empty<string>(),
    });
}
