using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Archiver.Tests.Crawling.Support;

/// <summary>
/// Test double: a small site on 127.0.0.1 (Kestrel, port 0) with the shapes the crawler must cope with.
/// <c>/pages/N.html</c> (N below <see cref="Pages"/>) holds <see cref="PostsPerPage"/> posts and links to
/// pages 2N+1 and 2N+2 and one image; <c>/flaky/N.html</c> answers 503 twice first; <c>/limited.html</c>
/// answers 429 with Retry-After: 1 once; <c>/to-private.html</c> and <c>/js-to-private.html</c> (a browser page)
/// redirect to 127.0.0.2;
/// <c>/private/*</c> is disallowed by robots.txt. Every request is logged with its time.
/// </summary>
public sealed class TestSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _hits = new();

    public int Pages { get; init; } = 15;
    public int PostsPerPage { get; init; } = 3;
    /// <summary>Time each page takes to answer, so a crawl lasts long enough to be interrupted.</summary>
    public TimeSpan PageDelay { get; init; }
    public string Robots { get; set; } = "User-agent: *\nDisallow: /private/\n";
    /// <summary>What robots.txt answers: 200 with <see cref="Robots"/>, or this status with no body (a 503 to test failures).</summary>
    public int RobotsStatus { get; set; } = 200;
    /// <summary>Time robots.txt takes to answer, so several crawls ask for it at once.</summary>
    public TimeSpan RobotsDelay { get; set; }
    public ConcurrentQueue<(string Path, DateTime At)> Requests { get; } = new();
    /// <summary>The numbered posts <c>/channel.html</c> lists (change it between crawls to delete one).</summary>
    public IReadOnlyList<int> ChannelPosts { get; set; } = [1, 2, 3, 4];
    public Uri Root { get; private set; } = null!;
    /// <summary>Where pages point their image (another site's root, to test media on a host of its own); this site by default.</summary>
    public Uri? ImageOrigin { get; set; }
    /// <summary>Where <c>/redirect.html</c> sends the client (any scheme, as a hostile server may).</summary>
    public string RedirectTarget { get; set; } = "/pages/0.html";

    private TestSite()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            Requests.Enqueue((context.Request.Path + context.Request.QueryString, DateTime.UtcNow));
            await next(context);
        });
        _app.MapGet("/robots.txt", async () =>
        {
            if (RobotsDelay > TimeSpan.Zero) await Task.Delay(RobotsDelay);
            return RobotsStatus == 200 ? Results.Text(Robots) : Results.StatusCode(RobotsStatus);
        });
        _app.MapGet("/pages/{n:int}.html", async (int n) =>
        {
            if (PageDelay > TimeSpan.Zero) await Task.Delay(PageDelay);
            return n < Pages ? Results.Content(Page(n), "text/html; charset=utf-8") : Results.NotFound();
        });
        _app.MapGet("/private/{name}", (string name) => Results.Content(Page(0), "text/html"));
        _app.MapGet("/flaky/{n:int}.html", (int n) =>
            Hit($"flaky{n}") <= 2 ? Results.StatusCode(503) : Results.Content(Page(n), "text/html"));
        _app.MapGet("/limited.html", (HttpContext context) =>
        {
            if (Hit("limited") > 1) return Results.Content(Page(1), "text/html");
            context.Response.Headers.RetryAfter = "1";
            return Results.StatusCode(429);
        });
        _app.MapGet("/to-private.html", () => Results.Redirect($"http://127.0.0.2:{Root.Port}/pages/0.html"));
        _app.MapGet("/js-to-private.html", () => Results.Redirect($"http://127.0.0.2:{Root.Port}/js.html"));
        _app.MapGet("/img/{n:int}.png", (int n) => Results.Bytes(Encoding.ASCII.GetBytes($"PNG-{n % 2}"), "image/png"));
        _app.MapGet("/channel.html", () => Results.Content(
            "<html>" + string.Concat(ChannelPosts.Select(n => $"<article data-id=\"{n}\">Channel post {n}</article>")) + "</html>", "text/html"));
        _app.MapGet("/js.html", () => Results.Content(
            "<html><body><script>document.body.insertAdjacentHTML('beforeend', '<article data-id=\"js-1\">Rendered by script</article>');" +
            "fetch('/data.json');</script></body></html>", "text/html"));
        _app.MapGet("/data.json", () => Results.Content("{\"ok\":true}", "application/json"));
        _app.MapGet("/slow.html", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/html";
            context.Response.ContentLength = 1000;
            await context.Response.WriteAsync("<html>");
            await context.Response.Body.FlushAsync();
            await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);
        });
        _app.MapGet("/gone.html", () => Results.StatusCode(410));
        _app.MapGet("/redirect.html", (HttpContext context) =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = RedirectTarget;
        });
    }

    public static async Task<TestSite> StartAsync(int pages = 15, int postsPerPage = 3, TimeSpan pageDelay = default)
    {
        var site = new TestSite { Pages = pages, PostsPerPage = postsPerPage, PageDelay = pageDelay };
        await site._app.StartAsync();
        site.Root = new Uri(site._app.Urls.First().Replace("[::]", "127.0.0.1") + "/");
        return site;
    }

    public Uri Url(string path) => new(Root, path);

    public int Count(string path) => Requests.Count(r => r.Path == path);

    private int Hit(string key) => _hits.AddOrUpdate(key, 1, (_, n) => n + 1);

    /// <summary>The posts page N holds, as the test platform parses them.</summary>
    public static IEnumerable<string> PostIds(int n, int perPage) => Enumerable.Range(0, perPage).Select(k => $"{n}-{k}");

    private string Page(int n)
    {
        var html = new StringBuilder($"<html><body><h1>Page {n}</h1>\n");
        foreach (var id in PostIds(n, PostsPerPage)) html.Append($"<article data-id=\"{id}\">Post {id} text</article>\n");
        html.Append($"<img src=\"{(ImageOrigin is null ? "" : ImageOrigin.AbsoluteUri.TrimEnd('/'))}/img/{n}.png\">\n");
        foreach (var m in new[] { 2 * n + 1, 2 * n + 2 }.Where(m => m < Pages)) html.Append($"<a href=\"/pages/{m}.html\">{m}</a>\n");
        return html.Append("</body></html>").ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
