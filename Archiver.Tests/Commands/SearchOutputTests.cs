using System.Text.Json;
using Archiver.Model;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Commands;

/// <summary>What `archiver search` shows a user: hit details, counts by field, snippets, markers, JSON and errors.</summary>
public sealed class SearchOutputTests : IDisposable
{
    private static readonly DateTime Seen = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly TempArchive _dir = new();

    public void Dispose() => _dir.Dispose();

    private void Store(params Post[] posts)
    {
        using var store = ArchiveStore.Open(_dir.Path);
        store.Write(new StoreBatch { Posts = posts.Select(p => new PostObservation(p, Seen)).ToList() });
    }

    private static Post Telegram(string id, string text, string channel = "FreiePresse", string? lang = "de", IReadOnlyList<string>? hashtags = null, IReadOnlyList<MediaRef>? media = null) => new()
    {
        Platform = "telegram",
        Host = "t.me",
        NativeId = $"{channel}/{id}",
        Url = $"https://t.me/{channel}/{id}",
        Channel = channel,
        AuthorHandle = channel,
        AuthorName = "Freie Presse",
        CreatedAt = new DateTime(2021, 1, 6, 12, 0, 0, DateTimeKind.Utc),
        Text = text,
        Language = lang,
        Hashtags = hashtags ?? [],
        Media = media ?? [],
    };

    private static Post Account(string platform, string id, string handle, string text) => new()
    {
        Platform = platform,
        Host = "social.example",
        NativeId = id,
        Url = $"https://social.example/@{handle}/{id}",
        AuthorId = "10" + id,
        AuthorHandle = handle,
        AuthorName = handle + " display",
        CreatedAt = new DateTime(2021, 1, 7, 12, 0, 0, DateTimeKind.Utc),
        Text = text,
        Language = "en",
    };

    [Fact]
    public async Task Hits_show_author_channel_and_url()
    {
        Store(Telegram("1", "Wahlen in Berlin"));

        var result = await Support.Cli.RunAsync("search", "--data", _dir.Path, "wahlen");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Freie Presse (@FreiePresse)", result.Out);
        Assert.Contains("channel FreiePresse", result.Out);
        Assert.Contains("https://t.me/FreiePresse/1", result.Out);
    }

    [Fact]
    public async Task Json_hits_carry_url_author_channel_platform_and_lang()
    {
        Store(Telegram("1", "Wahlen in Berlin"), Account("gab", "7", "Pavel", "Elections in Berlin"));

        var result = await Support.Cli.RunAsync("search", "--data", _dir.Path, "--json", "berlin", "--sort", "oldest");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var hits = json.RootElement.GetProperty("hits").EnumerateArray().ToList();
        Assert.Equal(2, hits.Count);
        var tg = hits[0];
        Assert.Equal(("https://t.me/FreiePresse/1", "FreiePresse", "Freie Presse", "FreiePresse", "telegram", "de"),
            (tg.GetProperty("url").GetString(), tg.GetProperty("author").GetString(), tg.GetProperty("author_name").GetString(),
             tg.GetProperty("channel").GetString(), tg.GetProperty("platform").GetString(), tg.GetProperty("lang").GetString()));
        var gab = hits[1];
        Assert.Equal(("https://social.example/@Pavel/7", "Pavel", "Pavel", "gab", "en"),
            (gab.GetProperty("url").GetString(), gab.GetProperty("author").GetString(), gab.GetProperty("channel").GetString(),
             gab.GetProperty("platform").GetString(), gab.GetProperty("lang").GetString()));
    }

