using System.CommandLine;
using Archiver.Cli;

namespace Archiver.Benchmarks;

/// <summary>The benchmarks whose figures the issues ask for (<see cref="BenchApp"/> runs them). Build with -c Release.</summary>
public sealed class BenchCommand : ICliCommand
{
    public Command Build(CommandRunner run)
    {
        // The benchmark program's root (it was `archiver bench`); BenchApp adds the global options.
        var command = new RootCommand("Run a benchmark and print its figures (use a Release build)");
        command.Subcommands.Add(Store(run));
        command.Subcommands.Add(SearchBenchCommand.Build(run));
        command.Subcommands.Add(ExportBenchCommand.Build(run));
        command.Subcommands.Add(ParseBenchmark.Command(run));
        command.Subcommands.Add(ProfileBenchCommand.Build(run));
        command.Subcommands.Add(ReplicaBenchmark.Command(run));
        command.Subcommands.Add(CrawlBenchmark.Command(run));
        command.Subcommands.Add(ImportBenchmark.Command(run));
        command.Subcommands.Add(CrawlReplicaBenchmark.Command(run));
        command.Subcommands.Add(LanguageBenchmark.Command(run));
        command.Subcommands.Add(WatchBenchmark.Command(run));
        command.Subcommands.Add(ServeBenchmark.Command(run));
        return command;
    }

    private static Command Store(CommandRunner run)
    {
        var posts = new Option<int>("--posts") { Description = "Number of posts", DefaultValueFactory = _ => 1_000_000 };
        var batch = new Option<int>("--batch") { Description = "Posts per store batch (split over the segments, one transaction each)", DefaultValueFactory = _ => 10_000 };
        var dir = new Option<string?>("--dir") { Description = "Scratch directory (deleted first; default: a temp dir)" };
        var baseline = new Option<bool>("--baseline") { Description = "Also time bare LiteDB inserts of the same documents, for comparison" };
        var recordEvents = new Option<bool>("--record-events") { Description = "Store with StoreBatch.RecordEvents (an event per new post and per edit), to measure what recording costs" };
        var command = new Command("store", "Archive store: insert, re-store unchanged, store edited, get by id, full scan") { posts, batch, dir, baseline, recordEvents };
        run.Attach(command, (context, parse, _) =>
        {
            var n = parse.GetValue(posts);
            if (n <= 0) throw new UsageException("--posts must be positive.");
            var directory = parse.GetValue(dir) ?? Path.Combine(Path.GetTempPath(), $"archiver-bench-store-{Environment.ProcessId}");
            context.Out.WriteLine($"bench store: {n:N0} posts, {parse.GetValue(batch):N0} per batch{(parse.GetValue(recordEvents) ? ", recording events" : "")}, in {directory}");
            try
            {
                var benchmark = new StoreBenchmark(directory, n, parse.GetValue(batch), context.Out, parse.GetValue(recordEvents));
                if (parse.GetValue(baseline)) benchmark.Baseline();
                var report = benchmark.Run();
                context.Out.WriteLine($"  get by id            p50 {report.GetP50Micros:0.0} µs, p99 {report.GetP99Micros:0.0} µs");
                context.Out.WriteLine($"  file {Format.Bytes(report.FileBytes)}, peak RSS {Format.Bytes(report.PeakRssBytes)}");
                if (context.Json) context.WriteJson(report);
            }
            finally
            {
                if (parse.GetValue(dir) is null && Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            }
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}
