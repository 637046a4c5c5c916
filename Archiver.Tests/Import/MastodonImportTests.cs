using System.Text;
using System.Text.Json;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Import;

/// <summary>Saved Mastodon API responses (the real Mastodon.py cassette bodies in the shared fixtures) imported as statuses.</summary>
public sealed class MastodonImportTests : IDisposable
{
    private const string Timeline = "mastodon/mastodon_py/test_public_tl__02_GET_api_v1_timelines_public.json";
    private const string Reblog = "mastodon/mastodon_py/test_status_reblog_unreblog__01_POST_api_v1_statuses_117020586019094258_reblog.json";
    private readonly TempArchive _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Data => _dir.File("archive");

    private static async Task<Support.Cli.Result> ImportAsync(string data, params string[] args)
    {
        var result = await Support.Cli.RunAsync(["import", .. args, "--data", data, "--no-index", "--json"]);
        // Entries that could not be imported make the import exit 1 (the tests check which ones).
        var expected = result.Out.Contains("\"bad_lines\": 0", StringComparison.Ordinal) ? 0 : 1;
        Assert.True(result.ExitCode == expected, result.Error + result.Out);
        return result;
    }

    private static List<string> TimelineEntries() =>
        JsonDocument.Parse(Fixtures.Text(Timeline)).RootElement.EnumerateArray().Select(e => e.GetRawText()).ToList();

    [Fact]
    public async Task A_saved_public_timeline_array_is_recognised_and_every_status_imported()
    {
        var result = await ImportAsync(Data, Fixtures.Path(Timeline));

        Assert.Contains("\"inserted\": 8", result.Out);
        Assert.Contains("\"bad_lines\": 0", result.Out);
        using var store = ArchiveStore.Open(Data, readOnly: true);
        Assert.Equal(8, store.Counters.Posts);
        Assert.Equal(2, store.Counters.Authors);
        var post = store.GetPost("mastodon:localhost:3000:117020592137523525")!.Post;
        Assert.Equal("you can't say that on television", post.Text);
        Assert.Equal("<p>you can&#39;t say that on television</p>", post.Html);
        Assert.Equal("http://localhost:3000/@admin/117020592137523525", post.Url);
        Assert.Equal(("admin", "117020565693913441"), (post.AuthorHandle, post.AuthorId));
        Assert.Equal(new DateTime(2026, 8, 1, 13, 55, 31, 396, DateTimeKind.Utc), post.CreatedAt);
        Assert.Equal("en", post.Language);
        Assert.Equal("public", post.Extra["visibility"]);
        Assert.Equal("ja", store.GetPost("mastodon:localhost:3000:117020593378945190")!.Post.Language);
        Assert.Equal("mastodonpy_test_2", store.GetAuthor("mastodon:localhost:3000:117020566092212359")!.Author.Handle);

        var again = await ImportAsync(Data, "--format", "mastodon", Fixtures.Path(Timeline), "--again");
        Assert.Contains("\"inserted\": 0", again.Out);
        Assert.Contains("\"unchanged\": 8", again.Out);
    }

    [Fact]
    public async Task A_single_reblog_gives_the_wrapper_and_the_original()
    {
        await ImportAsync(Data, "--format", "mastodon", Fixtures.Path(Reblog));

        using var store = ArchiveStore.Open(Data, readOnly: true);
        var wrapper = store.GetPost("mastodon:localhost:3000:117020586027094262")!.Post;
        Assert.Equal("reblog", wrapper.Kind);
        Assert.Equal("117020586019094258", wrapper.Extra["reblog_of"]);
        Assert.Equal("Toot!", store.GetPost("mastodon:localhost:3000:117020586019094258")!.Post.Text);
        Assert.Equal(2, store.Counters.Posts);
    }

    [Fact]
    public async Task Statuses_one_per_line_import_and_bad_lines_are_reported_with_line_numbers()
    {
        var lines = TimelineEntries();
        lines.Insert(2, "{\"id\": \"1\", \"note\": \"not a status\"}");
        lines.Insert(5, "{\"id\": broken");
        var input = _dir.File("statuses.jsonl");
        File.WriteAllText(input, string.Join("\n", lines) + "\n", new UTF8Encoding(false));

        var result = await ImportAsync(Data, input);

        Assert.Contains("\"inserted\": 8", result.Out);
        Assert.Contains("\"bad_lines\": 2", result.Out);
        Assert.Contains("\"line\": 3", result.Out);
        Assert.Contains("\"line\": 6", result.Out);
        using var store = ArchiveStore.Open(Data, readOnly: true);
        Assert.Equal(8, store.Counters.Posts);
    }

    [Fact]
    public async Task Malformed_array_entries_are_counted_with_their_position_and_a_cut_keeps_what_came_before()
    {
        var entries = TimelineEntries();
        var text = $"[\n{entries[0]},\n42,\n{{\"id\":\"77\",\"content\":\"no account\"}},\n{entries[1]},\n{entries[2][..40]}";
        var input = _dir.File("cut.json");
        File.WriteAllText(input, text, new UTF8Encoding(false));

        var result = await ImportAsync(Data, "--format", "mastodon", input);

        using var report = JsonDocument.Parse(result.Out);
        var problems = report.RootElement.GetProperty("problems").EnumerateArray()
            .Select(p => (p.GetProperty("line").GetInt64(), p.GetProperty("reason").GetString()!)).ToList();
        Assert.Equal(3, report.RootElement.GetProperty("bad_lines").GetInt64());
        Assert.Equal([2L, 3L, 5L], problems.Select(p => p.Item1));
        Assert.StartsWith($"entry 2 (byte {Encoding.UTF8.GetByteCount(entries[0]) + 4}): not a status but a JSON number", problems[0].Item2);
        Assert.StartsWith("entry 3 (byte", problems[1].Item2);
        Assert.Contains("not a status (needs id, account, created_at and content)", problems[1].Item2);
        Assert.Contains("malformed JSON, reading stopped", problems[2].Item2);
        using var store = ArchiveStore.Open(Data, readOnly: true);
        Assert.Equal(2, store.Counters.Posts);
        Assert.NotNull(store.GetPost("mastodon:localhost:3000:117020592137523525"));
    }

    [Fact]
    public async Task A_remote_status_without_a_local_one_is_refused_because_its_server_is_unknown()
    {
        var remote = JsonDocument.Parse(TimelineEntries()[0]).RootElement;
        var json = remote.GetRawText().Replace("\"acct\":\"mastodonpy_test_2\"", "\"acct\":\"mastodonpy_test_2@elsewhere.example\"", StringComparison.Ordinal);
        Assert.Contains("@elsewhere.example", json);
        var input = _dir.File("remote.json");
        File.WriteAllText(input, "[\n" + json + "\n]");

        var result = await ImportAsync(Data, "--format", "mastodon", input);

        Assert.Contains("\"bad_lines\": 1", result.Out);
        Assert.Contains("is from another server (acct mastodonpy_test_2@elsewhere.example)", result.Out);
    }
}
