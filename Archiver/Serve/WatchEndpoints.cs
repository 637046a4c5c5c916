using System.Text.Json.Serialization;
using Archiver.Cli;
using Archiver.Model;
using Archiver.Notifications;
using Archiver.Storage;
using Archiver.Watching;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Archiver.Serve;

/// <summary>What <c>POST /api/watch</c> takes: the arguments of <c>watch add</c>.</summary>
public sealed record WatchAddRequest(
    [property: JsonPropertyName("seeds")] IReadOnlyList<string>? Seeds,
    [property: JsonPropertyName("every")] string? Every,
    [property: JsonPropertyName("tag")] string? Tag);

/// <summary>
/// The watch list and the events in the web app: <c>/watch</c> (the list, a form to add, pause, resume, remove),
/// <c>/events</c> (newest first, by type), <c>/events.atom</c> (the feed, built from the archive), and the API
/// <c>/api/watch</c> with the JSON of <c>watch list|add|pause|resume|remove --json</c>. The forms carry the
/// anti-forgery token (checked by <see cref="ServeSecurity"/>) and redirect back after a change (POST/redirect/GET).
/// API POSTs must send JSON: a page of another site cannot make a browser send <c>application/json</c> here without a
/// CORS preflight, which this app never grants; beyond loopback they need the bearer token as every API call does.
/// </summary>
internal static class WatchEndpoints
{
    /// <summary>Events the events page lists at most (newest first); the API and the CLI list them all.</summary>
    public const int PageEvents = 500;

    public static void Map(WebApplication app, ServeViews views, ServeWatch watch)
    {
        var json = CliContext.JsonOptions;
        var antiforgery = app.Services.GetRequiredService<IAntiforgery>();

        app.MapGet("/api/watch", () => Results.Json(watch.Entries().Select(WatchCommand.View).ToList(), json))
            .WithSummary("The watch list: `archiver watch list --json`").Produces<List<WatchCommand.WatchView>>();
        app.MapPost("/api/watch", async (HttpRequest request, CancellationToken ct) =>
        {
            if (NotJson(request) is { } refused) return refused;
            WatchAddRequest? body;
            try
            {
                body = await request.ReadFromJsonAsync<WatchAddRequest>(ct);
            }
            catch (System.Text.Json.JsonException e)
            {
                return Error(StatusCodes.Status400BadRequest, $"The body is not the JSON of a watch: {e.Message}");
            }
            return await Change(() => watch.AddAsync(body?.Seeds ?? [], body?.Every, body?.Tag, ct), e => e.Upserts);
        }).WithSummary("Add seeds to the watch list (body: {\"seeds\": [...], \"every\": \"6h\", \"tag\": \"T\"}; due at once): what `archiver watch add --json` prints")
          .Accepts<WatchAddRequest>("application/json").Produces<List<WatchCommand.WatchView>>()
          .Produces(StatusCodes.Status400BadRequest).Produces(StatusCodes.Status403Forbidden).Produces(StatusCodes.Status415UnsupportedMediaType);
        foreach (var action in new[] { "pause", "resume", "remove" })
        {
            app.MapPost($"/api/watch/{{target}}/{action}", async (string target, HttpRequest request, CancellationToken ct) =>
                NotJson(request) ?? (watch.Mode != ServeMode.ReadOnly && WatchRecords.Find(watch.Entries(), Uri.UnescapeDataString(target)) is null
                    ? Error(StatusCodes.Status404NotFound, $"No watch entry '{Uri.UnescapeDataString(target)}': give an id or a seed as /api/watch lists them; nothing was changed.")
                    : await Change(() => Act(watch, action, target, ct), e => action == "remove" ? e.Removed : e.Upserts)))
                .WithSummary($"{char.ToUpperInvariant(action[0])}{action[1..]} a watch entry by id or seed (send Content-Type: application/json, body {{}}): what `archiver watch {action} --json` prints")
                .Produces<List<WatchCommand.WatchView>>().Produces(StatusCodes.Status403Forbidden).Produces(StatusCodes.Status404NotFound);
        }

        var pages = app.MapGroup("").ExcludeFromDescription();
        pages.MapGet("/watch", (HttpContext context) => Page(context, antiforgery, watch, null, null));
        pages.MapPost("/watch", async (HttpContext context, CancellationToken ct) =>
        {
            var form = await context.Request.ReadFormAsync(ct);
            var seeds = form["seeds"].ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            try
            {
                await watch.AddAsync(seeds, form["every"], form["tag"], ct);
                return Results.Redirect("/watch");
            }
            catch (ServeReadOnlyException e)
            {
                return Html(Serve.Html.Page("Read-only", $"<p class=\"error\" role=\"alert\">{Serve.Html.E(e.Message)}</p>"), StatusCodes.Status403Forbidden);
            }
            catch (ArchiverException e)
            {
                // The form again, with what was typed and why it was refused (watch add's own message).
                return Page(context, antiforgery, watch, e.Message, new WatchPages.AddForm(form["seeds"], form["every"], form["tag"]), StatusCodes.Status400BadRequest);
            }
        });
        foreach (var action in new[] { "pause", "resume", "remove" })
        {
            pages.MapPost($"/watch/{{target}}/{action}", async (string target, HttpContext context, CancellationToken ct) =>
            {
                try
                {
                    await Act(watch, action, target, ct);
                    return Results.Redirect("/watch");
                }
                catch (ServeReadOnlyException e)
                {
                    return Html(Serve.Html.Page("Read-only", $"<p class=\"error\" role=\"alert\">{Serve.Html.E(e.Message)}</p>"), StatusCodes.Status403Forbidden);
                }
                catch (ArchiverException e)
                {
                    return Page(context, antiforgery, watch, e.Message, null, StatusCodes.Status404NotFound);
                }
            });
        }

        pages.MapGet("/events", (HttpRequest request) =>
        {
            var typeText = request.Query["type"].ToString();
            HashSet<ArchiveEventType> types;
            try
            {
                types = typeText.Length == 0 ? [] : EventsCommand.ParseTypes([typeText]);
            }
            catch (UsageException e)
            {
                return Html(WatchPages.Events([], 0, typeText, e.Message), StatusCodes.Status400BadRequest);
            }
            var events = views.For(request.HttpContext).Store.ReadEvents();
            var matching = events.Where(e => types.Count == 0 || types.Contains(e.Type)).ToList();
            // Newest first: what a person opening the page wants to see.
            var newest = Enumerable.Range(0, Math.Min(PageEvents, matching.Count)).Select(i => matching[matching.Count - 1 - i]).ToList();
            return Html(WatchPages.Events(newest, matching.Count, typeText, null));
        });
        pages.MapGet("/events.atom", (HttpContext context) =>
        {
            // The feed the watcher writes (watch run's ARCHIVE/events.atom), built from the archive itself: the same
            // entries whether or not a watcher wrote the file, and nothing is written by serving it.
            var events = views.For(context).Store.ReadEvents();
            var last = events.Skip(Math.Max(0, events.Count - new NotifyOptions().AtomEntries)).ToList();
            var feed = AtomFeed.Build(views.Paths.Root, last, DateTime.UtcNow);
            return Results.Text(feed.Declaration + "\n" + feed.Root, "application/atom+xml; charset=utf-8");
        });
    }

