using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Archiver.Capturing;
using Archiver.Model;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Serve;

/// <summary>
/// The post page's media, served by the real <c>archiver serve</c> from the archive's media store: images and video
/// with their types, ranges for seeking, the hash as ETag; hostile files (HTML or SVG stored as media, whatever type
/// they claimed) are never served as something a browser renders. Media the archive lacks show as text.
/// </summary>
public sealed partial class ServeMediaTests : IAsyncLifetime
{
    // A 1x1 PNG.
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
    private static readonly byte[] Video = VideoBytes();
    private static readonly byte[] HtmlFile = Encoding.UTF8.GetBytes("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>");
    private static readonly byte[] Svg = Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>");
    private const string MissingSha = "0000000000000000000000000000000000000000000000000000000000000001";
    private const string MissingUrl = "https://cdn.example.net/gone/photo.jpg";

    private readonly TempArchive _archive = new();
    private readonly List<Process> _servers = [];
    private readonly Dictionary<string, string> _sha = [];

    public ValueTask InitializeAsync()
    {
        var data = _archive.File("data");
        Directory.CreateDirectory(data);
        var files = new MediaStore(data, 50L << 20);
        var seen = new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);
        var media = new List<Media>();
        var refs = new List<MediaRef>();
        void Add(string name, string kind, byte[] bytes, string claimed)
        {
            var url = $"https://cdn.example.net/{name}";
            var stored = files.Store(bytes, claimed, url)!;
            _sha[name] = stored.Sha256;
            media.Add(new Media { Sha256 = stored.Sha256, Mime = stored.Mime, Size = stored.Size, SourceUrl = url, LocalPath = stored.RelativePath, FetchedAt = seen });
            refs.Add(new MediaRef { Kind = kind, Url = url, Sha256 = stored.Sha256, Mime = claimed });
        }
        Add("photo.png", "photo", Png, "image/png");
        Add("clip.mp4", "video", Video, "video/mp4");
        Add("page.html", "document", HtmlFile, "text/html");
        Add("fake.png", "photo", HtmlFile.Concat(" "u8.ToArray()).ToArray(), "image/png"); // HTML claiming to be an image
        Add("drawing.svg", "photo", Svg, "image/svg+xml");
        refs.Add(new MediaRef { Kind = "photo", Url = MissingUrl, Sha256 = MissingSha });
        var post = new Post
        {
            Platform = "telegram",
            Host = "t.me",
            NativeId = "media_test/7",
            Url = "https://t.me/media_test/7",
            Channel = "media_test",
            AuthorHandle = "media_test",
            CreatedAt = seen.AddHours(-1),
            Text = "A post with a photo, a clip and some hostile files",
            Media = refs,
        };
        var capture = new Archiver.Model.Capture
        {
            Url = "https://t.me/s/media_test",
            FetchedAt = seen,
            Status = 200,
            PayloadSha256 = "ab" + new string('c', 62),
            WarcFile = "crawl-20240501.warc.gz",
            WarcOffset = 123456,
            WarcRecordId = "<urn:uuid:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0>",
        };
        using (var store = ArchiveStore.Open(data))
            store.Write(new StoreBatch { Posts = [new PostObservation(post, seen, capture)], Media = media });
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Images_and_video_are_served_from_the_media_store_with_their_types_and_video_seeks_by_range()
    {
        var url = await StartAsync();
        using var http = new HttpClient();
        var ct = TestContext.Current.CancellationToken;

        var image = await http.GetAsync(new Uri(url, "/media/" + _sha["photo.png"]), ct);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Png, await image.Content.ReadAsByteArrayAsync(ct));
        Assert.Equal("nosniff", string.Join(",", image.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal($"\"{_sha["photo.png"]}\"", image.Headers.ETag?.Tag);
        Assert.Null(image.Content.Headers.ContentDisposition);

        // The same hash again: the browser's copy is still good.
        using var again = new HttpRequestMessage(HttpMethod.Get, new Uri(url, "/media/" + _sha["photo.png"]));
        again.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{_sha["photo.png"]}\""));
        Assert.Equal(HttpStatusCode.NotModified, (await http.SendAsync(again, ct)).StatusCode);

