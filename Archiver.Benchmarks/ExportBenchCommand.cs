using System.CommandLine;
using Archiver.Cli;

namespace Archiver.Benchmarks;

/// <summary><c>export --posts N [--dir DIR]</c>: export speed and memory (build with -c Release).</summary>
public static class ExportBenchCommand
{
    public static Command Build(CommandRunner run)
    {
        var posts = new Option<int>("--posts") { Description = "Number of posts", DefaultValueFactory = _ => 1_000_000 };
        var dir = new Option<string?>("--dir") { Description = "Archive to fill, or to reuse when it already holds --posts posts (default: a temp dir, deleted after)" };
        var command = new Command("export", "Export N posts as JSONL, CSV and Parquet (and with a 10% filter); posts/s and peak RSS each") { posts, dir };
        run.Attach(command, async (context, parse, ct) =>
        {
            var n = parse.GetValue(posts);
            if (n <= 0) throw new UsageException("--posts must be positive.");
            var directory = parse.GetValue(dir) ?? Path.Combine(Path.GetTempPath(), $"archiver-bench-export-{Environment.ProcessId}");
            context.Out.WriteLine($"bench export: {n:N0} posts in {directory}");
            try
            {
                var report = await new ExportBenchmark(directory, n, context.Out).RunAsync(ct);
                if (context.Json) context.WriteJson(report);
            }
            finally
            {
                if (parse.GetValue(dir) is null && Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
