using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Archiver.Tests.Export;

/// <summary>
/// A loopback site that embeds ReplayWeb.page the way its embedding guide describes: a page with
/// <c>&lt;replay-web-page source=... url=...&gt;</c>, the package's <c>ui.js</c>, its service worker at
/// <c>replay/sw.js</c> (the default replay base), and the WACZ served with range requests, which is how
/// ReplayWeb.page reads a WACZ over HTTP.
/// </summary>
internal sealed class ReplayWebPageServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private ReplayWebPageServer(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>The embedding page that replays <paramref name="pageUrl"/> from the WACZ.</summary>
    public Uri PageFor(string pageUrl) => new(Url, "index.html?url=" + Uri.EscapeDataString(pageUrl));

    /// <summary>The embedding page in ReplayWeb.page's full view of the archive, which lists its pages.</summary>
    public Uri ArchiveView => new(Url, "index.html");

    public static async Task<ReplayWebPageServer> StartAsync(string packageDir, string waczPath, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "ReplayWebPageTest",
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var ui = Path.Combine(packageDir, "ui.js");
        var sw = Path.Combine(packageDir, "sw.js");
        app.MapGet("/index.html", (string? url) => Results.Content(EmbeddingPage(url), "text/html; charset=utf-8"));
        // The service worker's own index page loads ./ui.js relative to the replay base.
        app.MapGet("/ui.js", () => Results.File(ui, "application/javascript"));
        app.MapGet("/replay/ui.js", () => Results.File(ui, "application/javascript"));
        app.MapGet("/replay/sw.js", () => Results.File(sw, "application/javascript"));
        app.MapGet("/archive.wacz", () => Results.File(waczPath, "application/wacz", enableRangeProcessing: true));
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ReplayWebPageServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    private static string EmbeddingPage(string? url) =>
        "<!doctype html><html><head><meta charset=\"utf-8\"><script src=\"/ui.js\"></script></head><body>" +
        "<replay-web-page style=\"height: 600px; display: block\" source=\"/archive.wacz\" " +
        (url is null ? "" : $"url=\"{WebUtility.HtmlEncode(url)}\" embed=\"replayonly\"") + "></replay-web-page>" +
        "</body></html>";

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
