using Archiver.Search;

namespace Archiver.Tests.Search;

/// <summary>
/// Counts by field against a count made by hand over the same posts, for a word in one post, in a few hundred and in
/// all of them: few matches among many values are counted straight into the totals, many through a counter per
/// segment value, and both must give the same answer.
/// </summary>
public sealed class FieldCountsTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "archiver-index-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_path)) Directory.Delete(_path, recursive: true);
    }

    [Fact]
    public void Counts_by_field_equal_a_count_by_hand_for_rare_middling_and_common_words()
    {
        var random = new Random(11);
        var posts = new List<SearchDocument>();
        using var index = PostIndex.Open(_path);
        for (var segment = 0; segment < 3; segment++)
        {
            for (var i = 0; i < 2000; i++)
            {
                var n = posts.Count;
                var post = new SearchDocument
                {
                    Key = $"k{n}",
                    Platform = "telegram",
                    Text = $"report w{n} {(random.Next(10) == 0 ? "middling" : "plain")}",
                    Author = $"author{random.Next(3000):D4}",
                    Channel = $"channel{random.Next(40):D2}",
                    Hashtags = random.Next(3) == 0 ? [] : [$"tag{random.Next(4000):D4}", $"tag{random.Next(4000):D4}"],
                    Language = random.Next(2) == 0 ? "en" : "fr",
                };
                posts.Add(post);
                index.Add(post);
            }
            index.Commit(storeSequence: segment + 1);
        }
        index.Refresh();

        foreach (var word in new[] { "w1234", "middling", "report" })
        {
            var matching = posts.Where(p => p.Text.Split(' ').Contains(word)).ToList();
            var results = index.Search(new SearchRequest
            {
                Query = word,
                Limit = 0,
                CountBy = [IndexFields.Author, IndexFields.Channel, IndexFields.Hashtag, IndexFields.Lang],
                TopValues = 30,
            });
            Assert.Equal(matching.Count, results.Total);
            Expect(results, IndexFields.Author, matching.Select(p => new[] { p.Author! }));
            Expect(results, IndexFields.Channel, matching.Select(p => new[] { p.Channel! }));
            Expect(results, IndexFields.Hashtag, matching.Select(p => p.Hashtags.Distinct()));
            Expect(results, IndexFields.Lang, matching.Select(p => new[] { p.Language! }));
        }
    }

    private static void Expect(SearchResults results, string field, IEnumerable<IEnumerable<string>> valuesOfEachMatch)
    {
        var byHand = valuesOfEachMatch.SelectMany(v => v).GroupBy(v => v, StringComparer.Ordinal)
            .Select(g => (Value: g.Key, Count: (long)g.Count()))
            .ToList();
        var counted = results.Counts.Single(c => c.Field == field);
        Assert.Equal(byHand.Count, counted.Distinct);
        var top = byHand.OrderByDescending(v => v.Count).ThenBy(v => v.Value, StringComparer.Ordinal).Take(30).ToList();
        Assert.Equal(top, counted.Top.Select(v => (v.Value, v.Count)).ToList());
    }
}
