using System.CommandLine;
using System.Diagnostics;
using System.Reflection;
using Archiver.Export;
using Archiver.Export.Formats;
using Archiver.Storage;
using Spectre.Console;

namespace Archiver.Cli;

/// <summary><c>archiver export</c>: a research dataset (JSONL, CSV, Parquet or ID lists) with a manifest and checksums.</summary>
/// <param name="keySource">Gives the export the posts a query matches (the search index), passed in by the composition root.</param>
public sealed class ExportCommand(Func<ArchiveStore, IPostKeySource?> keySource) : ICliCommand
{
    public static string ToolVersion =>
        typeof(ExportCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";

    public Command Build(CommandRunner run)
    {
        var query = new Argument<string[]>("QUERY") { Description = "Search query selecting the posts (needs the search index)", Arity = ArgumentArity.ZeroOrMore };
        var format = new Option<string>("--format", "-f") { Description = "jsonl, csv, parquet or ids", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Export directory to create, or - to stream the posts (jsonl, csv) to stdout", Required = true, HelpName = "PATH" };
        var since = new Option<string?>("--since") { Description = Search.DateSyntax.SinceHelp, HelpName = "DATE" };
        var until = new Option<string?>("--until") { Description = Search.DateSyntax.UntilHelp, HelpName = "DATE" };
        var platform = new Option<string[]>("--platform") { Description = "Only these platforms (repeat or comma-separate)", AllowMultipleArgumentsPerToken = true };
        var channel = new Option<string[]>("--channel") { Description = "Only these channels (repeat or comma-separate)", AllowMultipleArgumentsPerToken = true };
        var fields = new Option<string?>("--fields") { Description = "Post fields to export, comma-separated (record_type and schema_version always come first)" };
        var history = new Option<bool>("--with-history") { Description = "Add earlier versions of edited posts (record_type post_version)" };
        var media = new Option<bool>("--with-media") { Description = "Copy the referenced media files into media/" };
        var pseudonymise = new Option<bool>("--pseudonymise", "--pseudonymize") { Description = "Replace authors, handles, names and @mentions by keyed pseudonyms" };
        var keyFile = new Option<string?>("--key-file") { Description = "Secret key for --pseudonymise (at least 32 bytes)", HelpName = "FILE" };
        var force = new Option<bool>("--force") { Description = "Replace an existing export at --out" };
        var bom = new Option<bool>("--bom") { Description = "CSV: start with a UTF-8 byte order mark (the default for files; Excel needs it)", Hidden = true };
        var noBom = new Option<bool>("--no-bom") { Description = "CSV: no UTF-8 byte order mark (files are written with one, which Excel needs to read UTF-8)" };
        var rawCaptures = new Option<bool>("--raw-captures") { Description = "WARC/WACZ with --pseudonymise: export the raw captures anyway (they cannot be pseudonymised)" };
        var noGuard = new Option<bool>("--no-csv-injection-guard") { Description = "CSV: do not prefix cells starting with = + - @ with an apostrophe" };
        var rowGroup = new Option<int>("--row-group-size") { Description = "Parquet: rows per row group", DefaultValueFactory = _ => 100_000, Hidden = true };
        var command = new Command("export", "Export posts as a research dataset with a manifest and checksums")
        {
            query, format, output, since, until, platform, channel, fields, history, media, pseudonymise, keyFile, force, bom, noBom, noGuard, rawCaptures, rowGroup,
        };
        run.Attach(command, async (context, parse, ct) =>
        {
            var terms = parse.GetValue(query) ?? [];
            var options = new ExportOptions
            {
                Format = parse.GetValue(format)!,
                Out = parse.GetValue(output)!,
                Query = terms.Length == 0 ? null : string.Join(' ', terms),
                Since = parse.GetValue(since),
                Until = parse.GetValue(until),
                Platforms = parse.GetValue(platform) ?? [],
                Channels = parse.GetValue(channel) ?? [],
                Fields = parse.GetValue(fields),
                WithHistory = parse.GetValue(history),
                WithMedia = parse.GetValue(media),
                Pseudonymise = parse.GetValue(pseudonymise),
                KeyFile = parse.GetValue(keyFile),
                Force = parse.GetValue(force),
                Bom = parse.GetValue(bom),
                NoBom = parse.GetValue(noBom),
                NoCsvInjectionGuard = parse.GetValue(noGuard),
                RawCaptures = parse.GetValue(rawCaptures),
                RowGroupSize = parse.GetValue(rowGroup),
            };
            var toStdout = options.ToStdout;
            await using var stdout = toStdout ? OpenStdout(context) : null;
            var request = options.ToRequest(stdout);
            using var store = ArchiveSession.OpenReader(context.DataDir);
            var service = ExportOptions.Service(store, keySource(store), TimeProvider.System);
            var progress = new ExportProgress();
            // Streaming: stdout is the data, so progress and the summary go to stderr.
            var result = toStdout ? await service.RunAsync(request, progress, ct) : await WithProgress(context, progress, () => service.RunAsync(request, progress, ct));
            Report(context, result, toStdout ? context.Error : context.Out);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>An export's progress as the one <see cref="ProgressView"/> shows it: a bar on a terminal, a line every few seconds otherwise.</summary>
    private static Task<ExportResult> WithProgress(CliContext context, ExportProgress progress, Func<Task<ExportResult>> work)
    {
        var clock = Stopwatch.StartNew();
        var view = new ProgressView(context, () =>
        {
            var rate = Format.Rate(progress.Posts / Math.Max(0.001, clock.Elapsed.TotalSeconds));
            return new ProgressSnapshot
            {
                Line = $"{progress.Phase}: {Format.Count(progress.Scan.Scanned)} of {Format.Count(progress.Total)} scanned, {Format.Count(progress.Posts)} exported, {rate} posts/s",
                Bar = (progress.Scan.Scanned, progress.Total, $"{progress.Phase}: {Format.Count(progress.Posts)} exported, {rate} posts/s"),
            };
        }, new ProgressViewOptions { Redraw = TimeSpan.FromMilliseconds(250) });
        return view.RunAsync(work);
    }

    /// <summary>stdout as a byte stream: the process's own, or (in-process callers) a stream into their writer.</summary>
    private static Stream OpenStdout(CliContext context) =>
        ReferenceEquals(context.Out, Console.Out) ? Console.OpenStandardOutput() : new TextWriterStream(context.Out);

    private static void Report(CliContext context, ExportResult result, TextWriter output)
    {
        if (context.Json)
        {
            if (result.Streamed) context.Error.WriteLine(System.Text.Json.JsonSerializer.Serialize(result, CliContext.JsonOptions));
            else context.WriteJson(result);
            return;
        }
        output.WriteLine($"Exported {Format.Count(result.Posts)} posts"
            + (result.EarlierVersions > 0 ? $" (+{Format.Count(result.EarlierVersions)} earlier versions)" : "")
            + (result.Format is "ids" or "warc" or "wacz" || result.Streamed ? "" : $", {Format.Count(result.Authors)} authors, {MediaSummary(result)}")
            + (result.Format is "warc" or "wacz" && result.WithMedia ? $", with the captures of {Format.Count(result.MediaFiles)} media files" : "")
            + $" as {result.Format} to {(result.Streamed ? "stdout" : result.Path)}");
        output.WriteLine($"  {result.Elapsed.TotalSeconds:0.00} s, {Format.Rate(result.PostsPerSecond)} posts/s; {Format.Count(result.Scanned)} posts looked at");
        foreach (var file in result.Files)
            output.WriteLine($"  {file.Path}{(file.Rows is { } rows ? $"  {Format.Count(rows)} rows" : "")}");
        if (!result.Streamed) output.WriteLine($"  {Manifest.PackageFile}, {Manifest.ChecksumFile}  (check with: archiver verify {result.Path})");
        foreach (var warning in result.Warnings.Take(20)) context.Error.WriteLine($"warning: {warning}");
        if (result.Warnings.Count > 20) context.Error.WriteLine($"warning: ... and {result.Warnings.Count - 20} more (see {Manifest.PackageFile})");
    }

    /// <summary>The media table's rows, and how many of their files were copied: the numbers the listed files show.</summary>
    private static string MediaSummary(ExportResult result)
    {
        var records = $"{Format.Count(result.MediaRows)} media {(result.MediaRows == 1 ? "record" : "records")}";
        if (!result.WithMedia) return records + (result.MediaRows > 0 ? " (files not copied; add --with-media)" : "");
        return records + $" ({Format.Count(result.MediaFiles)} {(result.MediaFiles == 1 ? "file" : "files")} copied)";
    }
}
