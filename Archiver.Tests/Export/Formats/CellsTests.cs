using Archiver.Export.Formats;

namespace Archiver.Tests.Export.Formats;

public sealed class CellsTests
{
    [Theory]
    [InlineData(new string[0], "")]
    [InlineData(new[] { "news" }, "news")]
    [InlineData(new[] { "a|b", "c\\d", "" }, "a\\|b|c\\\\d|")]
    public void Lists_join_with_a_pipe_and_escape_it_and_split_back(string[] items, string cell)
    {
        Assert.Equal(cell, Cells.JoinList(items));
        Assert.Equal(items.Length == 1 && items[0] == "" ? [] : items, Cells.SplitList(cell));
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+49 30", "'+49 30")]
    [InlineData("-x", "'-x")]
    [InlineData("@home", "'@home")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "'\rcmd")]
    [InlineData("plain = text", "plain = text")]
    [InlineData("", "")]
    public void Formula_guard_prefixes_dangerous_first_characters_only(string value, string expected)
    {
        Assert.Equal(expected, Cells.GuardFormula(value));
    }

    [Fact]
    public void Timestamps_are_ISO_8601_UTC_with_milliseconds_whatever_the_kind()
    {
        Assert.Equal("2024-01-02T03:04:05.678Z", Cells.Timestamp(new DateTime(2024, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc)));
        Assert.Equal("2024-01-02T03:04:05.000Z", Cells.Timestamp(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Unspecified)));
    }

    [Fact]
    public void Extra_maps_are_compact_JSON_with_sorted_keys()
    {
        Assert.Equal("{\"a\":\"1\",\"b\":\"é \\\"q\\\"\"}", Cells.JsonObject(new Dictionary<string, string> { ["b"] = "é \"q\"", ["a"] = "1" }));
        Assert.Equal("{}", Cells.JsonObject(new Dictionary<string, string>()));
    }
}
