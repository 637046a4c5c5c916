using Archiver.Tests.Support;

namespace Archiver.Tests.Platforms;

public sealed class ParseBenchCommandTests
{
    [Fact]
    public async Task Prints_pages_posts_and_megabytes_per_second_for_both_parsers()
    {
        var result = await Support.Bench.RunAsync("parse", "--seconds", "0.2", "--fixtures", Fixtures.Root);
        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("telegram t.me/s, 20-post pages") && l.Contains("pages/s") && l.Contains("posts/s") && l.Contains("MB/s"));
        Assert.Contains(lines, l => l.Contains("mastodon API, 40-status timelines") && l.Contains("posts/s"));
    }

    [Theory]
    [InlineData("--seconds", "0")]
    [InlineData("--fixtures", "/nonexistent/fixtures")]
    public async Task Rejects_bad_options_with_usage_exit_code(string option, string value)
    {
        var result = await Support.Bench.RunAsync("parse", option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Error);
    }
}
