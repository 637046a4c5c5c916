using Archiver.Search;

namespace Archiver.Tests.Search;

public sealed class QuerySyntaxErrorTests
{
    private static QuerySyntaxException Fails(string query) =>
        Assert.Throws<QuerySyntaxException>(() => QuerySyntax.Parse(query, Analyzers.PerField()));

    [Fact]
    public void A_dangling_operator_names_the_end_of_the_query_and_what_could_follow()
    {
        var e = Fails("vaccin AND");
        Assert.Equal(10, e.Position);
        Assert.StartsWith("Query error at character 11: found the end of the query but expected ", e.Message);
        Assert.Contains("a word", e.Message);
        Assert.Contains("a \"phrase\"", e.Message);
    }

    [Fact]
    public void An_unclosed_parenthesis_expects_a_closing_one()
    {
        var e = Fails("(vaccin OR vaccine");
        Assert.Contains("found the end of the query but expected", e.Message);
        Assert.Contains("')'", e.Message);
    }

    [Fact]
    public void An_unterminated_phrase_points_at_its_opening_quote()
    {
        var e = Fails("vaccin \"covid vaccine");
        Assert.Equal(7, e.Position);
        Assert.Equal("Query error at character 8: this \"phrase\" is never closed: expected a closing \".\n  vaccin \"covid vaccine\n         ^", e.Message);
    }

    [Fact]
    public void An_unfinished_range_expects_its_end()
    {
        var e = Fails("date:[2021-01-01 TO");
        Assert.Equal(19, e.Position);
        Assert.StartsWith("Query error at character 20: found the end of the query but expected a range bound.", e.Message);
    }

    [Fact]
    public void Positions_refer_to_what_was_typed_even_after_hashtags_are_rewritten()
    {
        var e = Fails("#covid AND )");
        Assert.Equal(11, e.Position);
        Assert.StartsWith("Query error at character 12: found ')'", e.Message);
    }

    [Fact]
    public void Unknown_fields_and_bad_dates_are_errors_not_empty_results()
    {
        Assert.StartsWith("Unknown field 'colour:'", Fails("red colour:blue").Message);
        Assert.Equal(4, Fails("red colour:blue").Position);
        Assert.StartsWith("'date:yesterday' is not a date: expected a date like 2021-01-06", Fails("date:yesterday").Message);
        Assert.StartsWith("'views:many' is not a number", Fails("views:many").Message);
        Assert.StartsWith("'date:' takes a date", Fails("date:2021*").Message);
    }

    [Fact]
    public void An_empty_query_is_an_error() =>
        Assert.StartsWith("The query is empty", Fails("  ").Message);
}
