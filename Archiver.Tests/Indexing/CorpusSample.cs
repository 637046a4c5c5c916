using System.Text.Json;

namespace Archiver.Tests.Indexing;

/// <summary>JSONL in the shared benchmark corpus's shape, with words whose counts the tests know.</summary>
internal static class CorpusSample
{
    /// <summary>Lines in the shared corpus's shape; every third post mentions "harbour", odd ones get <paramref name="oddWord"/>.</summary>
    public static string Lines(int count, string oddWord = "lantern", Func<int, bool>? include = null)
    {
        var lines = new List<string>();
        for (var i = 0; i < count; i++)
        {
            if (include is not null && !include(i)) continue;
            var text = $"post number {i} {(i % 3 == 0 ? "harbour" : "meadow")} {(i % 2 == 1 ? oddWord : "pebble")}";
            lines.Add(JsonSerializer.Serialize(new
            {
                id = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                platform = "telegram",
                channel = $"chan{i % 7}",
                author = $"author{i % 11}",
                created_at = "2021-01-06T18:30:02Z",
                lang = i % 4 == 0 ? "fr" : "en",
                text,
                hashtags = new[] { "tag" + (i % 5) },
                urls = new[] { "https://www.example.org/" + i },
            }));
        }
        return string.Join('\n', lines) + "\n";
    }
}