    private static Task<WatchEdit> Act(ServeWatch watch, string action, string target, CancellationToken ct)
    {
        // A seed as target comes %-encoded in the path (its slashes as %2F, which routing leaves encoded).
        var t = Uri.UnescapeDataString(target);
        return action switch
        {
            "pause" => watch.SetPausedAsync(t, true, ct),
            "resume" => watch.SetPausedAsync(t, false, ct),
            _ => watch.RemoveAsync(t, ct),
        };
    }

    private static async Task<IResult> Change(Func<Task<WatchEdit>> change, Func<WatchEdit, IReadOnlyList<WatchEntry>> shown)
    {
        try
        {
            var edit = await change();
            return Results.Json(shown(edit).Select(WatchCommand.View).ToList(), CliContext.JsonOptions);
        }
        catch (ServeReadOnlyException e)
        {
            return Error(StatusCodes.Status403Forbidden, e.Message);
        }
        catch (ArchiverException e)
        {
            return Error(StatusCodes.Status400BadRequest, e.Message);
        }
    }

    /// <summary>An API POST that is not JSON is refused: the only kind of request a page of another site cannot make a browser send here.</summary>
    private static IResult? NotJson(HttpRequest request) => request.HasJsonContentType()
        ? null
        : Error(StatusCodes.Status415UnsupportedMediaType, "Send JSON: Content-Type: application/json (an empty object {} for pause, resume and remove).");

    private static IResult Error(int status, string message) => Results.Json(new { error = message }, CliContext.JsonOptions, statusCode: status);

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, ServeWatch watch, string? error, WatchPages.AddForm? form, int status = StatusCodes.Status200OK)
    {
        var tokens = watch.Mode == ServeMode.ReadOnly ? null : antiforgery.GetAndStoreTokens(context);
        return Html(WatchPages.List(watch.Entries(), watch.Mode, tokens is null ? null : (tokens.FormFieldName, tokens.RequestToken!), error, form), status);
    }

    private static IResult Html(string html, int status = StatusCodes.Status200OK) => Results.Content(html, "text/html; charset=utf-8", statusCode: status);
}
