using System.IO.Compression;
using System.Text.Json;
using Archiver.Cli;
using Archiver.Search;
using Archiver.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Net.Http.Headers;

namespace Archiver.Serve;

/// <summary>
/// Exports from the browser and the API: the export page (<c>/export</c>), an export's progress page
/// (<c>/exports/ID</c>), and <c>/api/exports</c> (start, list, status, download as a zip, delete). Each export is
/// <c>archiver export</c>'s own code run with the same options (<see cref="ExportOptions"/>), so it refuses what the
/// CLI refuses with the CLI's message and writes the files the CLI writes.
/// </summary>
internal static class ExportEndpoints
{
    public static void Map(WebApplication app, ServeViews views)
    {
        var json = CliContext.JsonOptions;
        var jobs = new ExportJobs(views);
        // Exports stop, and their folder goes, before the archive session closes the store they read.
        app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(jobs.Dispose);
        var antiforgery = app.Services.GetRequiredService<IAntiforgery>();
        var time = TimeProvider.System;

        app.MapGet("/static/export.js", () => Results.Text(ExportPages.Script, "text/javascript")).ExcludeFromDescription();

        var api = app.MapGroup("/api/exports");
        api.MapPost("", async (HttpRequest request) =>
        {
            // JSON only: a form on another site can post urlencoded or multipart bodies here without the user
            // knowing, but not JSON (that needs CORS, which this app never grants).
            if (!request.HasJsonContentType())
                return Error("Send the export's options as JSON (Content-Type: application/json).", StatusCodes.Status415UnsupportedMediaType);
            ExportForm? form;
            try
            {
                form = await JsonSerializer.DeserializeAsync<ExportForm>(request.Body, json, request.HttpContext.RequestAborted);
            }
            catch (JsonException e)
            {
                return Error($"The export's options are not valid JSON: {e.Message}", StatusCodes.Status400BadRequest);
            }
            if (form is null) return Error("The export's options are missing.", StatusCodes.Status400BadRequest);
            try
            {
                var job = await jobs.StartAsync(form, time);
                return Results.Json(job.Status(), json, statusCode: StatusCodes.Status202Accepted);
            }
            catch (TooManyExportsException e)
            {
                return Error(e.Message, StatusCodes.Status429TooManyRequests);
            }
            catch (UsageException e)
            {
                return Error(e.Message, StatusCodes.Status400BadRequest);
            }
        }).WithSummary("Start an export with `archiver export`'s options (format, query, since, until, platform, channel, fields, with_history, with_media, "
            + "pseudonymise with key = a key's name in the archive's keys folder, raw_captures, no_bom, no_csv_injection_guard); a refused one is a 400 with the CLI's message")
          .Accepts<ExportForm>("application/json").Produces<ExportStatus>(StatusCodes.Status202Accepted).Produces(StatusCodes.Status400BadRequest)
          .Produces(StatusCodes.Status429TooManyRequests);
        api.MapGet("", () => Results.Json(jobs.All.Select(j => j.Status()).ToList(), json))
            .WithSummary("The exports this server ran or runs, newest first").Produces<List<ExportStatus>>();
        api.MapGet("/{id}", (string id) => jobs.Find(id) is { } job ? Results.Json(job.Status(), json) : NotFound(id))
            .WithSummary("An export's state and progress (posts written, posts looked at of the total); when done, what `archiver export --json` prints")
            .Produces<ExportStatus>().Produces(StatusCodes.Status404NotFound);
        api.MapGet("/{id}/download", (string id, HttpContext context) => Download(jobs, id, context))
            .WithSummary("The finished export as a zip of its folder: the files `archiver export` writes, datapackage.json and manifest-sha256.txt")
            .Produces<byte[]>(StatusCodes.Status200OK, "application/zip").Produces(StatusCodes.Status404NotFound).Produces(StatusCodes.Status409Conflict);
        api.MapDelete("/{id}", (string id) => jobs.Delete(id) ? Results.NoContent() : NotFound(id))
            .WithSummary("Cancel an export if it runs, and delete its files").Produces(StatusCodes.Status204NoContent).Produces(StatusCodes.Status404NotFound);

        var pages = app.MapGroup("").ExcludeFromDescription();
        pages.MapGet("/export", (HttpContext context) =>
        {
            var query = context.Request.Query;
            var form = new ExportForm { Format = "csv", Query = query["q"].ToString() };
            return FormPage(context, form, null, StatusCodes.Status200OK, stemmed: query["stem"].ToString() is { Length: > 0 } s && s != "0");
        });
        pages.MapPost("/export", async (HttpContext context) =>
        {
            var form = ExportPages.Read(await context.Request.ReadFormAsync(context.RequestAborted));
            try
            {
                var job = await jobs.StartAsync(form, time);
                return Results.Redirect($"/exports/{job.Id}");
            }
            catch (ArchiverException e) when (e is UsageException or TooManyExportsException)
            {
                return FormPage(context, form, e.Message, e is TooManyExportsException ? StatusCodes.Status429TooManyRequests : StatusCodes.Status400BadRequest, stemmed: false);
            }
        });
        pages.MapGet("/exports/{id}", (string id, HttpContext context) => jobs.Find(id) is { } job
            ? Page(ExportPages.Status(job.Status(), Tokens(context)))
            : Page(Html.Page("Not found", $"<p class=\"error\">No export {Html.E(id)} on this server (exports last until it stops).</p>"), StatusCodes.Status404NotFound));
        pages.MapPost("/exports/{id}/cancel", (string id) =>
        {
            jobs.CancelRunning(id);
            return Results.Redirect($"/exports/{Uri.EscapeDataString(id)}");
        });
        pages.MapPost("/exports/{id}/delete", (string id) =>
        {
            jobs.Delete(id);
            return Results.Redirect("/export");
        });

        IResult FormPage(HttpContext context, ExportForm form, string? error, int status, bool stemmed) => Page(ExportPages.Form(form, new ExportPages.Choices
        {
            Keys = ExportForm.Keys(views.Paths),
            KeysFolder = views.Paths.Keys,
            HowToAddKey = ExportForm.HowToAddKey(views.Paths),
            Platforms = views.For(context).Store.Counters.ByPlatform.Keys.Order(StringComparer.Ordinal).ToList(),
            Recent = jobs.All.Select(j => j.Status()).ToList(),
            Stemmed = stemmed,
        }, error, Tokens(context)), status);

        (string Field, string Token) Tokens(HttpContext context)
        {
            var tokens = antiforgery.GetAndStoreTokens(context);
            return (tokens.FormFieldName, tokens.RequestToken!);
        }

        IResult Error(string message, int status) => Results.Json(new { error = message }, json, statusCode: status);
        IResult NotFound(string id) => Error($"No export '{id}' on this server (exports last until it stops).", StatusCodes.Status404NotFound);
    }

