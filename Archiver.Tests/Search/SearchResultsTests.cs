using Archiver.Search;

namespace Archiver.Tests.Search;

public sealed class SearchResultsTests : IClassFixture<SmallCorpusFixture>
{
    private readonly SmallCorpus _corpus;

    public SearchResultsTests(SmallCorpusFixture fixture) => _corpus = fixture.Corpus;

    [Fact]
    public void Sorts_by_date_both_ways()
    {
        Assert.Equal(["k3", "k2", "k1"], _corpus.Search("election", SearchSort.Newest).Hits.Select(h => h.Key));
        Assert.Equal(["k1", "k2", "k3"], _corpus.Search("election", SearchSort.Oldest).Hits.Select(h => h.Key));
    }

    [Fact]
    public void Pages_keep_the_exact_total()
    {
        var page = _corpus.Index.Search(new SearchRequest { Query = "platform:telegram", Sort = SearchSort.Oldest, Offset = 2, Limit = 2 });
        Assert.Equal(5, page.Total);
        Assert.Equal(["k8", "k4"], page.Hits.Select(h => h.Key));
        var countOnly = _corpus.Index.Search(new SearchRequest { Query = "platform:telegram", Limit = 0 });
        Assert.Equal(5, countOnly.Total);
        Assert.Empty(countOnly.Hits);
    }

    [Fact]
    public void Relevance_scores_are_given_only_when_sorting_by_relevance()
    {
        var hits = _corpus.Search("election", SearchSort.Relevance).Hits;
        Assert.Equal(3, hits.Count);
        Assert.All(hits, h => Assert.True(h.Score > 0));
        Assert.All(_corpus.Search("election", SearchSort.Newest).Hits, h => Assert.Null(h.Score));
    }

    [Fact]
    public void Snippets_mark_the_words_as_typed_in_the_original_text()
    {
        var hit = Assert.Single(_corpus.Search("election lieu").Hits);
        var snippet = hit.Snippet!;
        Assert.Equal("L'élection présidentielle aura lieu demain.", snippet.Text);
        Assert.Equal(["L'élection", "lieu"], snippet.Marks.Select(m => snippet.Text.Substring(m.Start, m.Length)));
        Assert.Equal("[L'élection] présidentielle aura [lieu] demain.", snippet.Render(t => t, m => "[" + m + "]"));
    }

    [Fact]
    public void Snippets_of_a_phrase_across_a_line_break_mark_its_words()
    {
        var snippet = Assert.Single(_corpus.Search("\"day polls\"").Hits).Snippet!;
        Assert.Equal(["day", "Polls"], snippet.Marks.Select(m => snippet.Text.Substring(m.Start, m.Length)));
    }

    [Fact]
    public void Snippets_come_from_the_text_lookup_when_the_text_is_not_stored()
    {
        var path = Path.Combine(Path.GetTempPath(), "archiver-search-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            using var index = PostIndex.Open(path, new PostIndexOptions
            {
                StoreText = false,
                TextLookup = keys => keys.ToDictionary(k => k, k => new HitText(SmallCorpus.Posts.Single(p => p.Key == k).Text)),
            });
            foreach (var post in SmallCorpus.Posts) index.Add(post);
            index.Refresh();
            var snippet = Assert.Single(index.Search(new SearchRequest { Query = "выборы" }).Hits).Snippet!;
            Assert.Equal("[Выборы] президента прошли спокойно", snippet.Render(t => t, m => "[" + m + "]"));
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }

