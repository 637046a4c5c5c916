using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Archiver.Replica;
using Archiver.Tests.Support;

namespace Archiver.Tests.Serve;

/// <summary>
/// The watcher inside <c>archiver serve</c>, over HTTP: the <c>/api/watch</c> API changes the list as <c>watch add|pause|
/// resume|remove</c> do and the running watcher takes each change at once (an added entry is checked without a restart);
/// what it stored is what <c>watch list --json</c> prints after serve stops. <c>--read-only</c> serves an archive
/// another process writes, refuses every change with 403, shows what that writer commits later, and leaves the archive's
/// files as they were. A watched
/// server that fails every request makes failing entries and check-failed events, never a broken page.
/// </summary>
public sealed partial class ServeWatchTests : IAsyncLifetime
{
    private static readonly string[] Network = ["--allow-private", "--rate", "0", "--no-media"];
    private readonly TempArchive _archive = new();
    private readonly List<Process> _servers = [];
    private ReplicaHost _replica = null!;

    private string Data => _archive.File("data");

    public async ValueTask InitializeAsync() =>
        _replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 7, Size = ReplicaSize.Small, LogRequests = false }, TestContext.Current.CancellationToken);

    private string TelegramSeed(int i) => _replica.Seeds.Where(s => s.StartsWith("telegram:", StringComparison.Ordinal)).ElementAt(i);

    [Fact]
    public async Task The_watch_API_changes_the_list_as_the_CLI_does_and_the_watcher_inside_serve_checks_an_added_entry_at_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var (process, url, output) = await StartAsync(Network);
        using var http = new HttpClient { BaseAddress = url };
        Assert.Equal("[]", (await http.GetStringAsync("/api/watch", ct)).Trim());

        // A form post (what a page of another site can make a browser send) is refused: the API takes JSON only.
        var form = await http.PostAsync("/api/watch", new FormUrlEncodedContent([new("seeds", TelegramSeed(0))]), ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        var unknown = await http.PostAsync("/api/watch", Json(new { seeds = new[] { "nosuch:thing" } }), ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("No platform recognises the seed 'nosuch:thing'; nothing was added.", await unknown.Content.ReadAsStringAsync(ct));
        var badEvery = await http.PostAsync("/api/watch", Json(new { seeds = new[] { TelegramSeed(0) }, every = "1.5h" }), ct);
        Assert.Equal(HttpStatusCode.BadRequest, badEvery.StatusCode);
        Assert.Contains("--every '1.5h'", await badEvery.Content.ReadAsStringAsync(ct));

        var added = await Array(await http.PostAsync("/api/watch", Json(new { seeds = new[] { TelegramSeed(0), TelegramSeed(1) }, every = "1h", tag = "press" }), ct));
        Assert.Equal([TelegramSeed(0), TelegramSeed(1)], added.Select(e => e["seed"]!.GetValue<string>()));
        Assert.All(added, e => Assert.Equal("30m..2h", e["every"]!.GetValue<string>()));
        Assert.Empty(await Array(await http.PostAsync("/api/watch", Json(new { seeds = new[] { TelegramSeed(0) } }), ct)));
        var first = added[0]["id"]!.GetValue<string>();
        var second = added[1]["id"]!.GetValue<string>();

        // No restart: the watcher checks both at once (their baselines).
        var list = await WaitForAsync(http, l => l.All(e => e["checks"]!.GetValue<int>() == 1), "both entries checked once");
        Assert.All(list, e => Assert.Equal("active", e["status"]!.GetValue<string>()));
        Assert.All(list, e => Assert.True(e["posts"]!.GetValue<long>() > 0));

        var paused = await Array(await http.PostAsync($"/api/watch/{first}/pause", Json(new { }), ct));
        Assert.True(Assert.Single(paused)["paused"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/api/watch/nosuch/pause", Json(new { }), ct)).StatusCode);
        var removed = await Array(await http.PostAsync($"/api/watch/{Uri.EscapeDataString(TelegramSeed(1))}/remove", Json(new { }), ct));
        Assert.Equal(second, Assert.Single(removed)["id"]!.GetValue<string>());
        var resumed = await Array(await http.PostAsync($"/api/watch/{first}/resume", Json(new { }), ct));
        Assert.False(Assert.Single(resumed)["paused"]!.GetValue<bool>());

        var served = (await http.GetStringAsync("/api/watch", ct)).Trim();
        Assert.Equal(first, Assert.Single(JsonNode.Parse(served)!.AsArray())!["id"]!.GetValue<string>());
        var page = await http.GetStringAsync("/watch", ct);
        Assert.Contains(Html(TelegramSeed(0)), page);
        Assert.DoesNotContain(Html(TelegramSeed(1)), page);
        var openapi = JsonNode.Parse(await http.GetStringAsync("/api/openapi.json", ct))!["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/watch", openapi);
        Assert.Contains("/api/watch/{target}/pause", openapi);

        var code = await ArchiverProcess.StopAsync(process);
        Assert.True(code == 0, $"serve exited {code}: {await output}");
        // What serve stored is what the CLI lists, field for field.
        var cli = await Support.Cli.RunAsync("--data", Data, "--json", "watch", "list");
        Assert.Equal(0, cli.ExitCode);
        Assert.Equal(JsonNode.Parse(served)!.ToJsonString(), JsonNode.Parse(cli.Out)!.ToJsonString());
        Assert.Contains($"{first} {TelegramSeed(0)}: archived", await output);
    }

    [Fact]
    public async Task Read_only_serve_shares_an_archive_a_watcher_in_serve_writes_and_refuses_every_change()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(0, (await Support.Cli.RunAsync("--data", Data, "--json", "watch", "add", TelegramSeed(0), "--tag", "shared")).ExitCode);
        var (writer, writerUrl, _) = await StartAsync(Network);
        using var owner = new HttpClient { BaseAddress = writerUrl };
        await WaitForAsync(owner, l => l.Single()["checks"]!.GetValue<int>() >= 1, "the owner's watcher checked the entry");

        // Sharing while the owner's serve (and its watcher) holds the archive: a second serve, read-only, is allowed.
        var (reader, url, readerOutput) = await StartAsync(["--read-only"]);
        using var http = new HttpClient { BaseAddress = url };
        var entry = Assert.Single(JsonNode.Parse(await http.GetStringAsync("/api/watch", ct))!.AsArray())!;
        Assert.Equal(TelegramSeed(0), entry["seed"]!.GetValue<string>());
        Assert.True(entry["checks"]!.GetValue<int>() >= 1, "the read-only server sees what the watcher had stored when it started");
        var search = JsonNode.Parse(await http.GetStringAsync("/api/search?q=*:*&limit=1", ct))!;
        Assert.True(search["total"]!.GetValue<long>() > 0, "the posts the watcher archived are searchable read-only: " + search.ToJsonString());

        var add = await http.PostAsync("/api/watch", Json(new { seeds = new[] { TelegramSeed(1) } }), ct);
        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        Assert.Contains("served read-only", await add.Content.ReadAsStringAsync(ct));
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsync($"/api/watch/{entry["id"]}/pause", Json(new { }), ct)).StatusCode);
        // The page shows no form to change anything; a form post with a valid anti-forgery token is refused too.
        var page = await http.GetStringAsync("/watch", ct);
        Assert.Contains("read-only", page);
        Assert.DoesNotContain("method=\"post\"", page);
        var (field, token) = await AntiforgeryAsync(http, ct);
        var post = await http.PostAsync($"/watch/{entry["id"]}/pause", new FormUrlEncodedContent([new(field, token)]), ct);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Contains("served read-only", await post.Content.ReadAsStringAsync(ct));

        Assert.Equal(0, await ArchiverProcess.StopAsync(reader));
        Assert.DoesNotContain(": archived", await readerOutput);
        Assert.Equal(0, await ArchiverProcess.StopAsync(writer));
        var list = JsonNode.Parse((await Support.Cli.RunAsync("--data", Data, "--json", "watch", "list")).Out)!.AsArray();
        Assert.False(Assert.Single(list)!["paused"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Read_only_serve_leaves_every_file_of_the_archive_as_it_was_also_when_it_refreshes_its_view()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(0, (await Support.Cli.RunAsync("--data", Data, "--json", "watch", "add", TelegramSeed(0))).ExitCode);
        Assert.Equal(0, (await Support.Cli.RunAsync(["--data", Data, "--quiet", "watch", "run", "--once", .. Network])).ExitCode);
        var before = Fingerprint(Data);

        var (process, url, output) = await StartAsync(["--read-only", "--refresh", "1s"]);
        using var http = new HttpClient { BaseAddress = url };
        await AskEverythingAsync(http, ct);
        AssertUnchanged(before, Fingerprint(Data));

        // A writer in another process adds an entry and checks it; the server then reopens its view (a refresh),
        // and from then on it is the only one with the archive open: it still writes nothing.
        Assert.Equal(0, (await Support.Cli.RunAsync("--data", Data, "--json", "watch", "add", TelegramSeed(1))).ExitCode);
        Assert.Equal(0, (await Support.Cli.RunAsync(["--data", Data, "--quiet", "watch", "run", "--once", .. Network])).ExitCode);
        var written = Fingerprint(Data);
        await WaitForAsync(http, l => l.Count == 2 && l.All(e => e["checks"]!.GetValue<int>() == 1), "the read-only server showed the writer's second entry");
        await AskEverythingAsync(http, ct);
        Assert.Equal(0, await ArchiverProcess.StopAsync(process));

        Assert.Contains("refreshed: archive batch", await output);
        AssertUnchanged(written, Fingerprint(Data));
    }

    /// <summary>Every page and API of a read-only server answers, and a change is refused.</summary>
    private async Task AskEverythingAsync(HttpClient http, CancellationToken ct)
    {
        foreach (var path in new[] { "/", "/?q=*:*", "/channels", "/watch", "/events", "/events.atom", "/api/watch", "/api/events", "/api/channels", "/api/search?q=*:*" })
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(path, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsync("/api/watch", Json(new { seeds = new[] { TelegramSeed(2) } }), ct)).StatusCode);
    }

    private static void AssertUnchanged(Dictionary<string, string> before, Dictionary<string, string> after)
    {
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        Assert.All(before, f => Assert.True(f.Value == after[f.Key], $"{f.Key} changed"));
    }

    [Fact]
    public async Task A_watched_server_failing_every_request_makes_failing_entries_and_events_and_never_a_broken_page()
    {
        var ct = TestContext.Current.CancellationToken;
        _replica.SetFaults(FaultSettings.Parse("error=1"));
        var (process, url, output) = await StartAsync(Network);
        using var http = new HttpClient { BaseAddress = url };
        const string hostile = "<img src=x onerror=alert(1)>";
        await Array(await http.PostAsync("/api/watch", Json(new { seeds = new[] { TelegramSeed(0) }, tag = hostile }), ct));

        var list = await WaitForAsync(http, l => l.Single()["checks"]!.GetValue<int>() >= 1, "the failing check was saved");
        Assert.Equal("failing", list.Single()["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(list.Single()["last_error"]?.GetValue<string>()));
        var events = JsonNode.Parse(await http.GetStringAsync("/api/events", ct))!.AsArray();
        Assert.Contains(events, e => e!["type"]!.GetValue<string>() == "check-failed");
        foreach (var path in new[] { "/watch", "/events", "/events?type=check-failed", "/channels", "/" })
        {
            var response = await http.GetAsync(path, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync(ct);
            Assert.DoesNotContain("<img src=x", html);
        }
        Assert.Contains(Html(hostile), await http.GetStringAsync("/watch", ct));
        Assert.Contains("check-failed", await http.GetStringAsync("/events?type=check-failed", ct));
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/events?type=nosuch", ct)).StatusCode);
        var atom = await http.GetAsync("/events.atom", ct);
        Assert.Equal("application/atom+xml", atom.Content.Headers.ContentType!.MediaType);
        var feed = System.Xml.Linq.XDocument.Parse(await atom.Content.ReadAsStringAsync(ct));
        Assert.Contains(feed.Root!.Elements(global::Archiver.Notifications.AtomFeed.Atom + "entry"), e => e.Element(global::Archiver.Notifications.AtomFeed.Atom + "title")!.Value.StartsWith("check-failed", StringComparison.Ordinal));
        Assert.Equal(0, await ArchiverProcess.StopAsync(process));
        Assert.Contains("failed", await output);
    }

    private static string Html(string text) => System.Text.Encodings.Web.HtmlEncoder.Default.Encode(text);

    private static StringContent Json(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    private static async Task<List<JsonNode>> Array(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsArray().Select(n => n!).ToList();
    }

    private static async Task<List<JsonNode>> WaitForAsync(HttpClient http, Func<List<JsonNode>, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var list = JsonNode.Parse(await http.GetStringAsync("/api/watch", TestContext.Current.CancellationToken))!.AsArray().Select(n => n!).ToList();
            if (list.Count > 0 && condition(list)) return list;
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}: {string.Join(", ", list.Select(n => n.ToJsonString()))}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    private static async Task<(string Field, string Token)> AntiforgeryAsync(HttpClient http, CancellationToken ct)
    {
        // The login page's form carries a token (the cookie comes with it); the read-only watch page has no form.
        var match = FormField().Match(await http.GetStringAsync("/login", ct));
        Assert.True(match.Success, "no anti-forgery field on /login");
        return (match.Groups[1].Value, match.Groups[2].Value);
    }

    /// <summary>Every file under the archive with its SHA-256.</summary>
    private static Dictionary<string, string> Fingerprint(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(root, f),
            f =>
            {
                using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                return Convert.ToHexString(SHA256.HashData(stream));
            });

    private async Task<(Process Process, Uri Url, Task<string> Output)> StartAsync(IEnumerable<string> args)
    {
        var (process, url, lines) = await ServeProcess.StartAsync(Data, "127.0.0.1:0", 0, args, TestContext.Current.CancellationToken);
        _servers.Add(process);
        // Read what it prints from here on (a line per check): a full pipe would stall it.
        var rest = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        return (process, url, rest.ContinueWith(t => string.Join('\n', lines) + "\n" + t.Result, TaskScheduler.Default));
    }

    [GeneratedRegex("name=\"(__archiver_form)\" value=\"([^\"]+)\"")]
    private static partial Regex FormField();

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _servers)
        {
            if (!process.HasExited) ArchiverProcess.KillHard(process);
            process.Dispose();
        }
        await _replica.DisposeAsync();
        _archive.Dispose();
    }
}
