using System.Text.Json;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Commands;

/// <summary><c>watch add|list|remove|pause|resume</c> through the CLI: the list round-trips in the archive, bad seeds and intervals are refused.</summary>
public sealed class WatchCommandTests : IDisposable
{
    private readonly TempArchive _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<Support.Cli.Result> Watch(params string[] args) => Support.Cli.RunAsync(["watch", .. args, "--data", _dir.Path]);

    private static List<JsonElement> Entries(Support.Cli.Result result)
    {
        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        using var doc = JsonDocument.Parse(result.Out);
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    [Fact]
    public async Task Add_list_pause_resume_and_remove_round_trip_through_the_archive()
    {
        var added = Entries(await Watch("add", "telegram:durov", "mastodon:@alice@example.social", "--every", "6h", "--tag", "press", "--json"));
        Assert.Equal(2, added.Count);
        var durov = added[0].GetProperty("id").GetString()!;
        var alice = added[1].GetProperty("id").GetString()!;
        Assert.Matches("^[0-9a-f]{8}$", durov);

        var list = Entries(await Watch("list", "--json"));
        Assert.Equal(["telegram:durov", "mastodon:@alice@example.social"], list.Select(e => e.GetProperty("seed").GetString()));
        var first = list[0];
        Assert.Equal(durov, first.GetProperty("id").GetString());
        Assert.Equal("telegram", first.GetProperty("platform").GetString());
        Assert.Equal("press", first.GetProperty("tag").GetString());
        Assert.Equal("new", first.GetProperty("status").GetString());
        Assert.False(first.GetProperty("paused").GetBoolean());
        Assert.Equal("3h..12h", first.GetProperty("every").GetString());
        Assert.Equal("6h", first.GetProperty("interval").GetString());
        Assert.False(first.TryGetProperty("last_check_at", out _));
        // Due at once: the next check is when it was added.
        Assert.Equal(first.GetProperty("created_at").GetDateTime(), first.GetProperty("next_check_at").GetDateTime());
        Assert.Equal(0, first.GetProperty("posts").GetInt64());

        // Adding a seed again adds nothing.
        var again = await Watch("add", "telegram:durov");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains($"already watched as {durov}", again.Out);

        Assert.True(Entries(await Watch("pause", durov, "--json")).Single().GetProperty("paused").GetBoolean());
        var paused = Entries(await Watch("list", "--json"));
        Assert.Equal([true, false], paused.Select(e => e.GetProperty("paused").GetBoolean()));
        var text = await Watch("list");
        Assert.Contains("paused (new)", text.Out);

        // By seed as well as by id.
        Assert.False(Entries(await Watch("resume", "telegram:durov", "--json")).Single().GetProperty("paused").GetBoolean());
        Assert.All(Entries(await Watch("list", "--json")), e => Assert.False(e.GetProperty("paused").GetBoolean()));

        Assert.Equal(alice, Entries(await Watch("remove", alice, "--json")).Single().GetProperty("id").GetString());
        Assert.Equal([durov], Entries(await Watch("list", "--json")).Select(e => e.GetProperty("id").GetString()));
        using var store = ArchiveStore.Open(_dir.Path, readOnly: true);
        Assert.Equal([durov], store.WatchEntries().Select(e => e.Id));
    }

    [Fact]
    public async Task Ten_thousand_seeds_are_added_once_each_and_seeds_given_twice_or_already_watched_are_reported_not_added()
    {
        Entries(await Watch("add", "telegram:chan00042", "--json"));
        var seeds = Enumerable.Range(0, 10_000).Select(i => $"telegram:chan{i:D5}").ToList();

        // Two seeds given twice in one command, and one watched before.
        var result = await Watch(["add", .. seeds, "telegram:chan00007", "telegram:chan09999"]);

        Assert.True(result.ExitCode == 0, result.Error);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(9_999, lines.Count(l => l.StartsWith("added ", StringComparison.Ordinal)));
        var already = lines.Where(l => l.Contains(" is already watched as ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, already.Count);
        var list = Entries(await Watch("list", "--json"));
        Assert.Equal(10_000, list.Count);
        var bySeed = list.ToDictionary(e => e.GetProperty("seed").GetString()!, e => e.GetProperty("id").GetString()!);
        Assert.Equal(seeds.Order(StringComparer.Ordinal), bySeed.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(10_000, bySeed.Values.Distinct().Count());
        // Each repeat names the entry the seed is watched as: the one of before, or the one this command added.
        Assert.Contains($"telegram:chan00042 is already watched as {bySeed["telegram:chan00042"]}", already);
        Assert.Contains($"telegram:chan00007 is already watched as {bySeed["telegram:chan00007"]}", already);
        Assert.Contains($"telegram:chan09999 is already watched as {bySeed["telegram:chan09999"]}", already);
        // The order they were given in.
        Assert.Equal(seeds.Where(s => s != "telegram:chan00042"), list.Select(e => e.GetProperty("seed").GetString()).Where(s => s != "telegram:chan00042"));

        // Pause and remove take as many, by id or by seed; a target named twice counts once.
        var half = bySeed.Take(5_000).ToList();
        var paused = Entries(await Watch(["pause", .. half.Select((p, i) => i % 2 == 0 ? p.Value : p.Key), half[0].Value, "--json"]));
        Assert.Equal(half.Select(p => p.Value), paused.Select(e => e.GetProperty("id").GetString()));
        Assert.Equal(5_000, Entries(await Watch("list", "--json")).Count(e => e.GetProperty("paused").GetBoolean()));
        var removed = Entries(await Watch(["remove", .. half.Select(p => p.Key), "--json"]));
        Assert.Equal(5_000, removed.Count);
        var left = Entries(await Watch("list", "--json"));
        Assert.Equal(bySeed.Skip(5_000).Select(p => p.Value).Order(StringComparer.Ordinal), left.Select(e => e.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(left, e => e.GetProperty("paused").GetBoolean());
    }

    [Fact]
    public async Task A_seed_no_platform_recognises_is_refused_with_exit_1_and_nothing_is_added()
    {
        Entries(await Watch("add", "telegram:kept", "--json"));

        var result = await Watch("add", "telegram:good", "nosuchplatform:x");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No platform recognises the seed 'nosuchplatform:x'; nothing was added", result.Error);
        Assert.Contains("Known platforms: telegram", result.Error);
        Assert.Equal(["telegram:kept"], Entries(await Watch("list", "--json")).Select(e => e.GetProperty("seed").GetString()));
    }

    [Theory]
    [InlineData("1.5h")]
    [InlineData("30")]
    [InlineData("30 m")]
    [InlineData("0m")]
    [InlineData("-1h")]
    [InlineData("6H")]
    [InlineData("1w")]
    [InlineData("1h..")]
    [InlineData("1d..1h")]
    [InlineData("1m")]
    [InlineData("100d")]
    [InlineData("1h..2h..3h")]
    public async Task An_interval_that_is_not_strictly_a_number_and_a_unit_within_the_limits_is_a_usage_error(string every)
    {
        var result = await Watch("add", "telegram:durov", "--every", every);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--every '{every}'", result.Error);
        Assert.False(File.Exists(Path.Combine(_dir.Path, "archive.db")), "a refused add created the archive");
    }

    [Fact]
    public async Task Remove_pause_and_resume_of_an_unknown_entry_fail_with_exit_1_and_change_nothing()
    {
        var id = Entries(await Watch("add", "telegram:durov", "--json")).Single().GetProperty("id").GetString()!;

        foreach (var verb in new[] { "remove", "pause", "resume" })
        {
            var result = await Watch(verb, id, "ffffffff");
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("No watch entry 'ffffffff'", result.Error);
        }
        var entry = Entries(await Watch("list", "--json")).Single();
        Assert.Equal(id, entry.GetProperty("id").GetString());
        Assert.False(entry.GetProperty("paused").GetBoolean());
    }

    [Fact]
    public async Task Watch_run_on_an_empty_watch_list_says_so_with_exit_1()
    {
        var result = await Watch("run", "--once");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("The watch list is empty", result.Error);
    }
}
