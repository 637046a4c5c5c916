using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Archiver.Tests.Support;

namespace Archiver.Tests.Serve;

/// <summary>
/// <c>archiver serve</c> as a user runs it: a real process on an archive imported through the CLI, asked over HTTP.
/// The API must answer what the CLI answers, archived text must stay text, and beyond loopback nothing is served
/// without the token.
/// </summary>
public sealed partial class ServeTests : IAsyncLifetime
{
    private const string Script = "<script>alert('xss')</script> vote tomorrow";
    private const string Image = "<img src=x onerror=alert(1)> polls open";

    private readonly TempArchive _archive = new();
    private readonly List<Process> _servers = [];

    public async ValueTask InitializeAsync()
    {
        var lines = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var (lang, text) = (i % 3) switch
            {
                0 => ("fr", $"L'élection municipale numéro {i} à Lyon"),
                1 => ("en", $"The election results number {i} are in"),
                _ => ("ru", $"Выборы номер {i} прошли спокойно"),
            };
            lines.Add(JsonSerializer.Serialize(new
            {
                id = $"te-{i:D6}",
                platform = "telegram",
                channel = i % 2 == 0 ? "news_even" : "news_odd",
                author = $"author{i % 4}",
                created_at = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(i).ToString("yyyy-MM-ddTHH:mm:ssZ"),
                lang,
                text,
                hashtags = i % 5 == 0 ? new[] { "vote" } : [],
                urls = Array.Empty<string>(),
            }));
        }
        lines.Add(JsonSerializer.Serialize(new { id = "te-hostile1", platform = "telegram", channel = "news_even", author = "mallory", created_at = "2024-03-01T00:00:00Z", lang = "en", text = Script, hashtags = Array.Empty<string>(), urls = Array.Empty<string>() }));
        lines.Add(JsonSerializer.Serialize(new { id = "te-hostile2", platform = "telegram", channel = "news_even", author = "mallory", created_at = "2024-03-02T00:00:00Z", lang = "en", text = Image, hashtags = Array.Empty<string>(), urls = Array.Empty<string>() }));
        var file = _archive.File("posts.jsonl");
        await File.WriteAllLinesAsync(file, lines, TestContext.Current.CancellationToken);
        var import = await Support.Cli.RunAsync("--data", _archive.File("data"), "--quiet", "import", file);
        Assert.Equal(0, import.ExitCode);
    }

    [Fact]
    public async Task The_search_API_answers_what_the_search_command_prints()
    {
        var url = await StartAsync();
        using var http = new HttpClient();
        foreach (var query in new[] { "election", "élection --stem", "vote", "lang:ru" })
        {
            var words = query.Replace(" --stem", "", StringComparison.Ordinal);
            var stem = query.EndsWith("--stem", StringComparison.Ordinal);
            var cli = await Support.Cli.RunAsync(["--data", _archive.File("data"), "--json", "search", words, "--by", "lang", "--by", "channel", "--histogram", "week", "--limit", "7", .. stem ? new[] { "--stem" } : []]);
            Assert.Equal(0, cli.ExitCode);
            var api = await http.GetStringAsync(new Uri(url, $"/api/search?q={Uri.EscapeDataString(words)}&by=lang&by=channel&histogram=week&limit=7{(stem ? "&stem=1" : "")}"), TestContext.Current.CancellationToken);
            var expected = WithoutTiming(cli.Out);
            var actual = WithoutTiming(api);
            Assert.True(JsonNode.DeepEquals(expected, actual), $"{query}:\nCLI {expected}\nAPI {actual}");
            Assert.True(expected!["total"]!.GetValue<long>() > 0, $"{query} found nothing");
        }
    }

    [Fact]
    public async Task Archived_markup_shows_as_text_on_every_page()
    {
        var url = await StartAsync();
        using var http = new HttpClient();
        var search = await http.GetAsync(new Uri(url, "/?q=author:mallory"), TestContext.Current.CancellationToken);
        var html = await search.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        Assert.Contains("2</strong> matches", html);
        // The post pages, by the links the search page gives.
        var links = PostLink().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Equal(2, links.Count);
        var pages = new List<string>();
        foreach (var link in links) pages.Add(await http.GetStringAsync(new Uri(url, link), TestContext.Current.CancellationToken));
        var post = pages.Single(p => p.Contains("vote tomorrow", StringComparison.Ordinal));
        var image = pages.Single(p => p.Contains("polls open", StringComparison.Ordinal));
        foreach (var page in new[] { html, post, image })
        {
            // The app's pages carry no script at all, and no element the archived text wrote.
            Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<img", page, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch(@"<[a-zA-Z][^>]*\son[a-z]+\s*=", page);
        }
        Assert.Contains("&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt; vote tomorrow", post);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt; polls open", image);
        Assert.Contains("default-src 'none'", search.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Every_response_carries_the_content_security_policy_and_names_no_other_host()
    {
        var url = await StartAsync();
        using var http = new HttpClient();
        foreach (var path in new[] { "/", "/?q=election", "/channels", "/events", "/static/app.css", "/api/search?q=vote", "/api/channels", "/api/events", "/posts/nope" })
        {
            using var response = await http.GetAsync(new Uri(url, path), TestContext.Current.CancellationToken);
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("script-src 'self'", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            // Pages load nothing from elsewhere: every src/href is a path of the app itself.
            foreach (Match m in Reference().Matches(body)) Assert.StartsWith("/", m.Groups[1].Value);
        }
    }

    [Fact]
    public async Task Beyond_loopback_nothing_is_served_without_the_token()
    {
        var (url, token) = await StartWithTokenAsync();
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false });

        var anonymous = await http.GetAsync(new Uri(url, "/api/search?q=vote"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var page = await http.GetAsync(new Uri(url, "/?q=vote"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.OriginalString);

        using var bearer = new HttpRequestMessage(HttpMethod.Get, new Uri(url, "/api/search?q=vote"));
        bearer.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(bearer, TestContext.Current.CancellationToken)).StatusCode);

        // A form posted without the page's anti-forgery token (another site's form) is refused.
        var forged = await http.PostAsync(new Uri(url, "/login"), new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token, ["then"] = "/" }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        var login = await http.GetStringAsync(new Uri(url, "/login?then=%2F%3Fq%3Dvote"), TestContext.Current.CancellationToken);
        var field = FormField().Match(login);
        Assert.True(field.Success, login);
        var wrong = await http.PostAsync(new Uri(url, "/login"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [field.Groups[1].Value] = WebUtility.HtmlDecode(field.Groups[2].Value),
            ["token"] = "not-the-token-at-all",
            ["then"] = "/?q=vote",
        }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var retry = FormField().Match(await wrong.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var right = await http.PostAsync(new Uri(url, "/login"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [retry.Groups[1].Value] = WebUtility.HtmlDecode(retry.Groups[2].Value),
            ["token"] = token,
            ["then"] = "/?q=vote",
        }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/?q=vote", right.Headers.Location!.OriginalString);
        var after = await http.GetAsync(new Uri(url, "/?q=vote"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Contains("matches", await after.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_second_writer_is_refused_while_serve_holds_the_archive_and_readers_still_work()
    {
        var url = await StartAsync();
        var second = await Support.Cli.RunAsync("--data", _archive.File("data"), "serve", "--listen", "127.0.0.1:0");
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("being written by another archiver process", second.Error);
        Assert.Contains("serve", second.Error);
        var import = await Support.Cli.RunAsync("--data", _archive.File("data"), "import", _archive.File("posts.jsonl"));
        Assert.Equal(1, import.ExitCode);
        Assert.Contains("being written by another archiver process", import.Error);
        var search = await Support.Cli.RunAsync("--data", _archive.File("data"), "--json", "search", "vote");
        Assert.Equal(0, search.ExitCode);
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(url, "/api/search?q=vote"), TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_API_and_not_the_pages()
    {
        var url = await StartAsync();
        using var http = new HttpClient();
        var document = JsonNode.Parse(await http.GetStringAsync(new Uri(url, "/api/openapi.json"), TestContext.Current.CancellationToken))!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        Assert.Superset(new HashSet<string> { "/api/channels", "/api/events", "/api/posts/{key}", "/api/search", "/api/watch", "/api/watch/{target}/pause", "/api/watch/{target}/remove", "/api/watch/{target}/resume", "/api/exports" }, paths.ToHashSet());
        Assert.All(paths, p => Assert.StartsWith("/api/", p));
        Assert.StartsWith("3.", document["openapi"]!.GetValue<string>());
        Assert.NotNull(document["paths"]!["/api/search"]!["get"]!["responses"]!["200"]);
    }

    [Theory]
    [InlineData("8470")]
    [InlineData("example.org:80")]
    [InlineData("127.0.0.1:99999")]
    public async Task A_bad_listen_address_is_refused_with_the_expected_form(string listen)
    {
        var result = await Support.Cli.RunAsync("--data", _archive.File("data"), "serve", "--listen", listen);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("expected HOST:PORT", result.Error);
    }

    private static JsonNode? WithoutTiming(string json)
    {
        var node = JsonNode.Parse(json)!;
        node.AsObject().Remove("took_ms");
        return node;
    }

    private async Task<Uri> StartAsync() => (await StartProcessAsync("127.0.0.1:0")).Url;

    private async Task<(Uri Url, string Token)> StartWithTokenAsync()
    {
        var (url, lines) = await StartProcessAsync("0.0.0.0:0");
        var token = lines.Select(l => TokenLine().Match(l)).First(m => m.Success).Groups[1].Value;
        // Listening on every address; the test talks to it over loopback.
        return (new UriBuilder(url) { Host = "127.0.0.1" }.Uri, token);
    }

    private async Task<(Uri Url, List<string> Lines)> StartProcessAsync(string listen)
    {
        // Beyond loopback, serve prints the generated token on the line after its URL.
        var (process, url, lines) = await ServeProcess.StartAsync(_archive.File("data"), listen, listen.StartsWith("0.0.0.0", StringComparison.Ordinal) ? 1 : 0, TestContext.Current.CancellationToken);
        _servers.Add(process);
        return (url, lines);
    }

    [GeneratedRegex("href=\"(/posts/[^\"]+)\"")]
    private static partial Regex PostLink();

    [GeneratedRegex(@"log in with the token ([0-9a-f]+)")]
    private static partial Regex TokenLine();

    [GeneratedRegex("name=\"(__archiver_form)\" value=\"([^\"]+)\"")]
    private static partial Regex FormField();

    [GeneratedRegex("(?:src|href|action)=\"([^\"]*)\"")]
    private static partial Regex Reference();

    public ValueTask DisposeAsync()
    {
        foreach (var process in _servers)
        {
            ArchiverProcess.KillHard(process);
            process.Dispose();
        }
        _archive.Dispose();
        return ValueTask.CompletedTask;
    }
}
