using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Archiver.Tests.Support;

namespace Archiver.Tests.Serve;

/// <summary>
/// <c>archiver serve --read-only</c> beside a writer in another process (<c>archiver import</c>): what the writer commits
/// after the server started is searchable and shown within the refresh interval, and requests running while the
/// server swaps in a newer snapshot are answered from one view, never with a failure.
/// </summary>
public sealed class ServeReadOnlyFollowTests : IAsyncLifetime
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);
    private readonly TempArchive _archive = new();
    private readonly List<Process> _servers = [];

    private string Data => _archive.File("data");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Posts_a_writer_imports_after_the_read_only_server_started_are_found_and_shown_within_the_refresh_interval()
    {
        // Given an archive of 20 posts served read-only
        var ct = TestContext.Current.CancellationToken;
        await ImportAsync("alpha", 20);
        var (server, url, output) = await StartAsync();
        using var http = new HttpClient { BaseAddress = url };
        Assert.Equal(20, await TotalAsync(http, "alpha", ct));
        Assert.Equal(0, await TotalAsync(http, "bravo", ct));
        var alphaKey = (await HitKeysAsync(http, "alpha", ct)).First(k => k.Contains("alpha-0000", StringComparison.Ordinal));
        var bravoKey = alphaKey.Replace("alpha-0000", "bravo-0000", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/posts/{Uri.EscapeDataString(bravoKey)}", ct)).StatusCode);

        // When another process imports 15 more
        await ImportAsync("bravo", 15);
        var imported = Stopwatch.StartNew();

        // Then search finds them and their pages show them, within the refresh interval (and the time to open a snapshot)
        while (await TotalAsync(http, "bravo", ct) != 15)
        {
            Assert.True(imported.Elapsed < TimeSpan.FromSeconds(20), "the read-only server never showed the posts imported after it started");
            await Task.Delay(100, ct);
        }
        Assert.True(imported.Elapsed < Refresh + TimeSpan.FromSeconds(5), $"shown after {imported.Elapsed}");
        Assert.Contains(bravoKey, await HitKeysAsync(http, "bravo", ct));
        var post = await http.GetAsync($"/api/posts/{Uri.EscapeDataString(bravoKey)}", ct);
        var body = await post.Content.ReadAsStringAsync(ct);
        // Found means shown: the store the server reads is at least as new as its index.
        Assert.True(post.StatusCode == HttpStatusCode.OK, $"{(int)post.StatusCode}: {body}");
        Assert.Contains("bravo report number 0", body);
        Assert.Contains("bravo report number 0", await http.GetStringAsync($"/posts/{Uri.EscapeDataString(bravoKey)}", ct));
        Assert.Equal(20, await TotalAsync(http, "alpha", ct));

        Assert.Equal(0, await ArchiverProcess.StopAsync(server));
        var printed = await output;
        Assert.Contains("refreshed: archive batch", printed);
        Assert.DoesNotContain("failed", printed);
    }

    [Fact]
    public async Task Requests_running_while_the_server_refreshes_its_view_never_fail_and_never_go_back_in_time()
    {
        // Given a read-only server with 16 clients searching and reading posts without pause
        var ct = TestContext.Current.CancellationToken;
        await ImportAsync("alpha", 20);
        var (server, url, output) = await StartAsync();
        var alphaKey = await FirstKeyAsync(url, ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var failures = new ConcurrentQueue<string>();
        var answered = 0;
        var clients = Enumerable.Range(0, 16).Select(client => Task.Run(async () =>
        {
            using var http = new HttpClient { BaseAddress = url };
            var seen = 0L;
            while (!stop.IsCancellationRequested)
            {
                var path = (client % 4) switch
                {
                    0 => "/api/search?q=report&by=channel&by=author&histogram=week&limit=20",
                    1 => $"/api/posts/{Uri.EscapeDataString(alphaKey)}",
                    2 => "/?q=report",
                    _ => "/api/search?q=report&sort=newest&limit=50&offset=10",
                };
                try
                {
                    using var response = await http.GetAsync(path, stop.Token);
                    var text = await response.Content.ReadAsStringAsync(stop.Token);
                    if (response.StatusCode != HttpStatusCode.OK) failures.Enqueue($"{path}: {(int)response.StatusCode} {text}");
                    else if (path.StartsWith("/api/search", StringComparison.Ordinal))
                    {
                        // One client's requests follow each other: a newer view never gives way to an older one.
                        var found = JsonNode.Parse(text)!;
                        var total = found["total"]!.GetValue<long>();
                        if (total < seen) failures.Enqueue($"{path}: {total} posts after {seen}");
                        seen = total;
                        // Every hit's post is in the store of the same view (its details come from there).
                        if (found["hits"]!.AsArray().FirstOrDefault(h => h!["platform"] is null) is { } bare) failures.Enqueue($"{path}: {bare!["key"]} found but not in the store");
                    }
                    Interlocked.Increment(ref answered);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
                catch (HttpRequestException e)
                {
                    failures.Enqueue($"{path}: {e.Message}");
                }
            }
        }, ct)).ToList();

        // When another process imports five batches, a refresh apart
        for (var batch = 0; batch < 5; batch++)
        {
            await ImportAsync($"charlie{batch}", 10);
            await Task.Delay(Refresh + TimeSpan.FromMilliseconds(300), ct);
        }
        using (var http = new HttpClient { BaseAddress = url })
        {
            var deadline = Stopwatch.StartNew();
            while (await TotalAsync(http, "report", ct) != 70)
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), "the last batch was never shown");
                await Task.Delay(100, ct);
            }
        }
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        // Then every request was answered, and the server refreshed several times meanwhile
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(10)));
        Assert.True(answered > 100, $"only {answered} requests answered");
        Assert.Equal(0, await ArchiverProcess.StopAsync(server));
        var printed = await output;
        var refreshes = printed.Split('\n').Count(l => l.StartsWith("refreshed: archive batch", StringComparison.Ordinal));
        Assert.True(refreshes >= 3, $"{refreshes} refreshes:\n{printed}");
        Assert.DoesNotContain("failed", printed);
    }

    private async Task ImportAsync(string word, int count)
    {
        var file = _archive.File($"{word}.jsonl");
        var lines = Enumerable.Range(0, count).Select(i => JsonSerializer.Serialize(new
        {
            id = $"te-{word}-{i:D4}",
            platform = "telegram",
            channel = "follow_news",
            author = $"author{i % 3}",
            created_at = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(i).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            lang = "en",
            text = $"{word} report number {i}",
            hashtags = Array.Empty<string>(),
            urls = Array.Empty<string>(),
        }));
        await File.WriteAllLinesAsync(file, lines, TestContext.Current.CancellationToken);
        var import = await Support.Cli.RunAsync("--data", Data, "--quiet", "import", file);
        Assert.True(import.ExitCode == 0, import.Error);
    }

    private static async Task<long> TotalAsync(HttpClient http, string query, CancellationToken ct) =>
        JsonNode.Parse(await http.GetStringAsync($"/api/search?q={Uri.EscapeDataString(query)}&limit=0", ct))!["total"]!.GetValue<long>();

    private static async Task<List<string>> HitKeysAsync(HttpClient http, string query, CancellationToken ct) =>
        JsonNode.Parse(await http.GetStringAsync($"/api/search?q={Uri.EscapeDataString(query)}&limit=100", ct))!["hits"]!.AsArray()
            .Select(h => h!["key"]!.GetValue<string>()).ToList();

    private static async Task<string> FirstKeyAsync(Uri url, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = url };
        return (await HitKeysAsync(http, "alpha", ct))[0];
    }

    /// <summary>serve --read-only refreshing every second; everything it prints (stdout and stderr) once it stopped.</summary>
    private async Task<(Process Process, Uri Url, Task<string> Output)> StartAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var (process, url, lines) = await ServeProcess.StartAsync(Data, "127.0.0.1:0", 0, ct, "--read-only", "--refresh", "1s");
        _servers.Add(process);
        // Read both streams from here on: a full pipe would stall the server.
        var rest = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        return (process, url, Task.WhenAll(rest, errors).ContinueWith(t => string.Join('\n', lines) + "\n" + t.Result[0] + t.Result[1], ct, TaskContinuationOptions.None, TaskScheduler.Default));
    }

    public ValueTask DisposeAsync()
    {
        foreach (var process in _servers)
        {
            if (!process.HasExited) ArchiverProcess.KillHard(process);
            process.Dispose();
        }
        _archive.Dispose();
        return ValueTask.CompletedTask;
    }
}
