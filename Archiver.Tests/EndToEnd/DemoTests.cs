using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.EndToEnd;

public sealed class DemoTests
{
    [Fact]
    public async Task The_demo_archives_searches_and_exports_the_replica_and_leaves_a_verifiable_export()
    {
        using var dir = new TempArchive();
        var demo = dir.File("demo");

        var result = await Support.Cli.RunAsync("demo", "--out", demo);

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        Assert.Contains("Example searches", result.Out);
        Assert.Contains("nothing is left running", result.Out);
        using (var store = ArchiveStore.Open(demo, readOnly: true))
        {
            Assert.True(store.Counters.Posts > 400, $"only {store.Counters.Posts} posts archived");
            Assert.Equal(["feed", "gab", "mastodon", "site", "telegram", "truthsocial"], store.Counters.ByPlatform.Keys.Order(StringComparer.Ordinal));
        }
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(demo, "warc"), "*.warc.gz"));
        var export = Path.Combine(demo, "exports", "telegram-jsonl");
        Assert.True(File.Exists(Path.Combine(export, "datapackage.json")));
        var verify = await Support.Cli.RunAsync("verify", export);
        Assert.True(verify.ExitCode == 0, verify.Error + verify.Out);
    }

    [Fact]
    public async Task The_demo_refuses_to_wipe_a_directory_it_did_not_create()
    {
        using var dir = new TempArchive();
        File.WriteAllText(dir.File("thesis.txt"), "precious");

        var result = await Support.Cli.RunAsync("demo", "--out", dir.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.True(File.Exists(dir.File("thesis.txt")));
    }

    [Fact]
    public async Task Every_example_search_of_the_demo_shows_results_and_its_counts_agree_with_stats()
    {
        using var dir = new TempArchive();
        var demo = dir.File("demo");

        var result = await Support.Cli.RunAsync("demo", "--out", demo);

        // The demo checks its own examples: a search that finds nothing makes it fail, naming the example.
        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        Assert.DoesNotContain("\n0 matches", result.Out);
        Assert.Equal(Archiver.Cli.DemoPlan.Searches.Count, System.Text.RegularExpressions.Regex.Matches(result.Out, @"^\d[\d,]* match(es)?, showing 1-", System.Text.RegularExpressions.RegexOptions.Multiline).Count);
        var stats = await Support.Cli.RunAsync("stats", "--data", demo, "--json");
        using var json = System.Text.Json.JsonDocument.Parse(stats.Out);
        var posts = json.RootElement.GetProperty("posts").GetInt64();
        var authors = json.RootElement.GetProperty("authors").GetInt64();
        Assert.Contains($"{posts:N0} posts archived", result.Out);
        Assert.Contains($"{authors:N0} authors/channels", result.Out);
        Assert.Contains($"│ posts              │ {posts:N0}", result.Out);
        // Feed items that copy a Telegram post are said to be copies, with their number.
        using var store = ArchiveStore.Open(demo, readOnly: true);
        var all = store.ScanPosts().Select(p => p.Post).ToList();
        var telegramUrls = all.Where(p => p.Platform == "telegram" && p.Url is not null).Select(p => p.Url!).ToHashSet(StringComparer.Ordinal);
        var copies = all.Count(p => p.Platform == "feed" && p.Url is { } url && telegramUrls.Contains(url));
        Assert.True(copies > 0);
        Assert.Contains($"{copies:N0} feed items copying an archived Telegram post", result.Out);
        // The JavaScript page is read with its own profile (replica-js), through the browser.
        var js = all.Where(p => p.Platform == "site" && p.Extra.GetValueOrDefault("profile") == "replica-js").ToList();
        Assert.NotEmpty(js);
        Assert.All(js, p => Assert.False(string.IsNullOrEmpty(p.Extra.GetValueOrDefault("channel_title"))));
    }

    [Fact]
    public async Task A_demo_example_that_finds_nothing_makes_the_demo_say_so_and_fail()
    {
        using var dir = new TempArchive();
        var stdout = new StringWriter();
        var context = new Archiver.Cli.CliContext { DataDir = dir.Path, Json = false, Quiet = true, Out = stdout, Error = new StringWriter(), Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(stdout), Ansi = Spectre.Console.AnsiSupport.No }) };
        var searches = new[] { new Archiver.Cli.DemoSearch("Everything", "*", ["platform"], null), new Archiver.Cli.DemoSearch("A word nobody wrote", "qwxzzyv", ["channel"], null) };

        var code = await new Archiver.Cli.DemoRunner(context, dir.File("demo"), searches).RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, code);
        Assert.Contains("example search 'A word nobody wrote' (qwxzzyv) found nothing", stdout.ToString());
        Assert.DoesNotContain("example search 'Everything'", stdout.ToString());
    }
}
