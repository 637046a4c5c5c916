using System.CommandLine;
using Archiver.Import;
using Archiver.Inputs;
using Archiver.Storage;
using Spectre.Console;

namespace Archiver.Cli;

/// <summary><c>archiver import PATH...</c>: brings existing collections into the archive.</summary>
public sealed class ImportCommand : ICliCommand
{
    public Command Build(CommandRunner run)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Files to import: WARC (.warc, .warc.gz), WACZ, ARC (.arc, .arc.gz), or datasets (.jsonl, .ndjson; also .gz, .zst, .zip)", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format") { Description = ImportFormats.Help, DefaultValueFactory = _ => "auto" };
        var again = new Option<bool>("--again") { Description = "Read inputs that were already imported completely (adds nothing new unless they changed)" };
        var noIndex = new Option<bool>("--no-index") { Description = "Do not update the search index now (run 'archiver index' later)" };
        var command = new Command("import", $"Import WARC/WACZ/ARC captures and datasets ({ImportFormats.Titles}, Archiver's own export) into the archive") { paths, format, again, noIndex };
        run.Attach(command, async (context, parse, ct) =>
        {
            var formatName = parse.GetValue(format)!;
            var warcOnly = formatName.Equals("warc", StringComparison.OrdinalIgnoreCase) || formatName.Equals("wacz", StringComparison.OrdinalIgnoreCase);
            var chosen = warcOnly ? ImportFormat.Auto : ImportFormats.Parse(formatName);
            var all = parse.GetValue(paths)!;
            var warcs = all.Where(p => warcOnly || (chosen == ImportFormat.Auto && WarcImport.IsWarcPath(p))).ToArray();
            var inputs = all.Except(warcs).ToArray();
            foreach (var input in all)
            {
                if (!File.Exists(input)) throw new UsageException($"Input file not found: {input}");
                // A FIFO or device opened for reading may wait forever (or never end): only read as a stream of
                // lines when the user said what the lines are.
                if (!InputFiles.IsRegular(input) && (chosen == ImportFormat.Auto || warcs.Contains(input))) throw InputFiles.NotRegular(input);
            }
            Languages.PostLanguages.Preload();
            // One session owns the archive: the writer lock, the store, the index following it during the import (on its
            // own thread; --no-index leaves it to `archiver index`) and the single writer every importer goes through.
            await using var session = ArchiveSession.Open(context.DataDir, new ArchiveSessionOptions
            {
                Follower = parse.GetValue(noIndex) ? null : Indexing.IndexFollower.Opener(Indexing.IndexFollowerOptions.Bulk),
            }, ct);
            var index = session.Follower;
            var service = new ImportService(session.Writer, TimeProvider.System);
            // The one progress view, in lines on stderr (at most every 2 s, after a committed batch).
            ImportReport? latest = null;
            var progress = new ProgressView(context,
                () => new ProgressSnapshot { Line = $"  {Format.Count(latest!.Lines)} lines, {Format.Count(latest.Inserted)} new posts, {Format.Count(latest.BadLines)} bad lines" },
                new ProgressViewOptions { LineEvery = TimeSpan.FromSeconds(2), LinesToError = true });
            service.Progress += r =>
            {
                latest = r;
                progress.Changed();
            };
            WarcImportReport? warcReport = null;
            if (warcs.Length > 0)
                warcReport = new WarcImport(session.Writer, Platforms.KnownPlatforms.Registry(), TimeProvider.System).Import(warcs, parse.GetValue(again), ct);
            var report = inputs.Length > 0 ? await service.ImportAsync(inputs, chosen, parse.GetValue(again), ct) : new ImportReport();
            // The index thread may still be working through the last batches: a rate that stops at the store's
            // last commit would promise more than the user gets, so say when everything was searchable.
            var indexWait = System.Diagnostics.Stopwatch.StartNew();
            await session.CompleteAsync();
            var indexTail = indexWait.Elapsed;
            await session.DisposeAsync();
            // The index was busy (another process writes it): catch up now, which says so if it still is.
            if (!parse.GetValue(noIndex) && index is null && report.Inserted + report.Edited + (warcReport?.Inserted ?? 0) > 0) IndexCatchUp.Run(context, ct);
            if (context.Json)
            {
                if (warcReport is not null && inputs.Length == 0) context.WriteJson(warcReport);
                else context.WriteJson(report);
            }
            else
            {
                if (warcReport is not null) RenderWarc(context.Console, warcReport);
                if (inputs.Length > 0) Render(context.Console, report);
                if (index is not null && indexTail >= TimeSpan.FromSeconds(0.1))
                    context.Console.MarkupLine($"The search index caught up {indexTail.TotalSeconds:0.0} s after the last stored batch.");
            }
            // Lines that could not be imported are a failure (said with their count): a script must not take a
            // file of which nothing, or only part, was imported for a finished import. WARC inputs fail when no
            // record at all could be read; a damaged record among good ones is reported, not fatal.
            var capturesUnreadable = warcReport is { Records: 0, SkippedFiles: 0, ProblemCount: > 0 };
            if (report.BadLines > 0)
                context.Error.WriteLine($"archiver import: {report.BadLines:N0} of {report.Lines:N0} line(s) could not be imported; see the problems listed above.");
            return report.BadLines > 0 || capturesUnreadable ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }

    private static void RenderWarc(IAnsiConsole console, WarcImportReport r)
    {
        console.MarkupLine($"WARC/WACZ/ARC: {Format.Count(r.Records)} records, {Format.Count(r.Responses)} HTTP responses, {Format.Count(r.Routed)} parsed by a platform: "
            + $"{Format.Count(r.Inserted)} new posts, {Format.Count(r.Unchanged)} already archived, {Format.Count(r.Authors)} author records.");
        if (r.SkippedFiles > 0) console.MarkupLine($"{r.SkippedFiles} WARC input(s) were already imported completely and were skipped (use --again).");
        foreach (var warning in r.Warnings) console.MarkupLine(Markup.Escape($"warning: {warning}"));
        if (r.ProblemCount > 0)
        {
            console.MarkupLine($"[yellow]{Format.Count(r.ProblemCount)} problem(s)[/] (first {r.Problems.Count} shown, file:offset):");
            foreach (var p in r.Problems) console.MarkupLine(Markup.Escape($"  {p.Source}:{p.Line}: {p.Reason}"));
        }
    }

    private static void Render(IAnsiConsole console, ImportReport r)
    {
        var rate = r.Elapsed.TotalSeconds > 0 ? r.Lines / r.Elapsed.TotalSeconds : 0;
        console.MarkupLine($"Imported {Format.Count(r.Lines)} lines in {r.Elapsed.TotalSeconds:0.0} s ({Format.Rate(rate)} lines/s): "
            + $"{Format.Count(r.Inserted)} new posts, {Format.Count(r.Edited)} edited, {Format.Count(r.Unchanged)} already archived, {Format.Count(r.Authors)} author records.");
        if (r.SkippedFiles > 0) console.MarkupLine($"{r.SkippedFiles} input(s) were already imported completely and were skipped (use --again to read them anyway).");
        if (r.ResumedFromLine > 0) console.MarkupLine($"Resumed an interrupted import after line {Format.Count(r.ResumedFromLine)}.");
        foreach (var warning in r.Warnings) console.MarkupLine(Markup.Escape($"warning: {warning}"));
        if (r.BadLines > 0)
        {
            console.MarkupLine($"[yellow]{Format.Count(r.BadLines)} of {Format.Count(r.Lines)} line(s) could not be imported[/] (first {r.Problems.Count} shown):");
            foreach (var p in r.Problems) console.MarkupLine(Markup.Escape($"  {p.Source}:{p.Line}: {p.Reason}"));
        }
    }
}
