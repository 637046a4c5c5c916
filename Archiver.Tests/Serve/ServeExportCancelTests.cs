using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Archiver.Tests.Support;

namespace Archiver.Tests.Serve;

/// <summary>
/// Exports that take a few seconds (20,000 posts, pseudonymised): two run at once and a third waits its turn (429),
/// a running one is cancelled from its page or deleted through the API, and nothing of it stays on disk.
/// </summary>
public sealed partial class ServeExportCancelTests : IAsyncDisposable
{
    private readonly TempArchive _archive = new();
    private Process? _server;

    [Fact]
    public async Task Running_exports_are_limited_cancelled_and_deleted_without_leaving_files()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = _archive.File("data");
        var file = _archive.File("posts.jsonl");
        await File.WriteAllLinesAsync(file, Enumerable.Range(0, 20_000).Select(i => JsonSerializer.Serialize(new
        {
            id = $"te-{i}",
            platform = "telegram",
            channel = $"ch{i % 50}",
            author = $"author{i % 300}",
            created_at = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            lang = "en",
            text = $"election number {i}, said @author{i * 7 % 300}",
            hashtags = Array.Empty<string>(),
            urls = Array.Empty<string>(),
        })), ct);
        var import = await Support.Cli.RunAsync("--data", data, "--quiet", "import", file);
        Assert.True(import.ExitCode == 0, import.Error);
        Directory.CreateDirectory(Path.Combine(data, "keys"));
        await File.WriteAllBytesAsync(Path.Combine(data, "keys", "project.key"), Enumerable.Range(0, 32).Select(i => (byte)(i * 5 + 1)).ToArray(), ct);
        (_server, var url, _) = await ServeProcess.StartAsync(data, "127.0.0.1:0", 0, ct);
        var folder = Assert.Single(Directory.EnumerateDirectories(Path.GetTempPath(), $"archiver-serve-exports-{_server.Id}-*"));

        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false });
        var slow = new { format = "jsonl", pseudonymise = true, with_history = true };
        var first = await StartAsync(http, url, slow);
        var second = await StartAsync(http, url, slow);
        Assert.Equal("running", (await StatusAsync(http, url, first))["state"]!.GetValue<string>());
        Assert.Equal("running", (await StatusAsync(http, url, second))["state"]!.GetValue<string>());
        using (var third = await http.PostAsJsonAsync(new Uri(url, "/api/exports"), slow, ct))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
            Assert.Contains("2 exports are running", await third.Content.ReadAsStringAsync(ct));
        }

        // Cancelled from its page (with the page's anti-forgery token): it stops, and its page says so.
        var page = await http.GetStringAsync(new Uri(url, $"/exports/{second}"), ct);
        Assert.Contains("<progress", page);
        var field = FormField().Match(page);
        Assert.True(field.Success, page);
        using (var cancel = await http.PostAsync(new Uri(url, $"/exports/{second}/cancel"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [field.Groups[1].Value] = WebUtility.HtmlDecode(field.Groups[2].Value),
        }), ct))
            Assert.Equal(HttpStatusCode.Redirect, cancel.StatusCode);
        await WaitUntilAsync(async () => (await StatusAsync(http, url, second))["state"]!.GetValue<string>() != "running");
        var cancelled = await StatusAsync(http, url, second);
        Assert.Equal("cancelled", cancelled["state"]!.GetValue<string>());
        Assert.True(cancelled["posts"]!.GetValue<long>() < 20_000);
        Assert.Equal(HttpStatusCode.Conflict, (await http.GetAsync(new Uri(url, $"/api/exports/{second}/download"), ct)).StatusCode);
        // The export removed its staging directory: nothing of it is left in its folder.
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(folder, second)));

        // Deleted through the API while it runs: gone from the list, its files removed.
        using (var deleted = await http.DeleteAsync(new Uri(url, $"/api/exports/{first}"), ct))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(url, $"/api/exports/{first}"), ct)).StatusCode);
        await WaitUntilAsync(() => Task.FromResult(!Directory.Exists(Path.Combine(folder, first))));

        // With both stopped, an export runs again and finishes.
        var again = await StartAsync(http, url, new { format = "ids", query = "election" });
        await WaitUntilAsync(async () => (await StatusAsync(http, url, again))["state"]!.GetValue<string>() != "running");
        var done = await StatusAsync(http, url, again);
        Assert.Equal("done", done["state"]!.GetValue<string>());
        Assert.Equal(20_000, done["result"]!["posts"]!.GetValue<long>());
    }

    private static async Task<string> StartAsync(HttpClient http, Uri url, object options)
    {
        using var response = await http.PostAsJsonAsync(new Uri(url, "/api/exports"), options, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    private static async Task<JsonNode> StatusAsync(HttpClient http, Uri url, string id) =>
        JsonNode.Parse(await http.GetStringAsync(new Uri(url, $"/api/exports/{id}"), TestContext.Current.CancellationToken))!;

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "timed out");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    [GeneratedRegex("name=\"(__archiver_form)\" value=\"([^\"]+)\"")]
    private static partial Regex FormField();

    public ValueTask DisposeAsync()
    {
        ArchiverProcess.KillAndDispose(_server);
        _archive.Dispose();
        return ValueTask.CompletedTask;
    }
}
