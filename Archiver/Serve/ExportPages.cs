using System.Globalization;
using Archiver.Export;
using Microsoft.AspNetCore.Http;

namespace Archiver.Serve;

/// <summary>The export form and an export's progress page; the values come from the user or the archive and are all escaped.</summary>
internal static class ExportPages
{
    public sealed record Choices
    {
        public required IReadOnlyList<string> Keys { get; init; }
        public required string KeysFolder { get; init; }
        public required string HowToAddKey { get; init; }
        public required IReadOnlyList<string> Platforms { get; init; }
        public required IReadOnlyList<ExportStatus> Recent { get; init; }
        /// <summary>The search it came from matched other word forms too, which an export does not.</summary>
        public bool Stemmed { get; init; }
    }

    private static readonly (string Format, string What)[] FormatChoices =
    [
        ("csv", "CSV (spreadsheets; UTF-8 with a byte order mark)"),
        ("jsonl", "JSON Lines"),
        ("parquet", "Parquet (R, pandas, DuckDB)"),
        ("ids", "post keys and URLs only (to share instead of contents)"),
        ("warc", "WARC: the original captures"),
        ("wacz", "WACZ: the original captures, for ReplayWeb.page"),
    ];

    /// <summary>The form's fields as <see cref="ExportForm"/> (checkboxes are present only when ticked).</summary>
    public static ExportForm Read(IFormCollection form) => new()
    {
        Format = form["format"].ToString(),
        Query = form["query"].ToString(),
        Since = form["since"].ToString(),
        Until = form["until"].ToString(),
        Platform = [form["platform"].ToString()],
        Channel = [form["channel"].ToString()],
        Fields = form["fields"].ToString(),
        WithHistory = form.ContainsKey("with_history"),
        WithMedia = form.ContainsKey("with_media"),
        Pseudonymise = form.ContainsKey("pseudonymise"),
        Key = form["key"].ToString(),
        RawCaptures = form.ContainsKey("raw_captures"),
        NoBom = form.ContainsKey("no_bom"),
        NoCsvInjectionGuard = form.ContainsKey("no_csv_injection_guard"),
    };

