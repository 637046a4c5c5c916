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
        run.Attach(command, (context, parse, ct) =>
        {
            var report = Run(context.DataDir, parse.GetValue(redetect), catchUpIndex: true, ct);
            if (context.Json) context.WriteJson(report);
            else Render(context.Out, report);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>Relabels the store, then (optionally) brings the search index up to date with it.</summary>
    internal static RelabelReport Run(string dataDir, bool redetect, bool catchUpIndex, CancellationToken ct, ArchiveLock? writerLock = null)
    {
        // Opening for writing would create an empty archive where there is none.
        if (!new ArchivePaths(Path.GetFullPath(dataDir)).Exists)
            throw new ArchiverException($"No archive at {Path.GetFullPath(dataDir)} (no archive.db). Crawl or import something first, or pass --data DIR.");
        // A caller that holds the writer lock passes it: a second lock in the same process would be refused as busy.
        using var store = writerLock is null ? ArchiveStore.Open(dataDir) : ArchiveStore.Open(writerLock);
        var report = new Relabeler(store, PostLanguages.Current, redetect).Run(ct: ct);
        if (catchUpIndex)
        {
            using var index = ArchiveIndex.Open(store, ct: ct);
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