        // A video seeks: a range comes back as 206 with exactly those bytes.
        using var range = new HttpRequestMessage(HttpMethod.Get, new Uri(url, "/media/" + _sha["clip.mp4"]));
        range.Headers.Range = new RangeHeaderValue(40_000, 40_999);
        var part = await http.SendAsync(range, ct);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal("video/mp4", part.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"bytes 40000-40999/{Video.Length}", part.Content.Headers.ContentRange?.ToString());
        Assert.Equal(Video.AsSpan(40_000, 1000).ToArray(), await part.Content.ReadAsByteArrayAsync(ct));
        Assert.Contains("bytes", part.Headers.AcceptRanges);

        // Nothing else of the disk is reachable through the route.
        foreach (var bad in new[] { "/media/" + MissingSha, "/media/..%2F..%2Fstore.db", "/media/" + _sha["photo.png"][..63] })
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(url, bad), ct)).StatusCode);
    }

    [Fact]
    public async Task Hostile_media_stored_as_html_or_svg_is_never_served_as_something_a_browser_renders()
    {
        var url = await StartAsync();
        using var http = new HttpClient();
        var ct = TestContext.Current.CancellationToken;
        foreach (var name in new[] { "page.html", "fake.png", "drawing.svg" })
        {
            var response = await http.GetAsync(new Uri(url, "/media/" + _sha[name]), ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
            // Opened on its own, the file is in a sandbox with no script.
            var csp = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("sandbox", csp);
            Assert.Contains("default-src 'none'", csp);
        }
    }

    [Fact]
    public async Task The_post_page_plays_media_from_the_app_shows_missing_ones_as_text_and_gives_the_provenance()
    {
        var url = await StartAsync();
        using var http = new HttpClient();
        var ct = TestContext.Current.CancellationToken;
        var html = await http.GetStringAsync(new Uri(url, "/posts/" + Uri.EscapeDataString("telegram:t.me:media_test/7")), ct);

        Assert.Contains($"<img src=\"/media/{_sha["photo.png"]}\"", html);
        Assert.Contains($"<video src=\"/media/{_sha["clip.mp4"]}\" controls", html);
        // Hostile files are offered as downloads, not embedded.
        foreach (var name in new[] { "page.html", "fake.png", "drawing.svg" })
        {
            Assert.DoesNotContain($"src=\"/media/{_sha[name]}\"", html);
            Assert.Contains($"<a href=\"/media/{_sha[name]}\" download>", html);
        }
        // The missing file: "not archived" and its URL as text, never as a link or source the browser would fetch.
        Assert.Contains("photo: not archived", html);
        Assert.Contains($"<code>{MissingUrl}</code>", html);
        Assert.DoesNotContain($"\"{MissingUrl}\"", html);
        Assert.All(References().Matches(html).Select(m => m.Groups[1].Value), r => Assert.True(r.StartsWith('/') && !r.StartsWith("//", StringComparison.Ordinal), $"reference {r} leaves the app"));

        // Provenance: the capture's WARC file, offset, record id and payload SHA-256.
        foreach (var value in new[] { "crawl-20240501.warc.gz", "123456", "&lt;urn:uuid:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0&gt;", "ab" + new string('c', 62), "https://t.me/s/media_test" })
            Assert.Contains(value, html);
        Assert.Contains("href=\"/capture/telegram%3At.me%3Amedia_test%2F7\"", html);
    }

    [Fact]
    public async Task The_replay_origin_serves_only_the_replay_and_the_ticketed_capture_and_the_app_refuses_its_requests()
    {
        var package = ReplayWebPage();
        var ct = TestContext.Current.CancellationToken;
        var (process, url, lines) = await ServeProcess.StartAsync(_archive.File("data"), "127.0.0.1:0", 1, ct, "--replayweb", package, "--replay-port", "0");
        _servers.Add(process);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        var capturePage = await http.GetAsync(new Uri(url, "/capture/" + Uri.EscapeDataString("telegram:t.me:media_test/7")), ct);
        Assert.Equal(HttpStatusCode.OK, capturePage.StatusCode);
        var html = await capturePage.Content.ReadAsStringAsync(ct);
        var frame = Frame().Match(html);
        Assert.True(frame.Success, html);
        var replay = new Uri(frame.Groups["src"].Value);
        var origin = replay.GetLeftPart(UriPartial.Authority);
        Assert.Contains($"on port {replay.Port}", lines[^1]);
        Assert.Equal(url.Host, replay.Host);
        Assert.NotEqual(url.Port, replay.Port);
        Assert.Equal("allow-scripts allow-same-origin", frame.Groups["sandbox"].Value);
        // That page alone may frame, and only the replay origin; other pages frame nothing.
        var csp = string.Join(",", capturePage.Headers.GetValues("Content-Security-Policy"));
        Assert.EndsWith("; frame-src " + origin, csp);
        Assert.Single(Regex.Matches(csp, "frame-src"));
        var postPage = await http.GetAsync(new Uri(url, "/posts/" + Uri.EscapeDataString("telegram:t.me:media_test/7")), ct);
        Assert.DoesNotContain("frame-src", string.Join(",", postPage.Headers.GetValues("Content-Security-Policy")));

        // The replay origin: the embedding page of that ticket, framed only by the app, and its WACZ (with ranges).
        var view = await http.GetAsync(replay, ct);
        Assert.Equal(HttpStatusCode.OK, view.StatusCode);
        var ticket = replay.AbsolutePath["/view/".Length..];
        var embedding = await view.Content.ReadAsStringAsync(ct);
        Assert.Contains($"source=\"/wacz/{ticket}/capture.wacz\" url=\"https://t.me/s/media_test\"", embedding);
        Assert.Contains($"frame-ancestors http://{url.Host}:{url.Port}", string.Join(",", view.Headers.GetValues("Content-Security-Policy")));
        using var range = new HttpRequestMessage(HttpMethod.Get, new Uri(replay, $"/wacz/{ticket}/capture.wacz"));
        range.Headers.Range = new RangeHeaderValue(0, 1);
        var wacz = await http.SendAsync(range, ct);
        Assert.Equal(HttpStatusCode.PartialContent, wacz.StatusCode);
        Assert.Equal("PK"u8.ToArray(), await wacz.Content.ReadAsByteArrayAsync(ct));

        // Nothing else: no other ticket, none of the app's pages, API or media, no writes.
        var sha = _sha["photo.png"];
        foreach (var path in new[] { "/", "/view/" + new string('0', 32), $"/wacz/{new string('0', 32)}/capture.wacz", "/api/search?q=post", "/api/posts/telegram:t.me:media_test%2F7",
                     "/media/" + sha, "/posts/telegram:t.me:media_test%2F7", "/capture/telegram:t.me:media_test%2F7", "/replay/../api/channels", "/static/app.css" })
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(replay, path), ct)).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.PostAsync(new Uri(replay, "/replay/sw.js"), new StringContent(""), ct)).StatusCode);

        // The app refuses what a page of the replay origin asks of it (same site, another port), and grants no CORS.
        using var fromReplay = new HttpRequestMessage(HttpMethod.Get, new Uri(url, "/api/posts/telegram:t.me:media_test%2F7"));
        fromReplay.Headers.Add("Origin", origin);
        fromReplay.Headers.Add("Sec-Fetch-Site", "same-site");
        fromReplay.Headers.Add("Sec-Fetch-Mode", "cors");
        fromReplay.Headers.Add("Sec-Fetch-Dest", "empty");
        var refused = await http.SendAsync(fromReplay, ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
        using var image = new HttpRequestMessage(HttpMethod.Get, new Uri(url, "/media/" + sha));
        image.Headers.Add("Sec-Fetch-Site", "same-site");
        image.Headers.Add("Sec-Fetch-Mode", "no-cors");
        image.Headers.Add("Sec-Fetch-Dest", "image");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(image, ct)).StatusCode);
    }

    [Fact]
    public async Task With_a_token_only_a_user_let_in_gets_a_replay_ticket_and_the_replay_origin_takes_tickets_not_the_token()
    {
        var package = ReplayWebPage();
        var ct = TestContext.Current.CancellationToken;
        const string token = "replay-token-0123456789";
        var (process, url, _) = await ServeProcess.StartAsync(_archive.File("data"), "127.0.0.1:0", 1, ct, "--token", token, "--replayweb", package, "--replay-port", "0");
        _servers.Add(process);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        var capture = new Uri(url, "/capture/" + Uri.EscapeDataString("telegram:t.me:media_test/7"));

        // Not let in: to the login page, no ticket.
        var anonymous = await http.GetAsync(capture, ct);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/login", anonymous.Headers.Location?.OriginalString);

        using var authorised = new HttpRequestMessage(HttpMethod.Get, capture);
        authorised.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var html = await (await http.SendAsync(authorised, ct)).Content.ReadAsStringAsync(ct);
        var replay = new Uri(Frame().Match(html).Groups["src"].Value);
        var ticket = replay.AbsolutePath["/view/".Length..];
        Assert.Matches("^[0-9a-f]{32}$", ticket);

        // The ticket is the replay origin's credential: it works without the token (the frame sends none of its own)...
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(replay, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(replay, $"/wacz/{ticket}/capture.wacz"), ct)).StatusCode);
        // ...and the app's token opens nothing there.
        foreach (var path in new[] { "/view/" + new string('1', 32), $"/wacz/{new string('1', 32)}/capture.wacz", "/api/posts/telegram:t.me:media_test%2F7" })
        {
            using var withToken = new HttpRequestMessage(HttpMethod.Get, new Uri(replay, path));
            withToken.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            withToken.Headers.Add("Cookie", "archiver_token=" + token);
            Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(withToken, ct)).StatusCode);
        }
    }

    [Fact]
    public async Task Without_ReplayWeb_page_serve_runs_and_the_capture_page_says_how_to_install_it()
    {
        var ct = TestContext.Current.CancellationToken;
        // Not named, not next to the executable, not in the working directory.
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _archive.Path };
        foreach (var arg in new[] { ArchiverProcess.Dll, "--data", _archive.File("data"), "serve", "--listen", "127.0.0.1:0" }) info.ArgumentList.Add(arg);
        info.Environment.Remove("ARCHIVER_REPLAYWEB");
        var process = Process.Start(info)!;
        _servers.Add(process);
        Uri? url = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (url is null && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (Regex.Match(line, @" at (http://\S+/) ") is { Success: true } m) url = new Uri(m.Groups[1].Value);
        }
        Assert.NotNull(url);
        Assert.Contains("ReplayWeb.page not found", await process.StandardOutput.ReadLineAsync(timeout.Token));

        using var http = new HttpClient();
        var page = await http.GetAsync(new Uri(url, "/capture/" + Uri.EscapeDataString("telegram:t.me:media_test/7")), ct);
        var html = await page.Content.ReadAsStringAsync(ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<code>npm install replaywebpage</code>", html);
        Assert.DoesNotContain("<iframe", html);
        Assert.DoesNotContain("frame-src", string.Join(",", page.Headers.GetValues("Content-Security-Policy")));
        // The rest of the app works as before.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(url, "/media/" + _sha["photo.png"]), ct)).StatusCode);
    }

    /// <summary>ReplayWeb.page as ReplayWebPageTests finds it (skipped the same way without it).</summary>
    private static string ReplayWebPage()
    {
        var package = Export.ReplayWebPageTests.FindReplayWebPage();
        Assert.SkipWhen(package is null,
            "ReplayWeb.page not found: set ARCHIVER_REPLAYWEB to the unpacked npm 'replaywebpage' package (with ui.js and sw.js), as .ci/run does.");
        return package;
    }

    [GeneratedRegex("<iframe class=\"replay\"[^>]* sandbox=\"(?<sandbox>[^\"]*)\"[^>]* src=\"(?<src>[^\"]*)\"")]
    private static partial Regex Frame();

    private static byte[] VideoBytes()
    {
        // An MP4 signature (ftyp box) and 100 kB of varied bytes: enough to ask for a range in the middle.
        var bytes = new byte[100_000];
        new Random(18).NextBytes(bytes);
        byte[] head = [0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m'];
        head.CopyTo(bytes, 0);
        return bytes;
    }

    private async Task<Uri> StartAsync()
    {
        var (process, url, _) = await ServeProcess.StartAsync(_archive.File("data"), "127.0.0.1:0", 0, TestContext.Current.CancellationToken);
        _servers.Add(process);
        return url;
    }

    [GeneratedRegex("(?:src|href|action)=\"([^\"]*)\"")]
    private static partial Regex References();

    public ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            ArchiverProcess.KillHard(server);
            server.Dispose();
        }
        _archive.Dispose();
        return ValueTask.CompletedTask;
    }
}
