using Archiver.Search;

namespace Archiver.Tests.Search;

/// <summary>
/// A server answers many searches at once on one index reader: counts by field and their values must be what a
/// lone search gets. The index has several segments and thousands of distinct, long values per field, so Lucene
/// keeps their terms prefix-compressed behind a seekable reader (the state that searches once shared).
/// </summary>
public sealed class ConcurrentSearchTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "archiver-index-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_path)) Directory.Delete(_path, recursive: true);
    }

    [Fact]
    public async Task Concurrent_searches_with_counts_by_field_answer_as_one_search_alone()
    {
        var ct = TestContext.Current.CancellationToken;
        using var index = PostIndex.Open(_path);
        var random = new Random(7);
        string[] words = ["vote", "budget", "harbour", "council", "strike", "press", "court", "school"];
        for (var segment = 0; segment < 4; segment++)
        {
            for (var i = 0; i < 3000; i++)
            {
                var n = segment * 3000 + i;
                index.Add(new SearchDocument
                {
                    Key = $"k{n}",
                    Platform = "telegram",
                    Text = $"{words[random.Next(words.Length)]} {words[random.Next(words.Length)]} report {n}",
                    Author = $"author-with-a-long-handle-{random.Next(4000):D5}-{new string('x', random.Next(1, 30))}",
                    Channel = $"channel-{random.Next(2500):D4}-{new string('c', random.Next(1, 20))}",
                    Hashtags = [$"tag{random.Next(3000)}{new string('t', random.Next(1, 15))}", $"tag{random.Next(3000)}"],
                    Language = random.Next(2) == 0 ? "en" : "fr",
                    Created = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(n),
                });
            }
            index.Commit(storeSequence: segment + 1);
        }
        index.Refresh();

        SearchRequest Request(string word) => new()
        {
            Query = word,
            Limit = 20,
            CountBy = [IndexFields.Author, IndexFields.Channel, IndexFields.Hashtag, IndexFields.Lang],
            Histogram = HistogramPeriod.Week,
            TopValues = 25,
        };
        string Answer(SearchResults r) => $"{r.Total}|" + string.Join(";", r.Counts.Select(c => c.Field + ":" + c.Distinct + ":" + string.Join(",", c.Top.Select(v => $"{v.Value}={v.Count}/{v.Display}"))))
            + "|" + string.Join(",", r.Histogram!.Select(b => $"{b.Start:yyyy-MM-dd}={b.Count}"));
        var alone = words.ToDictionary(w => w, w => Answer(index.Search(Request(w))));

        var failures = new List<string>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 60; i++)
            {
                var word = words[(t + i) % words.Length];
                try
                {
                    var answer = Answer(index.Search(Request(word)));
                    if (answer != alone[word]) lock (failures) failures.Add($"{word}: a different answer");
                }
                catch (Exception e)
                {
                    lock (failures) failures.Add($"{word}: {e.GetType().Name} {e.Message}");
                }
            }
        }, ct)));
        Assert.Empty(failures);
    }
}