    public static string Form(ExportForm form, Choices choices, string? error, (string Field, string Token) antiforgery)
    {
        var h = new Html().Raw("<h1>Export</h1>")
            .Raw("<p>The same dataset as <code>archiver export</code>: the posts a query and filters select, with datapackage.json and SHA-256 checksums, as a zip.</p>");
        if (error is not null) h.Raw("<p class=\"error\" role=\"alert\">").Text(error).Raw("</p>");
        h.Raw("<form class=\"export\" method=\"post\" action=\"/export\">")
            .Raw($"<input type=\"hidden\" name=\"{Html.E(antiforgery.Field)}\" value=\"{Html.E(antiforgery.Token)}\">")
            .Raw("<fieldset><legend>Format</legend>");
        foreach (var (format, what) in FormatChoices)
        {
            var check = string.Equals(form.Format, format, StringComparison.OrdinalIgnoreCase) ? " checked" : "";
            h.Raw($"<label><input type=\"radio\" name=\"format\" value=\"{format}\"{check}> <strong>{format}</strong> ").Text(what).Raw("</label><br>");
        }
        h.Raw("</fieldset><fieldset><legend>Posts</legend>")
            .Raw($"<label>Query <input name=\"query\" size=\"50\" value=\"{Html.E(form.Query)}\" placeholder=\"empty: every post\"></label>");
        if (choices.Stemmed) h.Raw(" <span class=\"syntax\">The export matches these words exactly, as <code>archiver export</code> does (not their other forms).</span>");
        h.Raw("<br>")
            .Raw($"<label>Since <input name=\"since\" value=\"{Html.E(form.Since)}\" placeholder=\"2024-01-01\"></label> ")
            .Raw($"<label>Until <input name=\"until\" value=\"{Html.E(form.Until)}\" placeholder=\"2024-01-31\"></label> ")
            .Raw("<span class=\"syntax\">until a day includes that day, as in search</span><br>")
            .Raw($"<label>Platforms <input name=\"platform\" value=\"{Html.E(Joined(form.Platform))}\" placeholder=\"{Html.E(string.Join(",", choices.Platforms))}\"></label> ")
            .Raw($"<label>Channels <input name=\"channel\" value=\"{Html.E(Joined(form.Channel))}\" placeholder=\"comma-separated\"></label><br>")
            .Raw($"<label>Fields <input name=\"fields\" size=\"50\" value=\"{Html.E(form.Fields)}\" placeholder=\"all; or e.g. key,created_at,text\"></label><br>")
            .Raw(Check("with_history", form.WithHistory, "earlier versions of edited posts"))
            .Raw(Check("with_media", form.WithMedia, "copy the media files"))
            .Raw("</fieldset><fieldset><legend>Pseudonymise</legend>")
            .Raw(Check("pseudonymise", form.Pseudonymise, "replace authors, handles, names and @mentions by keyed pseudonyms"));
        if (choices.Keys.Count == 0)
            h.Raw("<p class=\"syntax\">").Text($"No key in {choices.KeysFolder} yet: {choices.HowToAddKey}").Raw("</p>");
        else
        {
            h.Raw("<label>Key <select name=\"key\">");
            foreach (var key in choices.Keys)
                h.Raw($"<option value=\"{Html.E(key)}\"{(key == form.Key ? " selected" : "")}>").Text(key).Raw("</option>");
            h.Raw("</select></label> <span class=\"syntax\">").Text($"from {choices.KeysFolder}; the same key gives the same pseudonyms in every export").Raw("</span><br>");
        }
        h.Raw(Check("raw_captures", form.RawCaptures, "WARC/WACZ: export the raw captures anyway (they cannot be pseudonymised)"))
            .Raw("</fieldset><fieldset><legend>CSV</legend>")
            .Raw(Check("no_bom", form.NoBom, "no UTF-8 byte order mark (Excel needs it)"))
            .Raw(Check("no_csv_injection_guard", form.NoCsvInjectionGuard, "do not prefix cells starting with = + - @ with an apostrophe"))
            .Raw("</fieldset><button type=\"submit\">Export</button></form>");
        if (choices.Recent.Count > 0)
        {
            h.Raw("<h2>Exports on this server</h2><table class=\"exports\"><tr><th>started</th><th>format</th><th>query</th><th>state</th><th>posts</th></tr>");
            foreach (var job in choices.Recent)
                h.Raw($"<tr><td><a href=\"/exports/{Html.E(job.Id)}\">").Text(Html.Date(job.StartedAt)).Raw("</a></td><td>").Text(job.Format)
                    .Raw("</td><td>").Text(job.Query).Raw("</td><td>").Text(job.State).Raw("</td><td>").Text(job.Posts.ToString("N0", CultureInfo.InvariantCulture)).Raw("</td></tr>");
            h.Raw("</table>");
        }
        return Html.Page("Export", h.ToString());
    }

