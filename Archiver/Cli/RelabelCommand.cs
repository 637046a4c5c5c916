using System.CommandLine;
using Archiver.Indexing;
using Archiver.Languages;
using Archiver.Model;
using Archiver.Storage;

namespace Archiver.Cli;

/// <summary><c>archiver relabel [--redetect]</c>: fills in the language of the posts of an existing archive.</summary>
public sealed class RelabelCommand : ICliCommand
{
    public Command Build(CommandRunner run)
    {
        var redetect = new Option<bool>("--redetect") { Description = "Also detect again the languages detected before (after a change of the detector)" };
        var command = new Command("relabel", "Give the archive's posts a language and its source (platform, declared, detected) where they lack one; no new versions") { redetect };
        run.Attach(command, async (context, parse, ct) =>
        {
            var report = await RunAsync(context.DataDir, parse.GetValue(redetect), catchUpIndex: true, ct);
            if (context.Json) context.WriteJson(report);
            else Render(context.Out, report);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Relabels the store, then (optionally) brings the search index up to date with it.</summary>
    internal static async Task<RelabelReport> RunAsync(string dataDir, bool redetect, bool catchUpIndex, CancellationToken ct, ArchiveLock? writerLock = null)
    {
        // Opening for writing would create an empty archive where there is none.
        if (!new ArchivePaths(Path.GetFullPath(dataDir)).Exists)
            throw new ArchiverException($"No archive at {Path.GetFullPath(dataDir)} (no archive.db). Crawl or import something first, or pass --data DIR.");
        // A caller that holds the writer lock passes it: a second lock in the same process would be refused as busy.
        await using var session = writerLock is null ? ArchiveSession.Open(dataDir, ct: ct) : ArchiveSession.Open(writerLock, ct: ct);
        var report = new Relabeler(session.Writer, PostLanguages.Current, redetect).Run(ct: ct);
        await session.CompleteAsync();
        if (catchUpIndex)
        {
            using var index = ArchiveIndex.Open(session.Store, ct: ct);
        }
        return report;
    }

    internal static void Render(TextWriter output, RelabelReport report)
    {
        string Sources(Dictionary<string, long> counts) =>
            string.Join(", ", LanguageSources.All.Select(s => $"{s} {Format.Count(counts.GetValueOrDefault(s))}"));
        var labelled = report.Labelled.Values.Sum();
        output.WriteLine($"relabel: {Format.Count(report.Scanned)} posts scanned; {Format.Count(labelled)} got a language or its source ({Sources(report.Labelled)})"
            + (report.Changed > 0 ? $", {Format.Count(report.Changed)} detected again differently" : ""));
        output.WriteLine($"languages now: {Sources(report.BySource)}, none {Format.Count(report.WithoutLanguage)} (no text, too short or unclear)"
            + (report.Detection ? "" : $"; detection is off ({PostLanguages.DetectionVariable})"));
    }
}