    [Theory]
    [InlineData(2, "search", "vaccin AND")]
    [InlineData(2, "search", "vaccine", "--by", "colour")]
    [InlineData(1, "show", "telegram:t.me:nowhere/1")]
    [InlineData(2, "search", "vaccine", "--no-such-option")]
    public async Task Errors_under_json_are_json_on_stderr(int exitCode, params string[] args)
    {
        Store(Telegram("1", "vaccine"));

        var result = await Support.Cli.RunAsync([.. args, "--data", _dir.Path, "--json"]);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Equal("", result.Out);
        using var json = JsonDocument.Parse(result.Error);
        Assert.Equal(exitCode, json.RootElement.GetProperty("exit_code").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task Output_piped_to_another_program_is_not_hard_wrapped_at_80_columns()
    {
        var text = "Der Stadtrat verschiebt die Abstimmung über den Haushalt erneut, weil die Opposition weitere Unterlagen zu den Baukosten verlangt hat und die Verwaltung sie bis heute nicht vorlegt";
        Store(Telegram("1", text, channel: "EinSehrLangerKanalnameDerDieTabelleBreiterAlsAchtzigSpaltenMachtUndNochLaenger"));

        using var process = ArchiverProcess.Start("search", "--data", _dir.Path, "Haushalt", "--by", "channel");
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, process.ExitCode);
        Assert.Contains(output.Split('\n'), line => line.Contains("Der Stadtrat verschiebt", StringComparison.Ordinal) && line.Contains("nicht vorlegt", StringComparison.Ordinal));
        Assert.Contains(output.Split('\n'), line => line.Contains("einsehrlangerkanalname", StringComparison.OrdinalIgnoreCase) && line.Contains("UndNochLaenger", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Counting_by_channel_puts_mastodon_gab_and_truth_social_posts_under_their_account()
    {
        Store(Account("mastodon", "1", "Alice", "budget vote"), Account("gab", "2", "Pavel", "budget vote"), Account("truthsocial", "3", "Hugo", "budget vote"), Account("truthsocial", "4", "Hugo", "budget again"));

        var result = await Support.Cli.RunAsync("search", "--data", _dir.Path, "--json", "budget", "--by", "channel");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var counts = json.RootElement.GetProperty("counts").GetProperty("channel").EnumerateArray()
            .Select(c => (c.GetProperty("value").GetString(), c.GetProperty("count").GetInt64())).ToList();
        Assert.Equal([("hugo", 2L), ("alice", 1L), ("pavel", 1L)], counts);
        var channel = await Support.Cli.RunAsync("search", "--data", _dir.Path, "--json", "channel:hugo");
        using var byChannel = JsonDocument.Parse(channel.Out);
        Assert.Equal(2, byChannel.RootElement.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Counted_values_are_shown_as_the_platform_writes_them()
    {
        Store(Telegram("1", "Heute #Wahlen", hashtags: ["Wahlen"]), Telegram("2", "Morgen #wahlen", hashtags: ["wahlen"]), Telegram("3", "Übermorgen #Wahlen", hashtags: ["Wahlen"]));

        var json = await Support.Cli.RunAsync("search", "--data", _dir.Path, "--json", "*", "--by", "channel", "--by", "hashtag");
        var table = await Support.Cli.RunAsync("search", "--data", _dir.Path, "*", "--by", "channel", "--by", "hashtag");

        using var doc = JsonDocument.Parse(json.Out);
        var channel = doc.RootElement.GetProperty("counts").GetProperty("channel")[0];
        Assert.Equal(("freiepresse", "FreiePresse", 3L), (channel.GetProperty("value").GetString(), channel.GetProperty("display").GetString(), channel.GetProperty("count").GetInt64()));
        var hashtag = doc.RootElement.GetProperty("counts").GetProperty("hashtag")[0];
        Assert.Equal(("wahlen", 3L), (hashtag.GetProperty("value").GetString(), hashtag.GetProperty("count").GetInt64()));
        Assert.Contains(hashtag.GetProperty("display").GetString(), new[] { "Wahlen" });
        Assert.Contains("│ FreiePresse │", table.Out);
        Assert.Contains("│ Wahlen  ", table.Out);
        Assert.DoesNotContain("freiepresse", table.Out);
    }

    [Fact]
    public async Task A_forum_thread_is_shown_by_its_title_not_a_bare_number()
    {
        Store(new Post
        {
            Platform = "site",
            Host = "forum.example",
            NativeId = "1001000001",
            Channel = "1001",
            AuthorHandle = "Hugo Bernard",
            CreatedAt = new DateTime(2021, 1, 6, 12, 0, 0, DateTimeKind.Utc),
            Text = "Le budget participatif est voté",
            Extra = new Dictionary<string, string> { ["profile"] = "replica-forum", ["channel_title"] = "Budget participatif 2025" },
        });

        var table = await Support.Cli.RunAsync("search", "--data", _dir.Path, "budget", "--by", "channel");
        var json = await Support.Cli.RunAsync("search", "--data", _dir.Path, "--json", "budget", "--by", "channel");

        Assert.Contains("Budget participatif 2025 (1001)", table.Out);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal("Budget participatif 2025", doc.RootElement.GetProperty("counts").GetProperty("channel")[0].GetProperty("display").GetString());
        Assert.Equal("Budget participatif 2025", doc.RootElement.GetProperty("hits")[0].GetProperty("channel_title").GetString());
    }

    [Fact]
    public async Task A_media_only_post_shows_what_it_holds_instead_of_an_empty_snippet()
    {
        Store(Telegram("1", "", media: [new MediaRef { Kind = "photo" }, new MediaRef { Kind = "photo" }, new MediaRef { Kind = "video" }]));

        var table = await Support.Cli.RunAsync("search", "--data", _dir.Path, "has:media");
        var json = await Support.Cli.RunAsync("search", "--data", _dir.Path, "--json", "has:media");

        Assert.Contains("  [2 photos, video]", table.Out);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal("[2 photos, video]", doc.RootElement.GetProperty("hits")[0].GetProperty("snippet_text").GetString());
    }

    [Fact]
    public async Task Highlight_markers_cannot_be_confused_with_french_quotation_marks()
    {
        Store(Telegram("1", "« Le maire ment » dit l'opposition au maire", channel: "infolibre", lang: "fr"));

        var result = await Support.Cli.RunAsync("search", "--data", _dir.Path, "maire");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("« Le ⟦maire⟧ ment » dit l'opposition au ⟦maire⟧", result.Out);
        Assert.DoesNotContain("«maire»", result.Out);
    }
}
