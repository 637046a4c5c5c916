using Archiver.Platforms.Common;

namespace Archiver.Tests.Platforms.Common;

public sealed class ApproximateCountTests
{
    [Theory]
    [InlineData("2", 2L, false)]
    [InlineData("746", 746L, false)]
    [InlineData("1,234", 1234L, false)]
    [InlineData("12 345", 12345L, false)]
    [InlineData("1.2K", 1200L, true)]
    [InlineData("436.6K", 436600L, true)]
    [InlineData("6.0K", 6000L, true)]
    [InlineData("3M", 3000000L, true)]
    [InlineData("3.1M", 3100000L, true)]
    [InlineData("1.1B", 1100000000L, true)]
    [InlineData("1,2K", 1200L, true)]
    [InlineData(" 9.7k ", 9700L, true)]
    public void Parses_displayed_counts_with_and_without_suffixes(string text, long expected, bool approximate)
    {
        Assert.True(ApproximateCount.TryParse(text, out var value, out var isApproximate));
        Assert.Equal(expected, value);
        Assert.Equal(approximate, isApproximate);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("K")]
    [InlineData("views")]
    [InlineData("1.5")]
    [InlineData("-3")]
    [InlineData("1..2K")]
    [InlineData("99999999999999999999999B")]
    public void Rejects_text_that_is_not_a_count(string? text)
    {
        Assert.False(ApproximateCount.TryParse(text, out _, out _));
        Assert.Null(ApproximateCount.Parse(text));
    }

    // The page-text reader of the merged class (Sites, Parler) finds the first count in a text; TryParse wants the whole text to be one.
    [Theory]
    [InlineData("12 likes", 12L)]
    [InlineData("1,234", 1234L)]
    [InlineData("1 234 567", 1234567L)]
    [InlineData("1.2K", 1200L)]
    [InlineData("3 M", 3000000L)]
    [InlineData("none", null)]
    public void Finds_the_first_count_in_a_text(string text, long? expected) => Assert.Equal(expected, ApproximateCount.Find(text));

    [Fact]
    public void A_count_inside_words_is_found_but_is_not_a_count_by_itself()
    {
        Assert.Equal(12, ApproximateCount.Find("12 likes"));
        Assert.Null(ApproximateCount.Parse("12 likes"));
    }
}
