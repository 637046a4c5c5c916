using System.CommandLine;
using System.Diagnostics;
using Archiver.Cli;
using Archiver.Import;
using Archiver.Indexing;
using Archiver.Storage;

namespace Archiver.Benchmarks;

/// <summary>
/// <c>Archiver.Benchmarks import</c>: imports the shared corpus (or WARC files) into a scratch archive with the
/// search index following the store, as <c>archiver import</c> does, and prints the end-to-end rate (store
/// and index complete and committed), CPU seconds, busy time per stage and peak RSS; then checks that the
/// index holds exactly the store's posts.
/// </summary>
public static class ImportBenchmark
{
    public static Command Command(CommandRunner run)
    {
        var corpus = new Option<string?>("--corpus") { Description = "The shared JSONL corpus (../shared/bench/gen_corpus.py)", DefaultValueFactory = _ => "/tmp/corpus.jsonl" };
        var posts = new Option<int?>("--posts") { Description = "Import only the first N lines of the corpus" };
        var warc = new Option<string[]>("--warc") { Description = "Import these WARC files instead of the corpus (pages/s of platform pages)", AllowMultipleArgumentsPerToken = true };
        var noIndex = new Option<bool>("--no-index") { Description = "Store only (the index deferred), for comparison" };
        var dir = new Option<string?>("--dir") { Description = "Scratch archive directory (deleted first; default: a temp dir)" };
        var command = new Command("import", "Import: corpus or WARC into store + index pipelined, end to end") { corpus, posts, warc, noIndex, dir };
        run.Attach(command, async (context, parse, ct) =>
        {
            var directory = parse.GetValue(dir) ?? Path.Combine(Path.GetTempPath(), $"archiver-bench-import-{Environment.ProcessId}");
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            Directory.CreateDirectory(directory);
            try
            {
                var warcs = parse.GetValue(warc) ?? [];
                var input = warcs.Length > 0 ? null : Input(parse.GetValue(corpus), parse.GetValue(posts), directory);
                var archive = Path.Combine(directory, "archive");
                var index = !parse.GetValue(noIndex);
                context.Out.WriteLine(warcs.Length > 0
                    ? $"bench import: {warcs.Length} WARC file(s) into {archive}, index {(index ? "following the store" : "off")}"
                    : $"bench import: {input} into {archive}, index {(index ? "following the store" : "off")}");
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                Languages.PostLanguages.Preload();
                // The production write path: one session (store, index follower, single writer), as `archiver import` opens it.
                var session = ArchiveSession.Open(archive, new ArchiveSessionOptions
                {
                    Follower = index ? (s, c) => IndexFollower.Open(s, IndexFollowerOptions.Bulk, c) : null,
                }, ct);
                var store = session.Store;
                var follower = (IndexFollower?)session.Follower;
                string stages;
                long units;
                string unit;
                try
                {
                    if (warcs.Length > 0)
                    {
                        var import = new WarcImport(session.Writer, Platforms.KnownPlatforms.Registry(), TimeProvider.System);
                        var report = import.Import(warcs, again: false, ct);
                        units = report.Routed;
                        unit = "pages";
                        stages = $"store {import.StoreTime.TotalSeconds:0.00} s (parse runs on the thread pool beside it)";
                        context.Out.WriteLine($"  {report.Records:N0} records, {report.Routed:N0} platform pages, {report.Posts:N0} posts ({report.Inserted:N0} new), {report.ProblemCount:N0} problems");
                    }
                    else
                    {
                        var service = new ImportService(session.Writer, TimeProvider.System);
                        var report = await service.ImportAsync([input!], ImportFormat.Auto, again: false, ct);
                        units = report.Lines;
                        unit = "posts";
                        var t = service.StageTimes;
                        stages = $"read {t.Read.TotalSeconds:0.00} s, parse {t.Parse.TotalSeconds:0.00} s (summed over workers), store {t.Store.TotalSeconds:0.00} s, store waiting for the index {t.IndexWait.TotalSeconds:0.00} s";
                        context.Out.WriteLine($"  {report.Lines:N0} lines, {report.Inserted:N0} new posts, {report.BadLines:N0} bad lines");
                    }
                    await session.CompleteAsync();
                    // Closed here, as before the session: the end-to-end time includes closing the index, and the check below opens it.
                    if (follower is not null) await follower.DisposeAsync();
                }
                catch
                {
                    await session.DisposeAsync();
                    throw;
                }
                var wall = watch.Elapsed.TotalSeconds;
                var cpuUsed = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                var target = unit == "pages" ? "(target >= 300 t.me/s pages/s)" : "(target >= 25,000 posts/s)";
                context.Out.WriteLine($"  end to end {wall:0.00} s = {units / wall,10:N0} {unit}/s {(index ? "stored and indexed" : "stored only")}   {target}");
                context.Out.WriteLine($"  CPU {cpuUsed:0.00} s = {cpuUsed / wall:0.00} cores busy (of {Environment.ProcessorCount})");
                context.Out.WriteLine($"  stages: {stages}");
                context.Out.WriteLine($"  {ProcessStats.Collections()}");
                if (follower is not null)
                {
                    context.Out.WriteLine($"  index: busy {follower.Busy.TotalSeconds:0.00} s on its thread, catch-up at open {follower.CatchUpTime.TotalSeconds:0.00} s; {follower.Added:N0} posts added from the batches, {follower.Reread:N0} re-read");
                    using var check = ArchiveIndex.OpenWriter(store);
                    var indexed = check.DocumentCount;
                    var stored = store.Counters.Posts;
                    context.Out.WriteLine($"  check: index {indexed:N0} posts, store {stored:N0}, index at store batch {check.StoreSequence} of {store.Sequence}: {(indexed == stored && check.StoreSequence == store.Sequence ? "complete" : "INCOMPLETE")}");
                }
                context.Out.WriteLine($"  peak RSS {Format.Bytes(ProcessStats.PeakRssBytes())}{(unit == "pages" ? "" : "   (target <= 1 GB)")}");
                await session.DisposeAsync();
            }
            finally
            {
                if (parse.GetValue(dir) is null && Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The corpus itself, or a copy of its first <paramref name="posts"/> lines in the scratch directory.</summary>
    private static string Input(string? corpus, int? posts, string directory)
    {
        if (corpus is null || !File.Exists(corpus)) throw new UsageException($"Corpus not found: {corpus} (generate it with ../shared/bench/gen_corpus.py 1000000 /tmp/corpus.jsonl).");
        if (posts is not { } n) return corpus;
        if (n <= 0) throw new UsageException("--posts must be positive.");
        var copy = Path.Combine(directory, "corpus-head.jsonl");
        File.WriteAllLines(copy, File.ReadLines(corpus).Take(n));
        return copy;
    }
}
