using System.Text.Json;
using Archiver.Languages;
using Archiver.Model;
using Archiver.Replica;
using Archiver.Storage;
using Archiver.Tests.Export;
using Archiver.Tests.Support;

namespace Archiver.Tests.Languages;

/// <summary>The replica's Telegram, Mastodon-like and forum posts crawled once through the CLI, with its truth (which knows every post's language).</summary>
public sealed class ReplicaLanguageFixture : IAsyncLifetime
{
    public TempArchive Archive { get; } = new();
    public List<Post> Truth { get; private set; } = [];
    public string CrawlOutput { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 7, Size = ReplicaSize.Small, LogRequests = false }, CancellationToken.None);
        // Feeds repeat the Telegram posts; JS pages need Chromium: the forum stands for site profiles.
        var seeds = replica.Seeds.Where(s => !s.StartsWith("feed:", StringComparison.Ordinal) && !s.Contains("/js/", StringComparison.Ordinal)).ToList();
        var crawl = await Support.Cli.RunAsync(["crawl", "--data", Archive.Path, "--allow-private", "--rate", "0", "--per-host", "4", "--no-media", "-q", .. seeds]);
        Assert.True(crawl.ExitCode == 0, crawl.Error + crawl.Out);
        CrawlOutput = crawl.Out;
        var truth = replica.Truth();
        Truth = [.. truth.TelegramPosts(), .. truth.ApiPosts(Flavor.Mastodon), .. truth.ApiPosts(Flavor.TruthSocial), .. truth.ApiPosts(Flavor.Gab), .. truth.ForumPosts()];
    }

    public ValueTask DisposeAsync()
    {
        Archive.Dispose();
        return ValueTask.CompletedTask;
    }

    public static int Words(string text)
    {
        LanguageDetection.Clean(text, int.MaxValue, out var words, out _);
        return words;
    }
}

