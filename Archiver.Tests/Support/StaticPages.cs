using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Archiver.Tests.Support;

/// <summary>
/// A site on 127.0.0.1 (Kestrel, port 0) that serves fixed bodies by path, for crawls of real files through the
/// CLI. robots.txt allows everything; any other path is a 404.
/// </summary>
public sealed class StaticPages : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (byte[] Body, string ContentType)> _pages = new(StringComparer.Ordinal);

    public Uri Root { get; private set; } = null!;

    private StaticPages()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(async context =>
        {
            var path = context.Request.Path.Value ?? "/";
            if (path == "/robots.txt")
            {
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("User-agent: *\nAllow: /\n");
                return;
            }
            if (!_pages.TryGetValue(path, out var page))
            {
                context.Response.StatusCode = 404;
                return;
            }
            context.Response.ContentType = page.ContentType;
            context.Response.ContentLength = page.Body.Length;
            await context.Response.Body.WriteAsync(page.Body);
        });
    }

    public static async Task<StaticPages> StartAsync()
    {
        var site = new StaticPages();
        await site._app.StartAsync();
        site.Root = new Uri(site._app.Urls.First().Replace("[::]", "127.0.0.1") + "/");
        return site;
    }

    public Uri Add(string path, byte[] body, string contentType)
    {
        _pages[path] = (body, contentType);
        return new Uri(Root, path);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