    /// <summary>The export folder zipped as it is streamed out (nothing more is written to disk); the zip holds one folder named like the file.</summary>
    private static async Task<IResult> Download(ExportJobs jobs, string id, HttpContext context)
    {
        if (jobs.Find(id) is not { } job)
            return Results.Json(new { error = $"No export '{id}' on this server (exports last until it stops)." }, CliContext.JsonOptions, statusCode: StatusCodes.Status404NotFound);
        if (job.State != "done")
            return Results.Json(new { error = job.State == "running" ? "The export is still running." : $"The export {job.State}; there is nothing to download." },
                CliContext.JsonOptions, statusCode: StatusCodes.Status409Conflict);
        var response = context.Response;
        response.ContentType = "application/zip";
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = job.Name + ".zip" }.ToString();
        var ct = context.RequestAborted;
        // The entries' data are copied asynchronously, but closing an entry flushes its deflate buffer with a
        // synchronous write (.NET 10's CheckSumAndSizeWriteStream disposes the DeflateStream synchronously), which
        // Kestrel refuses unless allowed: a few kilobytes per entry.
        context.Features.Get<IHttpBodyControlFeature>()!.AllowSynchronousIO = true;
        await using var zip = await ZipArchive.CreateAsync(response.Body, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct);
        foreach (var path in Export.Manifest.ListFiles(job.Directory))
        {
            // Parquet, gzip and WACZ are compressed already; the text tables shrink well at the fastest level.
            var level = Path.GetExtension(path) is ".parquet" or ".gz" or ".wacz" or ".zip" ? CompressionLevel.NoCompression : CompressionLevel.Fastest;
            var entry = zip.CreateEntry(job.Name + "/" + path, level);
            await using var source = new FileStream(Path.Combine(job.Directory, path), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            entry.LastWriteTime = File.GetLastWriteTimeUtc(source.Name);
            await using var target = await entry.OpenAsync(ct);
            await source.CopyToAsync(target, ct);
        }
        return Results.Empty;
    }

    private static IResult Page(string html, int status = StatusCodes.Status200OK) => Results.Content(html, "text/html; charset=utf-8", statusCode: status);
}
