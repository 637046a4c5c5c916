using System.CommandLine;
using Archiver.Indexing;
using Archiver.Storage;
using Spectre.Console;

namespace Archiver.Cli;

/// <summary><c>archiver index [--rebuild]</c>: brings the search index up to date with the store, or rebuilds it.</summary>
public sealed class IndexCommand : ICliCommand
{
    public sealed record Summary(bool Rebuilt, long Indexed, int Documents, long StoreSequence, long SizeBytes, double Seconds)
    {
        /// <summary>--rebuild first gives posts without a language one (as <c>archiver relabel</c> does).</summary>
        public Languages.RelabelReport? Relabel { get; init; }
    }

    public Command Build(CommandRunner run)
    {
        var rebuild = new Option<bool>("--rebuild") { Description = "Drop the index and index every post of the store again (after filling in missing languages, as relabel does)" };
        var command = new Command("index", "Update the search index from the store (catch up), or --rebuild it") { rebuild };
        run.Attach(command, async (context, parse, ct) =>
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            // Writing the index is writing the archive: one writer at a time (a crawl or import indexes as it goes).
            using var writer = ArchiveLock.AcquireWriter(context.DataDir);
            var full = parse.GetValue(rebuild);
            var relabel = full ? await RelabelCommand.RunAsync(context.DataDir, redetect: false, catchUpIndex: false, ct, writer) : null;
            using var store = ArchiveSession.OpenReader(context.DataDir);
            long indexed = 0;
            using var index = WithProgress(context, full ? "rebuilding the index" : "catching up", full ? store.Counters.Posts : null, progress =>
            {
                var opened = ArchiveIndex.OpenWriter(store);
                try
                {
                    indexed = full ? ArchiveIndex.Rebuild(store, opened, progress, ct) : ArchiveIndex.CatchUp(store, opened, progress, ct);
                    return opened;
                }
                catch
                {
                    opened.Dispose();
                    throw;
                }
            });
            var summary = new Summary(full, indexed, index.DocumentCount, index.StoreSequence, index.SizeOnDisk(), watch.Elapsed.TotalSeconds) { Relabel = relabel };
            if (context.Json) context.WriteJson(summary);
            else
            {
                context.Out.WriteLine($"{(full ? "rebuilt" : "up to date")}: {Format.Count(indexed)} posts indexed in {summary.Seconds:0.0} s; "
                    + $"the index holds {Format.Count(summary.Documents)} posts at store sequence {summary.StoreSequence}, {Format.Bytes(summary.SizeBytes)}");
                if (relabel is not null) RelabelCommand.Render(context.Out, relabel);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static T WithProgress<T>(CliContext context, string label, long? total, Func<CountingProgress, T> body)
    {
        if (!context.ShowProgress) return body(new CountingProgress(null));
        return context.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(label, maxValue: Math.Max(total ?? 1, 1));
                if (total is null) task.IsIndeterminate = true;
                var result = body(new CountingProgress(p =>
                {
                    if (p.Total is { } t) task.MaxValue = Math.Max(t, 1);
                    task.Value = p.Total is null ? 0 : p.Done;
                    task.Description = $"{label}: {Format.Count(p.Done)} posts";
                }));
                task.IsIndeterminate = false;
                task.Value = task.MaxValue;
                return result;
            });
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class CountingProgress(Action<IndexProgress>? report) : IProgress<IndexProgress>
    {
        public void Report(IndexProgress value) => report?.Invoke(value);
    }
}
