using System.Diagnostics;
using System.Text.Json;
using Archiver.Languages;
using Archiver.Model;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Languages;

/// <summary>Archives made before posts had languages get them from <c>relabel</c> and <c>index --rebuild</c>, in place.</summary>
public sealed class RelabelTests
{
    private static readonly DateTime Seen = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static Post Telegram(string id, string text) => new()
    {
        Platform = "telegram",
        Host = "t.me",
        NativeId = $"oldchan/{id}",
        Channel = "oldchan",
        AuthorHandle = "oldchan",
        CreatedAt = new DateTime(2021, 1, 5, 12, 0, 0, DateTimeKind.Utc),
        Text = text,
    };

    /// <summary>Posts as an archive made before this change holds them: no language source, Telegram without language.</summary>
    private static TempArchive OldArchive()
    {
        var archive = new TempArchive();
        using var store = ArchiveStore.Open(archive.Path);
        Post[] posts =
        [
            Telegram("1", "Городской совет объявляет новый доклад о закрытии рынка в Казани сегодня утром."),
            Telegram("2", "Le conseil municipal annonce la fermeture du marché près de la gare dès lundi."),
            Telegram("3", "ok 👍"),
            Telegram("4", "") with { Media = [new MediaRef { Kind = "photo", Url = "https://t.me/p.jpg" }] },
            new Post { Platform = "mastodon", Host = "social.example", NativeId = "9", AuthorHandle = "ann", Text = "Short toot", Language = "en" },
            new Post { Platform = "feed", Host = "feeds.example", NativeId = "https://feeds.example/a", Channel = "https://feeds.example/rss", Text = "Nachrichten", Language = "de" },
        ];
        store.Write(new StoreBatch { Posts = posts.Select(p => new PostObservation(p, Seen)).ToList() });
        return archive;
    }

    [Fact]
    public async Task Relabel_gives_an_old_archive_languages_with_their_source_without_new_versions()
    {
        using var archive = OldArchive();

        var result = await Support.Cli.RunAsync("--data", archive.Path, "relabel");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("relabel: 6 posts scanned; 4 got a language or its source (platform 1, declared 1, detected 2)", result.Out);
        Assert.Contains("languages now: platform 1, declared 1, detected 2, none 2", result.Out);
        using (var store = ArchiveStore.Open(archive.Path, readOnly: true))
        {
            string? Lang(string key) => store.GetPost(key)?.Post is { } p ? $"{p.Language}/{p.LanguageSource}" : "missing";
            Assert.Equal("ru/detected", Lang("telegram:t.me:oldchan/1"));
            Assert.Equal("fr/detected", Lang("telegram:t.me:oldchan/2"));
            Assert.Equal("/", Lang("telegram:t.me:oldchan/3"));
            Assert.Equal("/", Lang("telegram:t.me:oldchan/4"));
            Assert.Equal("en/platform", Lang("mastodon:social.example:9"));
            Assert.Equal("de/declared", Lang("feed:feeds.example:https://feeds.example/a"));
            // A label is not an edit: no post got a second version.
            Assert.All(store.ScanPosts(), p => Assert.Equal(1, p.Version));
            Assert.Equal(0, store.Counters.Versions);
        }
        var search = await Support.Cli.RunAsync("--data", archive.Path, "search", "--json", "lang:ru");
        using var json = JsonDocument.Parse(search.Out);
        Assert.Equal(["telegram:t.me:oldchan/1"], json.RootElement.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("key").GetString()));

        var again = await Support.Cli.RunAsync("--data", archive.Path, "relabel");
        Assert.Contains("0 got a language or its source", again.Out);
    }

    [Fact]
    public async Task Index_rebuild_fills_in_missing_languages_before_indexing()
    {
        using var archive = OldArchive();

        var result = await Support.Cli.RunAsync("--data", archive.Path, "index", "--rebuild", "-q");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("got a language or its source (platform 1, declared 1, detected 2)", result.Out);
        var search = await Support.Cli.RunAsync("--data", archive.Path, "search", "--json", "lang:fr", "--by", "lang");
        using var json = JsonDocument.Parse(search.Out);
        Assert.Equal(["telegram:t.me:oldchan/2"], json.RootElement.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("key").GetString()));
    }

    [Fact]
    public void A_post_seen_again_with_a_language_it_lacked_is_relabelled_in_place_not_edited()
    {
        using var archive = new TempArchive();
        using var store = ArchiveStore.Open(archive.Path);
        var old = Telegram("1", "Der Stadtrat kündigt einen neuen Bericht über die Schließung des Marktes an.");
        store.Write(new StoreBatch { Posts = [new PostObservation(old, Seen)] });

        var labelled = PostLanguages.Current.Label(old);
        var result = store.Write(new StoreBatch { Posts = [new PostObservation(labelled, Seen.AddDays(1))] });
        var edited = store.Write(new StoreBatch { Posts = [new PostObservation(labelled with { Text = labelled.Text + " Update." }, Seen.AddDays(2))] });

        Assert.Equal(("de", LanguageSources.Detected), (labelled.Language, labelled.LanguageSource));
        Assert.Equal((0, 1, 1), (result.Edited, result.Relabeled, result.Unchanged));
        Assert.Equal(1, edited.Edited);
        var versions = store.GetVersions(old.Key);
        Assert.Equal("de", Assert.Single(versions).Post.Language);
    }

    [Fact]
    public async Task Detection_can_be_switched_off_by_the_environment_for_comparisons()
    {
        using var archive = new TempArchive();
        var input = archive.File("posts.jsonl");
        await File.WriteAllTextAsync(input, string.Concat(
            """{"id":"1","platform":"telegram","channel":"c","author":"a","created_at":"2021-01-05T10:00:00Z","lang":"","text":"Городской совет объявляет новый доклад о закрытии рынка в Казани сегодня утром.","hashtags":[],"urls":[]}""", "\n",
            """{"id":"2","platform":"telegram","channel":"c","author":"a","created_at":"2021-01-05T10:00:00Z","lang":"fr","text":"Le conseil municipal annonce la fermeture du marché.","hashtags":[],"urls":[]}""", "\n"), TestContext.Current.CancellationToken);
        async Task<Dictionary<string, string>> Import(string? detection)
        {
            var data = archive.File(detection ?? "default");
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { ArchiverProcess.Dll, "--data", data, "-q", "import", input }) info.ArgumentList.Add(a);
            if (detection is not null) info.Environment[PostLanguages.DetectionVariable] = detection;
            using var process = Process.Start(info)!;
            var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(process.ExitCode == 0, error);
            using var store = ArchiveStore.Open(data, readOnly: true);
            return store.ScanPosts().ToDictionary(p => p.Post.NativeId, p => $"{p.Post.Language}/{p.Post.LanguageSource}");
        }

        var on = await Import(null);
        var off = await Import("off");

        Assert.Equal("ru/detected", on.Values.Single(v => v.StartsWith("ru", StringComparison.Ordinal)));
        Assert.Contains("fr/platform", on.Values);
        Assert.Equal(["/", "fr/platform"], off.Values.Order(StringComparer.Ordinal));
    }
}
