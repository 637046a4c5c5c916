using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Archiver.Serve;

/// <summary>Where serve finds ReplayWeb.page and on which port its replay origin listens.</summary>
public sealed record ReplayOptions(string? PackageDir, int? Port)
{
    public const string Install = "npm install replaywebpage";

    /// <summary>
    /// The unpacked npm package (with ui.js and sw.js): the one given (--replayweb), else $ARCHIVER_REPLAYWEB, else
    /// replaywebpage or node_modules/replaywebpage next to the executable or in the working directory; null when none.
    /// </summary>
    public static string? Find(string? given)
    {
        var candidates = new List<string?> { given, Environment.GetEnvironmentVariable("ARCHIVER_REPLAYWEB") };
        foreach (var dir in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            candidates.Add(Path.Combine(dir, "replaywebpage"));
            candidates.Add(Path.Combine(dir, "node_modules", "replaywebpage"));
        }
        return candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(Path.Combine(c, "ui.js")) && File.Exists(Path.Combine(c, "sw.js")));
    }
}

/// <summary>
/// The replay origin: a second Kestrel server on another port of the same address, so that archived pages (run by
/// ReplayWeb.page's service worker) never run in the app's origin and cannot read its pages or API (a different
/// port is a different origin; the app sends no CORS headers and marks its responses same-origin only). It serves
/// nothing but ReplayWeb.page's ui.js and service worker, one embedding page per ticket, and that ticket's WACZ:
/// no archive listing, no search, no media store, no other capture; only GET and HEAD. The app frames it in a
/// sandboxed iframe (scripts and its own origin, which the service worker needs; no popups, no dialogs, no top
/// navigation), and only the app may frame it (frame-ancestors).
/// </summary>
internal sealed class ReplayHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ReplayHost(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The replay origin as the browser reaches it: the host the app was asked for, on the replay port.</summary>
    public string OriginFor(HttpRequest appRequest) => $"{appRequest.Scheme}://{appRequest.Host.Host}:{Port}";

    /// <param name="appPort">The app's port, known once it listens (the replay origin starts first, for the app's pages to know it).</param>
    public static async Task<ReplayHost> StartAsync(IPAddress address, int port, Func<int> appPort, string packageDir, ReplayCaptures captures, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "Archiver.Replay",
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.AddServerHeader = false;
            o.Listen(address, port);
        });
        var app = builder.Build();
        var ui = Path.Combine(packageDir, "ui.js");
        var sw = Path.Combine(packageDir, "sw.js");
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            // Only the app's pages may frame the replay (the host the browser used, on the app's port).
            headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
                + "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' blob:; connect-src 'self'; worker-src 'self'; frame-src 'self'; "
                + $"object-src 'none'; base-uri 'self'; form-action 'none'; frame-ancestors {context.Request.Scheme}://{context.Request.Host.Host}:{appPort()}";
            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                return;
            }
            await next(context);
        });
        app.MapGet("/view/{ticket}", (string ticket) => captures.Find(ticket) is { } t
            ? Results.Content(EmbeddingPage(t), "text/html; charset=utf-8")
            : Results.Text("No such capture here (it may have expired): reload the post page.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound));
        app.MapGet("/ui.js", () => Results.File(ui, "application/javascript"));
        app.MapGet("/view.js", () => Results.Text(ViewScript, "application/javascript"));
        // The service worker's index page (the frame ReplayWeb.page replays in) loads ./ui.js from the replay base.
        app.MapGet("/replay/ui.js", () => Results.File(ui, "application/javascript"));
        app.MapGet("/replay/sw.js", () => Results.File(sw, "application/javascript"));
        app.MapGet("/wacz/{ticket}/capture.wacz", async (string ticket, CancellationToken requestAborted) =>
            captures.Find(ticket) is { } t && await captures.WaczAsync(t, requestAborted) is { } wacz
                ? Results.File(wacz, "application/wacz", enableRangeProcessing: true)
                : Results.NotFound());
        try
        {
            await app.StartAsync(ct);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new ArchiverException($"Cannot listen on {address}:{port} for the replay of original captures: {e.Message}. Choose another --replay-port.", e);
        }
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new ReplayHost(app, bound.Port);
    }

    /// <summary>
    /// ReplayWeb.page's element, as its embedding guide describes, replaying one page of one capture and nothing else;
    /// <see cref="ViewScript"/> adds it to the page once the service worker is active.
    /// </summary>
    private static string EmbeddingPage(ReplayTicket t) =>
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Original capture</title><script src=\"/ui.js\"></script><script src=\"/view.js\" defer></script></head>"
        + "<body style=\"margin:0\"><template id=\"replay\">"
        + $"<replay-web-page style=\"height:100vh;display:block\" source=\"/wacz/{Html.E(t.Id)}/capture.wacz\" url=\"{Html.E(t.PageUrl)}\" "
        + $"ts=\"{t.CapturedAt.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture)}\" replaybase=\"/replay/\" embed=\"replayonly\"></replay-web-page></template></body></html>";

    /// <summary>
    /// ReplayWeb.page loads its replay frame as soon as it has registered its service worker, before the worker is
    /// active; on a browser's first visit that frame's request then reaches this server, whose answer the replay
    /// origin's frame-ancestors forbids framing (only the app may frame), so ReplayWeb.page's own retry cannot reach
    /// into the frame and the capture stays blank until the user reloads. So the worker is registered first (the same
    /// script and scope ReplayWeb.page registers, which it then finds) and the element added once it is activated.
    /// </summary>
    private const string ViewScript = """
        (async () => {
          try {
            const registration = await navigator.serviceWorker.register('/replay/sw.js?serveIndex=1', { scope: '/replay/' });
            const worker = registration.active || registration.waiting || registration.installing;
            if (worker && worker.state !== 'activated')
              await new Promise(resolve => worker.addEventListener('statechange', () => {
                if (worker.state === 'activated' || worker.state === 'redundant') resolve();
              }));
          } finally {
            // Without a worker ReplayWeb.page shows its own error message.
            document.body.append(document.importNode(document.getElementById('replay').content, true));
          }
        })();
        """;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
