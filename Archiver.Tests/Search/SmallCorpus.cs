using Archiver.Search;

namespace Archiver.Tests.Search;

/// <summary>A hand-written corpus whose answers are known, indexed into a temporary directory.</summary>
public sealed class SmallCorpus : IDisposable
{
    private static DateTime At(string iso) => DateTime.Parse(iso, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);

    public static readonly IReadOnlyList<SearchDocument> Posts =
    [
        new() { Key = "k1", Platform = "telegram", Host = "t.me", Author = "Alice", Channel = "news_fr", Language = "fr", Created = At("2021-01-05T10:00:00Z"),
            Text = "L'élection présidentielle aura lieu demain.", Hashtags = ["#Election2021"], Domains = ["www.lemonde.fr"], Views = 1500 },
        new() { Key = "k2", Platform = "mastodon", Host = "gab.com", Author = "bob", Channel = "us_news", Language = "en", Created = At("2021-01-06T00:00:00Z"),
            Text = "The election results are in. Fraud claims rejected.", Hashtags = ["stopthesteal"], Mentions = ["carol"], Views = 90 },
        new() { Key = "k3", Platform = "mastodon", Host = "gab.com", Author = "carol", Channel = "us_news", Language = "en", Created = At("2021-01-06T23:59:59Z"),
            Text = "ELECTION day!\nPolls open early", IsReply = true, Kind = "reply" },
        new() { Key = "k4", Platform = "telegram", Host = "t.me", Author = "ivan", Channel = "ru_chan", Language = "ru", Created = At("2021-01-09T12:00:00Z"),
            Text = "Выборы президента прошли спокойно" },
        new() { Key = "k5", Platform = "telegram", Host = "t.me", Author = "ahmed", Channel = "ar_chan", Language = "ar", Created = At("2021-01-10T00:00:00Z"),
            Text = "الانتخابات الرئاسية في مصر", MediaKinds = ["photo"] },
        new() { Key = "k6", Platform = "mastodon", Host = "gab.com", Author = "bob", Channel = "us_news", Language = "en", Created = At("2021-01-07T08:00:00Z"),
            Text = "Breaking news\nfrom the capitol", IsForward = true, Domains = ["https-less.example"] },
        new() { Key = "k7", Platform = "telegram", Host = "t.me", Author = "Alice", Channel = "news_fr", Language = "fr", Created = At("2020-12-31T23:59:59Z"),
            Text = "Elections municipales : les électeurs votent", IsDeleted = true, IsEdited = true },
        new() { Key = "k8", Platform = "telegram", Host = "t.me", Author = "hans", Channel = "de_chan", Language = "de", Created = At("2021-01-08T09:30:00Z"),
            Text = "Die Wahlen in Deutschland", Hashtags = ["Wahl2021", "#wahl2021"], Domains = ["www.spiegel.de", "spiegel.de"] },
    ];

    private readonly string _path = Path.Combine(Path.GetTempPath(), "archiver-search-" + Guid.NewGuid().ToString("N")[..12]);

    public PostIndex Index { get; }

    public SmallCorpus(bool storeText = true)
    {
        Index = PostIndex.Open(_path, new PostIndexOptions { StoreText = storeText });
        foreach (var post in Posts) Index.Upsert(post);
        Index.Commit(storeSequence: 8);
        Index.Refresh();
    }

    public string Path2 => _path;

    public SearchResults Search(string query, SearchSort sort = SearchSort.Oldest, bool stem = false) =>
        Index.Search(new SearchRequest { Query = query, Sort = sort, Stem = stem, Limit = 100 });

    /// <summary>Keys of the matches, oldest first (a stable order to compare with).</summary>
    public string[] Keys(string query, bool stem = false) => Search(query, stem: stem).Hits.Select(h => h.Key).ToArray();

    public void Dispose()
    {
        Index.Dispose();
        if (Directory.Exists(_path)) Directory.Delete(_path, recursive: true);
    }
}