public sealed class ReplicaLanguageTests(ReplicaLanguageFixture fixture, ITestOutputHelper output) : IClassFixture<ReplicaLanguageFixture>
{
    [Fact]
    public async Task Search_lang_ru_on_telegram_finds_the_russian_telegram_posts()
    {
        var russian = fixture.Truth.Where(p => p.Platform == "telegram" && p.Language == "ru" && ReplicaLanguageFixture.Words(p.Text) >= 5).Select(p => p.Key).ToHashSet();
        Assert.NotEmpty(russian);

        var result = await Support.Cli.RunAsync("search", "--data", fixture.Archive.Path, "--json", "--limit", "10000", "lang:ru platform:telegram");

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var hits = json.RootElement.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("key").GetString()!).ToHashSet();
        var truthByKey = fixture.Truth.ToDictionary(p => p.Key);
        Assert.Equal(hits.Count, json.RootElement.GetProperty("total").GetInt64());
        // Every hit is a Russian post, and (nearly) every Russian post of five words or more is a hit.
        Assert.All(hits, key => Assert.Equal("ru", truthByKey[key].Language));
        var found = russian.Count(hits.Contains);
        Assert.True(found >= 0.95 * russian.Count, $"found {found} of {russian.Count} Russian Telegram posts of >= 5 words");
        using var store = ArchiveStore.Open(fixture.Archive.Path, readOnly: true);
        Assert.All(hits, key => Assert.Equal(LanguageSources.Detected, store.GetPost(key)!.Post.LanguageSource));
    }

    [Fact]
    public void Forum_posts_take_the_language_their_page_declares()
    {
        var forum = fixture.Truth.Where(p => p.Platform == "site").ToList();
        Assert.NotEmpty(forum);
        Assert.True(forum.Select(p => p.Language).Distinct().Count() > 1, "the forum should have threads in several languages");
        using var store = ArchiveStore.Open(fixture.Archive.Path, readOnly: true);
        foreach (var expected in forum)
        {
            var stored = store.GetPost(expected.Key)?.Post;
            Assert.NotNull(stored);
            Assert.Equal((expected.Language, LanguageSources.Declared), (stored.Language, stored.LanguageSource));
        }
    }

    [Fact]
    public void Languages_match_the_replica_truth_for_posts_of_five_words_or_more()
    {
        using var store = ArchiveStore.Open(fixture.Archive.Path, readOnly: true);
        var all = new LanguageScore();
        var detected = new LanguageScore();
        var sources = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var expected in fixture.Truth.Where(p => p.Language is not null))
        {
            var stored = store.GetPost(expected.Key)!.Post;
            var words = ReplicaLanguageFixture.Words(expected.Text);
            all.Add(expected.Language!, stored.Language, words);
            if (expected.Platform == "telegram") detected.Add(expected.Language!, stored.Language, words);
            sources[stored.LanguageSource ?? "none"] = sources.GetValueOrDefault(stored.LanguageSource ?? "none") + 1;
        }
        output.WriteLine("sources: " + string.Join(", ", sources.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value}")));
        output.WriteLine("telegram (detected):");
        foreach (var line in detected.Lines()) output.WriteLine("  " + line);
        output.WriteLine("all platforms:");
        foreach (var line in all.Lines()) output.WriteLine("  " + line);

        Assert.True(detected.Long > 100, $"only {detected.Long} Telegram posts of >= 5 words");
        Assert.True(detected.LongAccuracy >= 0.95, string.Join("\n", detected.Lines()));
        Assert.True(all.LongAccuracy >= 0.95, string.Join("\n", all.Lines()));
        Assert.All(detected.ByLanguage(), l => Assert.True(l.Recall >= 0.9 && l.Precision >= 0.95, $"{l.Language}: precision {l.Precision:P1}, recall {l.Recall:P1}"));
        // Say less, never more: of the labels given to Telegram posts of any length, almost none is wrong.
        Assert.True(detected.WrongShare < 0.01, $"{detected.WrongShare:P2} of the detected labels are wrong");
        Assert.True(sources.GetValueOrDefault(LanguageSources.Detected) > 0 && sources.GetValueOrDefault(LanguageSources.Platform) > 0 && sources.GetValueOrDefault(LanguageSources.Declared) > 0);
    }

    [Fact]
    public async Task Every_export_format_carries_where_each_language_came_from()
    {
        var dir = fixture.Archive.File("exports-lang");
        using var store = ArchiveStore.Open(fixture.Archive.Path, readOnly: true);
        var expected = store.ScanPosts().GroupBy(p => p.Post.LanguageSource ?? "").ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(4, expected.Count);
        store.Dispose();
        using var duck = new DuckDb();
        // The CSV export keeps to fields without line breaks: its quoting of those is another bullet's work.
        foreach (var (format, source, fields) in new[]
        {
            ("jsonl", "read_json_auto('{0}', format='newline_delimited')", Array.Empty<string>()),
            ("csv", "read_csv('{0}', header=true, all_varchar=true)", ["--fields", "key,platform,language,language_source"]),
            ("parquet", "read_parquet('{0}')", []),
        })
        {
            var result = await Support.Cli.RunAsync(["--data", fixture.Archive.Path, "-q", "export", "--format", format, "--out", Path.Combine(dir, format), .. fields]);
            Assert.True(result.ExitCode == 0, result.Error);
            var file = Path.Combine(dir, format, "posts." + format);
            var rows = duck.Rows($"SELECT coalesce(language_source, '') AS s, count(*) AS n, count(*) FILTER (WHERE language_source IS NOT NULL AND language IS NULL) AS orphan FROM {string.Format(System.Globalization.CultureInfo.InvariantCulture, source, file)} GROUP BY 1");
            var actual = rows.ToDictionary(r => (string)r["s"]!, r => Convert.ToInt64(r["n"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(expected.OrderBy(e => e.Key), actual.OrderBy(a => a.Key));
            Assert.All(rows, r => Assert.Equal(0L, Convert.ToInt64(r["orphan"], System.Globalization.CultureInfo.InvariantCulture)));
        }
        var repo = new DirectoryInfo(AppContext.BaseDirectory);
        while (repo is not null && !File.Exists(Path.Combine(repo.FullName, "Archiver.sln"))) repo = repo.Parent;
        Assert.NotNull(repo);
        Assert.Contains("| language_source | string |", await File.ReadAllTextAsync(Path.Combine(repo.FullName, "docs", "export-schema.md"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
