using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Archiver.Tests.Export;
using Archiver.Tests.Support;

namespace Archiver.Tests.Serve;

/// <summary>
/// Exports through <c>archiver serve</c>'s API and export page, on a real serve process: the zip holds the files
/// <c>archiver export</c> writes for the same options (byte for byte, apart from the creation time in
/// datapackage.json and that file's checksum), its manifest checks out, independent readers (Python's csv, DuckDB)
/// read back as many rows as the search finds, and what the CLI refuses is refused with the CLI's message.
/// </summary>
public sealed class ServeExportTests : IAsyncLifetime
{
    private static readonly string[] Handles = ["author0", "author1", "author2", "author3", "news_even", "news_odd", "mallory"];

    private readonly TempArchive _archive = new();
    private readonly List<Process> _servers = [];
    private string Data => _archive.File("data");

    public async ValueTask InitializeAsync()
    {
        var lines = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var (lang, text) = (i % 3) switch
            {
                0 => ("fr", $"L'élection municipale numéro {i} à Lyon, dit @author{(i + 1) % 4}"),
                1 => ("en", $"The election results number {i} are in, \"quoted\", with a comma\nand a line"),
                _ => ("ru", $"Выборы номер {i} прошли спокойно"),
            };
            lines.Add(JsonSerializer.Serialize(new
            {
                id = $"te-{i:D6}",
                platform = i % 8 == 7 ? "mastodon" : "telegram",
                channel = i % 2 == 0 ? "news_even" : "news_odd",
                author = $"author{i % 4}",
                created_at = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(i).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                lang,
                text,
                hashtags = i % 5 == 0 ? new[] { "vote" } : [],
                urls = Array.Empty<string>(),
            }));
        }
        lines.Add(JsonSerializer.Serialize(new { id = "te-hostile1", platform = "telegram", channel = "news_even", author = "mallory", created_at = "2024-03-01T00:00:00Z", lang = "en", text = "=HYPERLINK(\"x\") <script>alert(1)</script> election", hashtags = Array.Empty<string>(), urls = Array.Empty<string>() }));
        var file = _archive.File("posts.jsonl");
        await File.WriteAllLinesAsync(file, lines, TestContext.Current.CancellationToken);
        var import = await Support.Cli.RunAsync("--data", Data, "--quiet", "import", file);
        Assert.True(import.ExitCode == 0, import.Error);
        Directory.CreateDirectory(Path.Combine(Data, "keys"));
        await File.WriteAllBytesAsync(Path.Combine(Data, "keys", "project.key"), Enumerable.Range(0, 32).Select(i => (byte)(i * 11 + 3)).ToArray(), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_CSV_export_from_the_API_reads_back_in_python_csv_with_the_search_total_and_its_manifest_checks_out()
    {
        var url = await StartAsync();
        using var http = new HttpClient();
        var search = JsonNode.Parse(await http.GetStringAsync(new Uri(url, "/api/search?q=election&limit=0"), TestContext.Current.CancellationToken))!;
        var total = search["total"]!.GetValue<long>();
        Assert.True(total > 10, $"the query found {total}");

        var (status, zip, filename) = await ExportAsync(http, url, new { format = "csv", query = "election" });
        Assert.Equal("done", status["state"]!.GetValue<string>());
        Assert.Equal(total, status["result"]!["posts"]!.GetValue<long>());
        Assert.Matches(@"^archiver-export-csv-\d{8}-\d{6}\.zip$", filename);
        var dir = Unzip(zip, "csv");
        var rows = await CsvReadBackTests.PythonCsvAsync(Path.Combine(dir, "posts.csv"));
        Assert.Equal(total, rows.Count);
        Assert.All(rows, r => Assert.Contains("lection", r["text"], StringComparison.OrdinalIgnoreCase));
        Assert.Contains(rows, r => r["text"].Contains("\"quoted\", with a comma\nand a line", StringComparison.Ordinal));
        AssertManifestMatches(dir);
        var verify = await Support.Cli.RunAsync("verify", dir);
        Assert.True(verify.ExitCode == 0, verify.Out + verify.Error);
        // The export was written outside the archive: serve --read-only shares an archive nobody may change.
        Assert.Empty(Directory.EnumerateFiles(Data, "posts.csv", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task The_API_writes_the_files_archiver_export_writes_for_the_same_options()
    {
        var url = await StartAsync();
        using var http = new HttpClient();
        var cases = new (object Api, string[] Cli)[]
        {
            (new { format = "csv", query = "election" }, ["--format", "csv", "election"]),
            (new { format = "jsonl", since = "2024-01-05", until = "2024-01-20", platform = new[] { "telegram" } }, ["--format", "jsonl", "--since", "2024-01-05", "--until", "2024-01-20", "--platform", "telegram"]),
            (new { format = "parquet", channel = new[] { "news_odd" }, fields = "key,created_at,text,author_handle" }, ["--format", "parquet", "--channel", "news_odd", "--fields", "key,created_at,text,author_handle"]),
            (new { format = "ids", query = "lang:ru" }, ["--format", "ids", "lang:ru"]),
            (new { format = "csv", query = "election", no_bom = true, no_csv_injection_guard = true }, ["--format", "csv", "--no-bom", "--no-csv-injection-guard", "election"]),
            (new { format = "jsonl", pseudonymise = true, key = "project", with_history = true }, ["--format", "jsonl", "--pseudonymise", "--key-file", Path.Combine(Data, "keys", "project.key"), "--with-history"]),
        };
        foreach (var (api, cli) in cases)
        {
            var name = string.Join("-", cli.Take(2)).TrimStart('-') + "-" + Guid.NewGuid().ToString("N")[..6];
            var (status, zip, _) = await ExportAsync(http, url, api);
            Assert.True(status["state"]!.GetValue<string>() == "done", status.ToJsonString());
            var served = Unzip(zip, name);
            var expected = _archive.File("cli-" + name);
            var run = await Support.Cli.RunAsync(["--data", Data, "-q", "export", "--out", expected, .. cli]);
            Assert.True(run.ExitCode == 0, run.Error);
            var files = Manifest(served).Keys.Append("manifest-sha256.txt").Order(StringComparer.Ordinal).ToList();
            Assert.Equal(ListFiles(expected), ListFiles(served));
            foreach (var file in files)
            {
                var (a, b) = (await File.ReadAllBytesAsync(Path.Combine(expected, file), TestContext.Current.CancellationToken), await File.ReadAllBytesAsync(Path.Combine(served, file), TestContext.Current.CancellationToken));
                if (file == "datapackage.json") Assert.Equal(WithoutCreated(a), WithoutCreated(b));
                else if (file == "manifest-sha256.txt") Assert.Equal(WithoutLine(a, "datapackage.json"), WithoutLine(b, "datapackage.json"));
                else Assert.True(a.AsSpan().SequenceEqual(b), $"{name}: {file} differs from archiver export's");
            }
        }
    }

    [Fact]
    public async Task A_parquet_export_reads_back_in_DuckDB_with_the_search_total()
    {
        var url = await StartAsync();
        using var http = new HttpClient();
        var total = JsonNode.Parse(await http.GetStringAsync(new Uri(url, "/api/search?q=election%20platform:telegram&limit=0"), TestContext.Current.CancellationToken))!["total"]!.GetValue<long>();
        var (status, zip, _) = await ExportAsync(http, url, new { format = "parquet", query = "election", platform = new[] { "telegram" } });
        Assert.Equal("done", status["state"]!.GetValue<string>());
        var dir = Unzip(zip, "parquet");
        AssertManifestMatches(dir);
        using var duck = new DuckDb();
        var source = $"read_parquet({DuckDb.Quote(Path.Combine(dir, "posts.parquet"))})";
        Assert.Equal(total, (long)duck.Scalar($"SELECT count(*) FROM {source}")!);
        Assert.Equal(0L, (long)duck.Scalar($"SELECT count(*) FROM {source} WHERE platform <> 'telegram' OR NOT contains(lower(text), 'lection')")!);
    }

    [Fact]
    public async Task A_pseudonymised_export_names_none_of_the_handles_in_any_file()
    {
        var url = await StartAsync();
        using var http = new HttpClient();
        foreach (var format in new[] { "csv", "parquet" })
        {
            var (status, zip, _) = await ExportAsync(http, url, new { format, pseudonymise = true, with_history = true });
            Assert.True(status["state"]!.GetValue<string>() == "done", status.ToJsonString());
            Assert.Equal(41, status["result"]!["posts"]!.GetValue<long>());
            var dir = Unzip(zip, "pseudo-" + format);
            AssertManifestMatches(dir);
            var key = await File.ReadAllBytesAsync(Path.Combine(Data, "keys", "project.key"), TestContext.Current.CancellationToken);
            foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            {
                var bytes = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
                var text = Encoding.UTF8.GetString(bytes);
                foreach (var handle in Handles) Assert.DoesNotContain(handle, text, StringComparison.OrdinalIgnoreCase);
                Assert.True(bytes.AsSpan().IndexOf(key) < 0, $"the key leaked into {file}");
            }
        }
    }

    [Fact]
    public async Task What_the_CLI_refuses_the_API_refuses_with_the_CLI_message_and_leaves_nothing_behind()
    {
        var url = await StartAsync();
        using var http = new HttpClient();
        var key = Path.Combine(Data, "keys", "project.key");
        var cases = new (object Api, string[] Cli)[]
        {
            (new { format = "warc", pseudonymise = true, key = "project" }, ["--format", "warc", "--pseudonymise", "--key-file", key]),
            (new { format = "wacz", pseudonymise = true }, ["--format", "wacz", "--pseudonymise", "--key-file", key]),
            (new { format = "csv", platform = new[] { "telegarm" } }, ["--format", "csv", "--platform", "telegarm"]),
            (new { format = "csv", channel = new[] { "news_evn" } }, ["--format", "csv", "--channel", "news_evn"]),
            (new { format = "xlsx" }, ["--format", "xlsx"]),
            (new { format = "csv", query = "\"unclosed" }, ["--format", "csv", "\"unclosed"]),
            (new { format = "csv", since = "2024-13-45" }, ["--format", "csv", "--since", "2024-13-45"]),
            (new { format = "csv", since = "2024-02-01", until = "2024-01-01" }, ["--format", "csv", "--since", "2024-02-01", "--until", "2024-01-01"]),
            (new { format = "ids", fields = "text" }, ["--format", "ids", "--fields", "text"]),
            (new { format = "csv", fields = "text,nonsense" }, ["--format", "csv", "--fields", "text,nonsense"]),
            (new { format = "csv", raw_captures = true }, ["--format", "csv", "--raw-captures"]),
        };
        foreach (var (api, cli) in cases)
        {
            using var response = await http.PostAsJsonAsync(new Uri(url, "/api/exports"), api, TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{string.Join(' ', cli)}: {(int)response.StatusCode} {body}");
            var error = JsonNode.Parse(body)!["error"]!.GetValue<string>();
            var run = await Support.Cli.RunAsync(["--data", Data, "export", "--out", _archive.File("refused-" + Guid.NewGuid().ToString("N")[..6]), .. cli]);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains(error, run.Error);
        }
        Assert.Equal("[]", JsonNode.Parse(await http.GetStringAsync(new Uri(url, "/api/exports"), TestContext.Current.CancellationToken))!.ToJsonString());

        // The web front end's own refusals: a key that is not in the archive's keys folder, a path instead of a name.
        foreach (var bad in new[] { "nope", "../../etc/passwd", key })
        {
            using var response = await http.PostAsJsonAsync(new Uri(url, "/api/exports"), new { format = "csv", pseudonymise = true, key = bad }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("the keys there: project", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task A_form_without_the_antiforgery_token_or_an_API_call_without_JSON_is_refused()
    {
        var url = await StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var form = new Dictionary<string, string> { ["format"] = "csv", ["query"] = "election" };
        using var forged = await http.PostAsync(new Uri(url, "/export"), new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("did not come from this app", await forged.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        // A form on another site can post urlencoded bodies to the API too; only JSON is taken there.
        using var urlencoded = await http.PostAsync(new Uri(url, "/api/exports"), new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, urlencoded.StatusCode);
        Assert.Equal("[]", JsonNode.Parse(await http.GetStringAsync(new Uri(url, "/api/exports"), TestContext.Current.CancellationToken))!.ToJsonString());

        // With the page's token the same form starts an export and leads to its page.
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false });
        var page = await browser.GetStringAsync(new Uri(url, "/export?q=election"), TestContext.Current.CancellationToken);
        Assert.Contains("value=\"election\"", page);
        var field = System.Text.RegularExpressions.Regex.Match(page, "name=\"(__archiver_form)\" value=\"([^\"]+)\"");
        Assert.True(field.Success, page);
        form[field.Groups[1].Value] = WebUtility.HtmlDecode(field.Groups[2].Value);
        using var posted = await browser.PostAsync(new Uri(url, "/export"), new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.StartsWith("/exports/", posted.Headers.Location!.OriginalString);
        // A refused form shows the CLI's message on the form again.
        form["format"] = "warc";
        form["pseudonymise"] = "1";
        using var refused = await browser.PostAsync(new Uri(url, "/export"), new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("copies the raw captures, which cannot be pseudonymised", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Exports_are_listed_deleted_and_removed_when_their_server_is_gone()
    {
        var (process, url) = await StartProcessAsync();
        using var http = new HttpClient();
        var (first, _, _) = await ExportAsync(http, url, new { format = "ids" });
        var (second, _, _) = await ExportAsync(http, url, new { format = "jsonl", query = "vote" });
        var list = JsonNode.Parse(await http.GetStringAsync(new Uri(url, "/api/exports"), TestContext.Current.CancellationToken))!.AsArray();
        Assert.Equal(2, list.Count);
        var id = first["id"]!.GetValue<string>();
        Assert.Contains(list, e => e!["id"]!.GetValue<string>() == id);
        var folders = Directory.EnumerateDirectories(Path.GetTempPath(), $"archiver-serve-exports-{process.Id}-*").ToList();
        Assert.Single(folders);

        using (var deleted = await http.DeleteAsync(new Uri(url, $"/api/exports/{id}"), TestContext.Current.CancellationToken))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(url, $"/api/exports/{id}"), TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(url, $"/api/exports/{id}/download"), TestContext.Current.CancellationToken)).StatusCode);
        await WaitUntil(() => !Directory.Exists(Path.Combine(folders[0], id)));
        Assert.True(Directory.Exists(Path.Combine(folders[0], second["id"]!.GetValue<string>())));

        // Stopped (Ctrl-C), the server removes its exports folder.
        await ArchiverProcess.StopAsync(process, "INT");
        Assert.False(Directory.Exists(folders[0]), $"{folders[0]} is still there after the server stopped");

        // A killed server leaves its folder; the next one removes it (its owner is gone).
        var (killed, killedUrl) = await StartProcessAsync();
        await ExportAsync(http, killedUrl, new { format = "ids" });
        var left = Assert.Single(Directory.EnumerateDirectories(Path.GetTempPath(), $"archiver-serve-exports-{killed.Id}-*"));
        ArchiverProcess.KillHard(killed);
        Assert.True(Directory.Exists(left));
        await StartAsync();
        Assert.False(Directory.Exists(left), $"{left} is still there");
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_export_API()
    {
        var url = await StartAsync();
        using var http = new HttpClient();
        var document = JsonNode.Parse(await http.GetStringAsync(new Uri(url, "/api/openapi.json"), TestContext.Current.CancellationToken))!;
        var paths = document["paths"]!.AsObject();
        Assert.NotNull(paths["/api/exports"]!["post"]!["summary"]);
        Assert.NotNull(paths["/api/exports"]!["post"]!["requestBody"]!["content"]!["application/json"]);
        Assert.NotNull(paths["/api/exports"]!["get"]);
        Assert.NotNull(paths["/api/exports/{id}"]!["get"]!["responses"]!["200"]);
        Assert.NotNull(paths["/api/exports/{id}"]!["delete"]);
        Assert.NotNull(paths["/api/exports/{id}/download"]!["get"]!["responses"]!["200"]!["content"]!["application/zip"]);
        Assert.DoesNotContain(paths, p => p.Key.StartsWith("/export", StringComparison.Ordinal));
        // Fields are named as the API writes and reads them.
        Assert.NotNull(document["components"]!["schemas"]!["ExportForm"]!["properties"]!["with_history"]);
        Assert.NotNull(document["components"]!["schemas"]!["ExportStatus"]!["properties"]!["started_at"]);
    }

    /// <summary>Starts an export through the API, waits for it to finish, and downloads the zip when done.</summary>
    private static async Task<(JsonNode Status, byte[] Zip, string FileName)> ExportAsync(HttpClient http, Uri url, object options)
    {
        using var started = await http.PostAsJsonAsync(new Uri(url, "/api/exports"), options, TestContext.Current.CancellationToken);
        var body = await started.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, body);
        var id = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        var clock = Stopwatch.StartNew();
        JsonNode status;
        while (true)
        {
            status = JsonNode.Parse(await http.GetStringAsync(new Uri(url, $"/api/exports/{id}"), TestContext.Current.CancellationToken))!;
            if (status["state"]!.GetValue<string>() != "running") break;
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "the export did not finish in 2 minutes");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        if (status["state"]!.GetValue<string>() != "done") return (status, [], "");
        using var download = await http.GetAsync(new Uri(url, status["download"]!.GetValue<string>()), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/zip", download.Content.Headers.ContentType!.MediaType);
        var name = download.Content.Headers.ContentDisposition!.FileName!.Trim('"');
        return (status, await download.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken), name);
    }

    /// <summary>The zip extracted; it holds one folder, the export, which is returned.</summary>
    private string Unzip(byte[] zip, string name)
    {
        var target = _archive.File("unzipped-" + name);
        using (var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read)) archive.ExtractToDirectory(target);
        return Assert.Single(Directory.GetDirectories(target));
    }

    /// <summary>Every line of manifest-sha256.txt matches its file, and every other file is listed.</summary>
    private static void AssertManifestMatches(string dir)
    {
        var manifest = Manifest(dir);
        Assert.Contains("datapackage.json", manifest.Keys);
        foreach (var (path, hash) in manifest)
            Assert.Equal(hash, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, path)))));
        Assert.Equal(manifest.Keys.Append("manifest-sha256.txt").Order(StringComparer.Ordinal), ListFiles(dir));
    }

    private static Dictionary<string, string> Manifest(string dir) =>
        File.ReadAllLines(Path.Combine(dir, "manifest-sha256.txt")).Where(l => l.Length > 0).ToDictionary(l => l[66..], l => l[..64], StringComparer.Ordinal);

    private static List<string> ListFiles(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();

    private static string WithoutCreated(byte[] json)
    {
        var node = JsonNode.Parse(json)!;
        Assert.NotNull(node["created"]);
        node.AsObject().Remove("created");
        return node.ToJsonString();
    }

    private static string[] WithoutLine(byte[] manifest, string path) =>
        Encoding.UTF8.GetString(manifest).Split('\n').Where(l => !l.EndsWith("  " + path, StringComparison.Ordinal)).ToArray();

    private static async Task WaitUntil(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "timed out");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private async Task<Uri> StartAsync() => (await StartProcessAsync()).Url;

    private async Task<(Process Process, Uri Url)> StartProcessAsync()
    {
        var (process, url, _) = await ServeProcess.StartAsync(Data, "127.0.0.1:0", 0, TestContext.Current.CancellationToken);
        _servers.Add(process);
        return (process, url);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var process in _servers)
        {
            // Stopped as a user stops it, so its exports folder goes too; killed if that fails.
            if (!process.HasExited)
            {
                try
                {
                    ArchiverProcess.StopAsync(process, "INT").GetAwaiter().GetResult();
                }
                catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                }
            }
            ArchiverProcess.KillHard(process);
            process.Dispose();
        }
        _archive.Dispose();
        return ValueTask.CompletedTask;
    }
}