    [Fact]
    public void An_index_that_stores_texts_asks_the_lookup_only_for_documents_indexed_without_theirs()
    {
        var path = Path.Combine(Path.GetTempPath(), "archiver-search-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var old = SmallCorpus.Posts.Single(p => p.Text.Contains("Выборы", StringComparison.Ordinal));
            using (var before = PostIndex.Open(path, new PostIndexOptions { StoreText = false }))
            {
                before.Add(old);
                before.Commit(1);
            }
            var asked = new List<string>();
            using var index = PostIndex.Open(path, new PostIndexOptions
            {
                StoreText = true,
                TextLookup = keys =>
                {
                    asked.AddRange(keys);
                    return keys.ToDictionary(k => k, k => new HitText(SmallCorpus.Posts.Single(p => p.Key == k).Text, "from the store"));
                },
            });
            var fresh = old with { Key = old.Key + "-new", Text = "Выборы в городе", Display = "shown as kept" };
            index.Add(fresh);
            index.Refresh();

            var hits = index.Search(new SearchRequest { Query = "выборы" }).Hits;

            Assert.Equal([old.Key], asked);
            Assert.Equal("[Выборы] президента прошли спокойно", hits.Single(h => h.Key == old.Key).Snippet!.Render(t => t, m => "[" + m + "]"));
            Assert.Equal("from the store", hits.Single(h => h.Key == old.Key).Source);
            Assert.Null(hits.Single(h => h.Key == old.Key).Display);
            Assert.Equal("[Выборы] в городе", hits.Single(h => h.Key == fresh.Key).Snippet!.Render(t => t, m => "[" + m + "]"));
            Assert.Equal("shown as kept", hits.Single(h => h.Key == fresh.Key).Display);
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }

    [Fact]
    public void Each_hit_says_whether_its_post_is_deleted_across_segments_and_in_any_order()
    {
        var path = Path.Combine(Path.GetTempPath(), "archiver-search-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            using var index = PostIndex.Open(path);
            for (var segment = 0; segment < 3; segment++)
            {
                for (var i = 0; i < 20; i++)
                {
                    var n = segment * 20 + i;
                    // Scores fall with n (longer texts), so hits come in an order unlike the documents'.
                    index.Add(new SearchDocument { Key = $"k{n}", Platform = "telegram", Text = "vote " + string.Join(' ', Enumerable.Repeat("filler", (n * 7) % 13)), IsDeleted = n % 3 == 0 });
                }
                index.Commit(segment + 1);
            }
            index.Refresh();

            var hits = index.Search(new SearchRequest { Query = "vote", Limit = 60 }).Hits;

            Assert.Equal(60, hits.Count);
            Assert.All(hits, hit => Assert.Equal(int.Parse(hit.Key[1..], System.Globalization.CultureInfo.InvariantCulture) % 3 == 0, hit.Deleted));
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }

    [Fact]
    public void Snippets_mark_only_words_the_text_clauses_matched_not_field_filter_values()
    {
        var path = Path.Combine(Path.GetTempPath(), "archiver-search-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            const string text = "Новости на сайте news ru и в канале";
            using var index = PostIndex.Open(path, new PostIndexOptions { StoreText = false, TextLookup = keys => keys.ToDictionary(k => k, _ => new HitText(text)) });
            index.Add(new SearchDocument { Key = "r1", Platform = "telegram", Language = "ru", Text = text });
            index.Refresh();

            var filterOnly = Assert.Single(index.Search(new SearchRequest { Query = "lang:ru", Snippets = true }).Hits).Snippet!;
            var withWord = Assert.Single(index.Search(new SearchRequest { Query = "lang:ru канале", Snippets = true }).Hits).Snippet!;

            Assert.Empty(filterOnly.Marks);
            Assert.Equal(["канале"], withWord.Marks.Select(m => withWord.Text.Substring(m.Start, m.Length)));
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }

    [Fact]
    public void Counts_matches_by_field_most_frequent_first()
    {
        var results = _corpus.Index.Search(new SearchRequest
        {
            Query = "date:[2020-01-01 TO 2022-01-01}",
            CountBy = [IndexFields.Channel, IndexFields.Author, IndexFields.Domain, IndexFields.Hashtag, IndexFields.Lang],
            TopValues = 3,
        });
        Assert.Equal(8, results.Total);
        var byField = results.Counts.ToDictionary(c => c.Field);
        Assert.Equal([("us_news", 3L), ("news_fr", 2L), ("ar_chan", 1L)], byField["channel"].Top.Select(v => (v.Value, v.Count)));
        Assert.Equal(5, byField["channel"].Distinct);
        Assert.Equal([("alice", 2L), ("bob", 2L), ("ahmed", 1L)], byField["author"].Top.Select(v => (v.Value, v.Count)));
        Assert.Equal([("https-less.example", 1L), ("lemonde.fr", 1L), ("spiegel.de", 1L)], byField["domain"].Top.Select(v => (v.Value, v.Count)));
        Assert.Equal([("election2021", 1L), ("stopthesteal", 1L), ("wahl2021", 1L)], byField["hashtag"].Top.Select(v => (v.Value, v.Count)));
        Assert.Equal([("en", 3L), ("fr", 2L), ("ar", 1L)], byField["lang"].Top.Select(v => (v.Value, v.Count)));
    }

    [Fact]
    public void The_histogram_counts_matches_per_day_week_and_month_including_empty_periods()
    {
        SearchResults Histogram(HistogramPeriod period) =>
            _corpus.Index.Search(new SearchRequest { Query = "platform:telegram OR platform:mastodon", Histogram = period, Limit = 0 });
        var days = Histogram(HistogramPeriod.Day).Histogram!;
        Assert.Equal(11, days.Count);
        Assert.Equal((new DateTime(2020, 12, 31, 0, 0, 0, DateTimeKind.Utc), 1L), (days[0].Start, days[0].Count));
        Assert.Equal(0, days[1].Count);
        Assert.Equal(2, days.Single(d => d.Start == new DateTime(2021, 1, 6, 0, 0, 0, DateTimeKind.Utc)).Count);
        // 2021-01-04 is a Monday; Sunday 2021-01-10 still belongs to its week.
        var weeks = Histogram(HistogramPeriod.Week).Histogram!;
        Assert.Equal([(new DateTime(2020, 12, 28, 0, 0, 0, DateTimeKind.Utc), 1L), (new DateTime(2021, 1, 4, 0, 0, 0, DateTimeKind.Utc), 7L)],
            weeks.Select(w => (w.Start, w.Count)));
        var months = Histogram(HistogramPeriod.Month).Histogram!;
        Assert.Equal([1L, 7L], months.Select(m => m.Count));
    }

    [Fact]
    public void The_histogram_puts_each_post_in_its_own_utc_day_before_1970_and_at_midnight()
    {
        var path = Path.Combine(Path.GetTempPath(), "archiver-days-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            using var index = PostIndex.Open(path);
            string[] times = ["1969-12-31T00:00:00Z", "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "1970-01-01T23:59:59Z", "1970-01-02T00:00:00Z", "1901-03-04T05:06:07Z"];
            for (var i = 0; i < times.Length; i++)
            {
                var created = DateTime.Parse(times[i], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
                index.Upsert(new SearchDocument { Key = $"d{i}", Platform = "telegram", Text = "jour", Created = created });
            }
            index.Upsert(new SearchDocument { Key = "undated", Platform = "telegram", Text = "jour" });
            index.Commit(storeSequence: 1);
            index.Refresh();
            var days = index.Search(new SearchRequest { Query = "jour", Histogram = HistogramPeriod.Day, Limit = 0 }).Histogram!;
            var counted = days.Where(d => d.Count > 0).Select(d => (d.Start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), d.Count));
            Assert.Equal([("1901-03-04", 1L), ("1969-12-31", 2L), ("1970-01-01", 2L), ("1970-01-02", 1L)], counted);
        }
        finally
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
    }
}
