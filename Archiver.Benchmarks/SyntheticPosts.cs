using Archiver.Model;

namespace Archiver.Benchmarks;

/// <summary>Deterministic posts of realistic size (~300 characters of text) for store benchmarks and tests.</summary>
public static class SyntheticPosts
{
    private static readonly string[] Words =
    [
        "the", "vote", "election", "liberté", "канал", "новости", "حرية", "Wahl", "people", "freedom", "média",
        "report", "video", "breaking", "update", "police", "city", "march", "government", "truth", "война",
        "protest", "gouvernement", "Regierung", "صحافة", "journalist", "archive", "source", "evidence", "today",
    ];

    public static Post Make(int i, int edition = 0)
    {
        var random = new Random(i * 7919 + 17);
        var text = new System.Text.StringBuilder(340);
        while (text.Length < 300) text.Append(Words[random.Next(Words.Length)]).Append(' ');
        if (edition > 0) text.Append(" [edit ").Append(edition).Append(']');
        var channel = $"channel{i % 500}";
        return new Post
        {
            Platform = "telegram",
            Host = "t.me",
            NativeId = $"{channel}/{i}",
            Url = $"https://t.me/{channel}/{i}",
            Channel = channel,
            AuthorHandle = channel,
            CreatedAt = new DateTime(2021, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(i * 13L),
            Text = text.ToString(),
            Language = "en",
            Hashtags = i % 5 == 0 ? ["news", $"tag{i % 97}"] : [],
            Views = 1000 + i % 1000,
        };
    }
}