    /// <summary>An export's page: progress while it runs (updated by /static/export.js), then the download, or the failure.</summary>
    public static string Status(ExportStatus status, (string Field, string Token) antiforgery)
    {
        var h = new Html().Raw("<h1>Export</h1><p class=\"meta\">").Text($"{status.Format}{(status.Query is { Length: > 0 } q ? $", query {q}" : "")}, started {Html.Date(status.StartedAt)} UTC").Raw("</p>");
        h.Raw($"<section class=\"export-status\" data-export-id=\"{Html.E(status.Id)}\" data-state=\"{Html.E(status.State)}\">");
        var hidden = $"<input type=\"hidden\" name=\"{Html.E(antiforgery.Field)}\" value=\"{Html.E(antiforgery.Token)}\">";
        switch (status.State)
        {
            case "running":
                h.Raw($"<progress max=\"{Math.Max(1, status.Total)}\" value=\"{status.Scanned}\"></progress> <span class=\"progress-text\">").Text(Progress(status)).Raw("</span>")
                    .Raw($"<form method=\"post\" action=\"/exports/{Html.E(status.Id)}/cancel\">{hidden}<button type=\"submit\">Cancel</button></form>")
                    .Raw("<script src=\"/static/export.js\" defer></script>");
                break;
            case "done":
                var result = status.Result!;
                var c = CultureInfo.InvariantCulture;
                h.Raw("<p class=\"done\">").Text(string.Create(c, $"Exported {result.Posts:N0} posts")
                        + (result.EarlierVersions > 0 ? string.Create(c, $" (+{result.EarlierVersions:N0} earlier versions)") : "")
                        + (result.Format is "ids" or "warc" or "wacz" ? "" : string.Create(c, $", {result.Authors:N0} authors, {result.MediaRows:N0} media records"))
                        + string.Create(c, $"; {result.Scanned:N0} posts looked at in {result.Elapsed.TotalSeconds:0.0} s.")).Raw("</p>")
                    .Raw($"<p><a class=\"download\" href=\"{Html.E(status.Download)}\" download>Download {Html.E(result.Path)}.zip</a></p><ul class=\"files\">");
                foreach (var file in result.Files)
                    h.Raw("<li>").Text(file.Path + (file.Rows is { } rows ? string.Create(c, $": {rows:N0} rows") : "")).Raw("</li>");
                h.Raw($"<li>{Manifest.PackageFile}, {Manifest.ChecksumFile} (check with <code>archiver verify</code>)</li></ul>");
                foreach (var warning in result.Warnings.Take(20)) h.Raw("<p class=\"warning\">warning: ").Text(warning).Raw("</p>");
                break;
            case "failed":
                h.Raw("<p class=\"error\" role=\"alert\">").Text(status.Error).Raw("</p>");
                break;
            default:
                h.Raw("<p>").Text($"The export was {status.State}.").Raw("</p>");
                break;
        }
        h.Raw("</section>");
        if (status.State != "running")
            h.Raw($"<form method=\"post\" action=\"/exports/{Html.E(status.Id)}/delete\">{hidden}<button type=\"submit\">Delete from the server</button></form>");
        h.Raw("<p><a href=\"/export\">Another export</a></p>");
        return Html.Page("Export", h.ToString());
    }

    public static string Progress(ExportStatus s) =>
        string.Create(CultureInfo.InvariantCulture, $"{s.Phase}: {s.Posts:N0} posts written, {s.Scanned:N0} of {s.Total:N0} looked at");

    private static string Check(string name, bool value, string label) =>
        $"<label><input type=\"checkbox\" name=\"{name}\" value=\"1\"{(value ? " checked" : "")}> {Html.E(label)}</label><br>";

    private static string Joined(IReadOnlyList<string>? values) => string.Join(",", (values ?? []).Where(v => !string.IsNullOrWhiteSpace(v)));

    /// <summary>
    /// The one script of the app, served from its own origin (the CSP allows no other): it polls the export's status
    /// and updates the progress bar, then reloads the page, which the server renders with the download or the failure.
    /// Without it the page still works by reloading it.
    /// </summary>
    public const string Script = """
        "use strict";
        (function () {
          const box = document.querySelector("[data-export-id]");
          if (!box || box.dataset.state !== "running") return;
          const id = box.dataset.exportId;
          const bar = box.querySelector("progress");
          const text = box.querySelector(".progress-text");
          const n = (v) => Number(v).toLocaleString("en");
          async function poll() {
            try {
              const response = await fetch("/api/exports/" + encodeURIComponent(id), { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" });
              if (response.ok) {
                const s = await response.json();
                if (s.state !== "running") { window.location.reload(); return; }
                bar.max = Math.max(1, s.total);
                bar.value = s.scanned;
                text.textContent = s.phase + ": " + n(s.posts) + " posts written, " + n(s.scanned) + " of " + n(s.total) + " looked at";
              } else if (response.status === 404) {
                text.textContent = "This export is no longer on the server.";
                return;
              }
            } catch (e) {
              text.textContent = "Waiting for the server...";
            }
            window.setTimeout(poll, 500);
          }
          window.setTimeout(poll, 250);
        })();
        """;
}
