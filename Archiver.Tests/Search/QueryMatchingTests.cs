namespace Archiver.Tests.Search;

public sealed class QueryMatchingTests : IClassFixture<SmallCorpusFixture>
{
    private readonly SmallCorpus _corpus;

    public QueryMatchingTests(SmallCorpusFixture fixture) => _corpus = fixture.Corpus;

    [Theory]
    [InlineData("élection")]
    [InlineData("election")]
    [InlineData("ÉLECTION")]
    public void Finds_a_word_regardless_of_case_and_accents_without_stemming(string query) =>
        Assert.Equal(["k1", "k2", "k3"], _corpus.Keys(query));

    [Fact]
    public void Finds_Cyrillic_words_case_insensitively() =>
        Assert.Equal(["k4"], _corpus.Keys("ВЫБОРЫ"));

    [Fact]
    public void Finds_Arabic_words() =>
        Assert.Equal(["k5"], _corpus.Keys("الانتخابات"));

    [Fact]
    public void Finds_hashtags_with_the_hash_sign_or_the_field_in_any_case()
    {
        Assert.Equal(["k1"], _corpus.Keys("#election2021"));
        Assert.Equal(["k2"], _corpus.Keys("#StopTheSteal"));
        Assert.Equal(["k8"], _corpus.Keys("hashtag:wahl2021"));
        Assert.Equal(["k8"], _corpus.Keys("tag:#Wahl2021"));
    }

    [Fact]
    public void Finds_mentions_and_authors_separately()
    {
        Assert.Equal(["k2"], _corpus.Keys("@carol"));
        Assert.Equal(["k3"], _corpus.Keys("author:carol"));
        Assert.Equal(["k7", "k1"], _corpus.Keys("author:alice"));
        Assert.Equal(["k2", "k6"], _corpus.Keys("author:@bob"));
    }

    [Fact]
    public void Matches_phrases_across_line_breaks()
    {
        Assert.Equal(["k3"], _corpus.Keys("\"day polls open\""));
        Assert.Equal(["k6"], _corpus.Keys("\"breaking news from the capitol\""));
        Assert.Empty(_corpus.Keys("\"polls day\""));
    }

    [Fact]
    public void A_single_day_covers_midnight_to_midnight() =>
        Assert.Equal(["k2", "k3"], _corpus.Keys("date:2021-01-06"));

    [Fact]
    public void A_curly_brace_excludes_the_end_of_a_date_range_and_a_square_bracket_includes_that_whole_day()
    {
        Assert.Equal(["k2", "k3", "k6", "k8", "k4"], _corpus.Keys("date:[2021-01-06 TO 2021-01-10}"));
        Assert.Equal(["k2", "k3", "k6", "k8", "k4", "k5"], _corpus.Keys("date:[2021-01-06 TO 2021-01-10]"));
        Assert.Equal(["k3", "k6", "k8", "k4"], _corpus.Keys("date:{2021-01-06T00:00:00Z TO 2021-01-10T00:00:00Z}"));
    }

    [Fact]
    public void Date_ranges_combine_with_words_both_as_required_and_as_optional_clauses()
    {
        Assert.Equal(["k2", "k3"], _corpus.Keys("election date:[2021-01-06 TO 2021-01-07}"));
        Assert.Equal(["k3"], _corpus.Keys("election date:[2021-01-06 TO 2021-01-07} -fraud"));
        Assert.Equal(["k1", "k2", "k3", "k4"], _corpus.Keys("election OR date:2021-01-09"));
        Assert.Empty(_corpus.Keys("выборы AND date:2021-01-06"));
    }

    [Fact]
    public void Open_ended_date_ranges_and_since_until_filters_combine_with_words()
    {
        Assert.Equal(["k7", "k1", "k2", "k3"], _corpus.Keys("date:[* TO 2021-01-07}"));
        var filtered = _corpus.Index.Search(new() { Query = "election", Since = new DateTime(2021, 1, 6, 0, 0, 0, DateTimeKind.Utc), Until = new DateTime(2021, 1, 6, 12, 0, 0, DateTimeKind.Utc) });
        Assert.Equal(["k2"], filtered.Hits.Select(h => h.Key));
    }

    [Fact]
    public void Friendly_fields_match_whole_values()
    {
        Assert.Equal(["k7", "k1", "k8", "k4", "k5"], _corpus.Keys("platform:Telegram"));
        Assert.Equal(["k2", "k3", "k6"], _corpus.Keys("channel:us_news"));
        Assert.Equal(["k8"], _corpus.Keys("domain:spiegel.de"));
        Assert.Equal(["k1"], _corpus.Keys("domain:www.lemonde.fr"));
        Assert.Equal(["k7", "k1"], _corpus.Keys("lang:fr"));
        Assert.Equal(["k5"], _corpus.Keys("has:media"));
        Assert.Equal(["k3"], _corpus.Keys("is:reply"));
        Assert.Equal(["k6"], _corpus.Keys("is:forward"));
        Assert.Equal(["k7"], _corpus.Keys("is:deleted"));
        Assert.Equal(["k7"], _corpus.Keys("is:edited"));
        Assert.Equal(["k1", "k2"], _corpus.Keys("views:[50 TO *]"));
        Assert.Equal(["k1"], _corpus.Keys("views:1500"));
    }

    [Fact]
    public void Words_are_ANDed_by_default_and_boolean_operators_work()
    {
        Assert.Equal(["k2"], _corpus.Keys("election fraud"));
        Assert.Equal(["k1", "k2", "k3", "k4"], _corpus.Keys("election OR выборы"));
        Assert.Equal(["k1", "k3"], _corpus.Keys("election -fraud"));
        Assert.Equal(["k1", "k3"], _corpus.Keys("election AND NOT (channel:us_news AND NOT author:carol)"));
        Assert.Equal(["k3"], _corpus.Keys("(election AND NOT fraud) AND lang:en"));
    }

    [Fact]
    public void Prefix_queries_fold_accents_like_the_text()
    {
        Assert.Equal(["k7", "k1", "k2", "k3"], _corpus.Keys("élect*"));
        Assert.Equal(["k7"], _corpus.Keys("ÉLECTEUR*"));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("*:*")]
    public void A_lone_star_matches_every_post(string query) =>
        Assert.Equal(["k7", "k1", "k2", "k3", "k6", "k8", "k4", "k5"], _corpus.Keys(query));

    [Fact]
    public void Stemming_broadens_a_search_only_when_asked()
    {
        Assert.Equal(["k7"], _corpus.Keys("elections"));
        Assert.Equal(["k7", "k1", "k2", "k3"], _corpus.Keys("elections", stem: true));
        Assert.Equal(["k4"], _corpus.Keys("выбор", stem: true));
        Assert.Empty(_corpus.Keys("выбор"));
    }

    [Fact]
    public void Deleted_posts_are_flagged_in_the_results()
    {
        var hit = Assert.Single(_corpus.Search("municipales").Hits);
        Assert.True(hit.Deleted);
        Assert.Equal(new DateTime(2020, 12, 31, 23, 59, 59, DateTimeKind.Utc), hit.Created);
    }
}

public sealed class SmallCorpusFixture : IDisposable
{
    public SmallCorpus Corpus { get; } = new();

    public void Dispose() => Corpus.Dispose();
}
