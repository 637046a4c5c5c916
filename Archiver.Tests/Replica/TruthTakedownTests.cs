using System.Text.Json;

namespace Archiver.Tests.Replica;

public sealed class TruthTakedownTests
{
    [Fact]
    public async Task Replica_truth_with_takedowns_lists_them_and_leaves_out_the_posts_no_longer_served()
    {
        var plain = await Support.Cli.RunAsync("replica", "truth", "--seed", "1", "--version", "2", "--out", "-");
        var down = await Support.Cli.RunAsync("replica", "truth", "--seed", "1", "--version", "2", "--out", "-",
            "--faults", "mastodon.takedown=alice@410,telegram.takedown=infolibre");

        Assert.Equal(0, plain.ExitCode);
        Assert.True(down.ExitCode == 0, down.Error);
        static List<JsonElement> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var before = Lines(plain.Out);
        var after = Lines(down.Out);
        var takedowns = after.Where(l => l.GetProperty("type").GetString() == "takedown").ToList();
        Assert.Equal(["mastodon alice account 410", "telegram infolibre channel 451"],
            takedowns.Select(t => $"{t.GetProperty("platform").GetString()} {t.GetProperty("name").GetString()} {t.GetProperty("kind").GetString()} {t.GetProperty("status").GetInt32()}").Order());
        Assert.Equal("telegram:127.0.0.1:8470:infolibre", takedowns.Single(t => t.GetProperty("platform").GetString() == "telegram").GetProperty("key").GetString());
        Assert.DoesNotContain(before, l => l.GetProperty("type").GetString() == "takedown");

        static bool Hidden(JsonElement l) => l.GetProperty("type").GetString() == "post"
            && ((l.GetProperty("platform").GetString() == "telegram" && l.GetProperty("channel").GetString() == "infolibre")
                || (l.GetProperty("platform").GetString() == "mastodon" && l.GetProperty("author_handle").GetString() == "alice"));
        var hidden = before.Count(Hidden);
        Assert.True(hidden > 0);
        Assert.DoesNotContain(after, Hidden);
        Assert.Equal(before.Count(l => l.GetProperty("type").GetString() == "post") - hidden, after.Count(l => l.GetProperty("type").GetString() == "post"));
    }
}
