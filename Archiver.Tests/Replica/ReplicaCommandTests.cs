using System.Text.Json;

namespace Archiver.Tests.Replica;

public sealed class ReplicaCommandTests
{
    [Fact]
    public async Task Truth_writes_authors_posts_feed_items_and_media_as_json_lines()
    {
        var file = Path.Combine(Path.GetTempPath(), $"replica-truth-{Guid.NewGuid():N}.jsonl");
        try
        {
            var result = await Support.Cli.RunAsync("replica", "truth", "--seed", "4", "--size", "posts:300", "--version", "2", "--port", "9100", "--out", file);

            var lines = File.ReadAllLines(file).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            var types = lines.GroupBy(l => l.GetProperty("type").GetString()!).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(0, result.ExitCode);
            Assert.Contains($"{types["author"]} authors, {types["post"]} posts and {types["media"]} media files", result.Error);
            var expected = new Archiver.Replica.ReplicaTruth(new Archiver.Replica.ReplicaNetwork(4, Archiver.Replica.ReplicaSize.Posts(300)), Archiver.Replica.ReplicaEndpoints.FromPort(9100), 2).Posts().Count();
            Assert.Equal(expected, types["post"]);
            Assert.NotEqual(300, expected);
            Assert.True(types["feed_item"] > 0);
            var post = lines.First(l => l.GetProperty("type").GetString() == "post");
            Assert.Equal("telegram", post.GetProperty("platform").GetString());
            Assert.Equal("127.0.0.1:9100", post.GetProperty("host").GetString());
            Assert.StartsWith("http://127.0.0.1:9100/", post.GetProperty("url").GetString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Same_seed_writes_the_same_truth_file()
    {
        var a = await Support.Cli.RunAsync("replica", "truth", "--seed", "11", "--out", "-");
        var b = await Support.Cli.RunAsync("replica", "truth", "--seed", "11", "--out", "-");

        Assert.Equal(0, a.ExitCode);
        Assert.Equal(a.Out, b.Out);
        Assert.True(a.Out.Split('\n').Length > 500);
    }

    [Theory]
    [InlineData("truth", "--size", "enormous", "--out", "-")]
    [InlineData("truth", "--version", "3", "--out", "-")]
    [InlineData("serve", "--faults", "error=lots")]
    [InlineData("serve", "--auth-required", "telegram")]
    public async Task Bad_options_exit_with_usage_errors(params string[] args)
    {
        var result = await Support.Cli.RunAsync(["replica", .. args]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Error);
    }
}
