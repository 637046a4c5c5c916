using System.Net;
using System.Text.Json;
using Archiver.Cli;
using Archiver.Notifications;
using Archiver.Search;
using Archiver.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Archiver.Serve;

/// <summary>
/// The web app and JSON API over one open archive (its store and live index, or a read-only server's snapshot of them:
/// each request reads the view <see cref="ServeViews"/> gives it), on Kestrel. The API returns what the
/// CLI's <c>--json</c> prints for the same question (<c>/api/search</c> as <c>search --json</c>, <c>/api/posts/KEY</c>
/// as <c>show --json</c>, <c>/api/channels</c>, <c>/api/events</c>); the pages render the same data as HTML.
/// </summary>
public sealed class ServeHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ReplayHost? _replay;
    private readonly ReplayCaptures? _captures;

    private ServeHost(WebApplication app, Uri url, ReplayHost? replay, ReplayCaptures? captures)
    {
        _app = app;
        Url = url;
        _replay = replay;
        _captures = captures;
    }

    /// <summary>The replay origin's port (null without ReplayWeb.page).</summary>
    public int? ReplayPort => _replay?.Port;

    /// <summary>Where it listens (the port chosen when 0 was asked).</summary>
    public Uri Url { get; }

    public static async Task<ServeHost> StartAsync(IPEndPoint listen, string? token, ServeViews views, ServeWatch watch, CancellationToken ct, ReplayOptions? replayOptions = null)
    {
        // The replay origin (ReplayWeb.page on another port) starts first: the app's pages frame it.
        var appPort = new System.Runtime.CompilerServices.StrongBox<int>(listen.Port);
        var captures = replayOptions?.PackageDir is null ? null : new ReplayCaptures(views);
        var replay = captures is null ? null
            : await ReplayHost.StartAsync(listen.Address, replayOptions!.Port ?? (listen.Port == 0 ? 0 : listen.Port + 1), () => appPort.Value, replayOptions.PackageDir!, captures, ct);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "Archiver",
            ContentRootPath = AppContext.BaseDirectory,
            // No configuration files are read, so none are watched (a recursive inotify watch of the working directory otherwise).
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Archiver";
            document.Info.Description = "The archive's search, posts, channels and events: the same answers as the CLI's --json.";
            return Task.CompletedTask;
        }));
        // The OpenAPI document names fields as the API writes them (the CLI's snake_case JSON), and reads request bodies so.
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = CliContext.JsonOptions.PropertyNamingPolicy;
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        });
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "archiver_antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.FormFieldName = "__archiver_form";
        });
        builder.WebHost.UseKestrel(o =>
        {
            o.AddServerHeader = false;
            o.Listen(listen);
        });
        var app = builder.Build();
        var security = new ServeSecurity(token, app.Services.GetRequiredService<IAntiforgery>());
        app.Use(ReportFailuresAsync);
        app.Use(security.InvokeAsync);
        Map(app, security, views);
        ReplayEndpoints.Map(app, views, replay, captures);
        WatchEndpoints.Map(app, views, watch);
        try
        {
            await app.StartAsync(ct);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            if (replay is not null) await replay.DisposeAsync();
            captures?.Dispose();
            throw new ArchiverException($"Cannot listen on {listen}: {e.Message}. Choose another --listen address or port.", e);
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        appPort.Value = new Uri(address).Port;
        return new ServeHost(app, new Uri(address), replay, captures);
    }

    private static void Map(WebApplication app, ServeSecurity security, ServeViews views)
    {
        var json = CliContext.JsonOptions;
        app.MapGet("/static/app.css", () => Results.Text(Html.Css, "text/css")).ExcludeFromDescription();
        app.MapOpenApi("/api/openapi.json");
        MediaEndpoints.Map(app, views);

        app.MapGet("/api/search", (HttpRequest request) =>
        {
            try
            {
                var search = SearchQuery.From(request.Query);
                var (store, index) = views.For(request.HttpContext);
                var results = index.Search(search);
                return Results.Json(SearchOutput.From(search, results, SearchOutput.Details(store, results)), json);
            }
            catch (Exception e) when (e is UsageException or QuerySyntaxException)
            {
                return Results.Json(new { error = e.Message }, json, statusCode: StatusCodes.Status400BadRequest);
            }
        }).WithSummary("Search: what `archiver search --json` prints for q, stem, since, until, by (repeatable), histogram, sort, limit, offset, top")
          .Produces<SearchOutput.Json>().Produces(StatusCodes.Status400BadRequest);
        app.MapGet("/api/posts/{*key}", (HttpContext context, string key) =>
            View(views.For(context).Store, key) is { } view ? Results.Json(view, json) : Results.Json(new { error = $"No post '{key}' in this archive." }, json, statusCode: 404))
            .WithSummary("A post by key or URL with its versions, deletion evidence and provenance: `archiver show --json`")
            .Produces<PostView>().Produces(StatusCodes.Status404NotFound);
        app.MapGet("/api/channels", (HttpContext context) => Results.Json(ChannelSummaries.From(views.For(context).Store), json))
            .WithSummary("Every channel and account with status and evidence: `archiver channels --json`").Produces<IReadOnlyList<ChannelSummary>>();
        app.MapGet("/api/events", (HttpContext context) => Results.Json(views.For(context).Store.ReadEvents().Select(EventJson.From).ToList(), json))
            .WithSummary("What a watch recorded, oldest first: `archiver events --json`").Produces<List<EventJson>>();
        ExportEndpoints.Map(app, views);

        // The pages are for people; the OpenAPI document lists the API only.
        var pages = app.MapGroup("").ExcludeFromDescription();
        pages.MapGet("/", (HttpRequest request) =>
        {
            var q = request.Query["q"].ToString();
            var stem = request.Query["stem"].ToString() is { Length: > 0 } s && s != "0";
            if (string.IsNullOrWhiteSpace(q)) return Page(Pages.Search(null, stem, null, null, null));
            try
            {
                var search = SearchQuery.From(request.Query) is var parsed && parsed.CountBy.Count == 0
                    ? parsed with { CountBy = Pages.Facets, Histogram = parsed.Histogram ?? HistogramPeriod.Week }
                    : parsed;
                var (store, index) = views.For(request.HttpContext);
                var results = index.Search(search);
                return Page(Pages.Search(q, stem, search, SearchOutput.From(search, results, SearchOutput.Details(store, results)), null));
            }
            catch (Exception e) when (e is UsageException or QuerySyntaxException)
            {
                return Page(Pages.Search(q, stem, null, null, e.Message), StatusCodes.Status400BadRequest);
            }
        });
        pages.MapGet("/posts/{*key}", (HttpContext context, string key) =>
            views.For(context).Store is var store && View(store, key) is { } view ? Page(Pages.Post(view, PostSections.Html(store, view))) : Page(Html.Page("Not found", $"<p class=\"error\">No post {Html.E(key)} in this archive.</p>"), 404));
        pages.MapGet("/channels", (HttpContext context) => Page(Pages.Channels(ChannelSummaries.From(views.For(context).Store))));

        var antiforgery = app.Services.GetRequiredService<IAntiforgery>();
        pages.MapGet("/login", (HttpContext context) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(context);
            return Page(Pages.Login(Then(context.Request.Query["then"]), tokens.FormFieldName, tokens.RequestToken!, failed: false));
        });
        pages.MapPost("/login", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            var then = Then(form["then"]);
            if (!security.Matches(form["token"].ToString()))
            {
                var tokens = antiforgery.GetAndStoreTokens(context);
                return Page(Pages.Login(then, tokens.FormFieldName, tokens.RequestToken!, failed: true), StatusCodes.Status401Unauthorized);
            }
            context.Response.Cookies.Append(ServeSecurity.CookieName, form["token"].ToString(), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = "/",
            });
            return Results.Redirect(then);
        });
    }

    /// <summary>
    /// A request that fails unexpectedly is written to stderr with its stack (ASP.NET's own logging is off) and
    /// answered 500 with a short JSON error, so a server under load never fails silently.
    /// </summary>
    private static async Task ReportFailuresAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (e is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"serve: {context.Request.Method} {context.Request.Path}{context.Request.QueryString} failed: {e}");
            if (context.Response.HasStarted) throw;
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsJsonAsync(new { error = "The server failed to answer this request; its log (stderr) says why." });
        }
    }

    internal static PostView? View(ArchiveStore store, string key)
    {
        // Routing leaves an escaped slash escaped in a catch-all value, and keys hold slashes (telegram:t.me:channel/123).
        key = key.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        return (store.GetPost(key) ?? store.FindPostByUrl(key)) is { } post ? new PostView(post, store.GetVersions(post.Key), store.LastSightingOf(post.Key)) : null;
    }

    /// <summary>Where to go after logging in: a path of this app only, never another site.</summary>
    private static string Then(string? then) =>
        then is { Length: > 0 } t && t.StartsWith('/') && !t.StartsWith("//", StringComparison.Ordinal) && !t.Contains('\\', StringComparison.Ordinal) ? t : "/";

    private static IResult Page(string html, int status = StatusCodes.Status200OK) => Results.Content(html, "text/html; charset=utf-8", statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_replay is not null) await _replay.DisposeAsync();
        _captures?.Dispose();
    }
}
