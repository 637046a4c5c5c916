using System.CommandLine;
using Archiver.Cli;

namespace Archiver.Benchmarks;

/// <summary><c>Archiver.Benchmarks search</c>: builds the shared corpus into a fresh index and runs the shared queries.</summary>
public static class SearchBenchCommand
{
    public static Command Build(CommandRunner run)
    {
        var corpus = new Option<string>("--corpus") { Description = "Corpus JSONL (python3 ../shared/bench/gen_corpus.py 1000000 /tmp/corpus.jsonl)", Required = true };
        var queries = new Option<string>("--queries") { Description = "Query set", DefaultValueFactory = _ => "/work/shared/bench/queries.txt" };
        var expected = new Option<string>("--expected") { Description = "Expected total hits per query", DefaultValueFactory = _ => "/work/shared/bench/expected-hits.tsv" };
        var dir = new Option<string?>("--dir") { Description = "Index directory (deleted first; default: a temp dir, removed after)" };
        var threads = new Option<int>("--threads") { Description = "Indexing threads sharing one IndexWriter", DefaultValueFactory = _ => 2 };
        var ram = new Option<double>("--ram-mb") { Description = "IndexWriter RAM buffer (MB)", DefaultValueFactory = _ => 64 };
        var storeText = new Option<bool>("--store-text") { Description = "Store the text in the index (snippets without the store)" };
        var reuse = new Option<bool>("--reuse") { Description = "Keep an existing index in --dir (skip the build; for iterating on queries)" };
        var command = new Command("search", "Search index: build posts/s, peak RSS, size; query latency by type; aggregation time")
        {
            corpus, queries, expected, dir, threads, ram, storeText, reuse,
        };
        run.Attach(command, (context, parse, ct) =>
        {
            var file = parse.GetValue(corpus)!;
            if (!File.Exists(file)) throw new UsageException($"No corpus at {file}: generate it with python3 /work/shared/bench/gen_corpus.py 1000000 {file}");
            if (parse.GetValue(threads) is < 1 or > 64) throw new UsageException("--threads must be between 1 and 64.");
            var directory = parse.GetValue(dir) ?? Path.Combine(Path.GetTempPath(), $"archiver-bench-search-{Environment.ProcessId}");
            var settings = new SearchBenchmark.Settings(file, parse.GetValue(queries)!, parse.GetValue(expected)!, directory,
                parse.GetValue(threads), parse.GetValue(storeText), parse.GetValue(ram), parse.GetValue(reuse));
            context.Out.WriteLine($"bench search: {file} -> {directory} ({settings.Threads} threads, RAM buffer {settings.RamBufferMB} MB, "
                + $"text {(settings.StoreText ? "stored" : "not stored")})");
            try
            {
                var report = new SearchBenchmark(settings, context.Out).Run(ct);
                if (context.Json) context.WriteJson(report);
                if (report.Mismatches.Count > 0)
                {
                    foreach (var m in report.Mismatches)
                        context.Error.WriteLine($"MISMATCH {m.Id} {m.Query}: expected {m.Expected:N0}, got {m.Actual:N0}");
                    throw new ArchiverException($"{report.Mismatches.Count} of the queries returned a total hit count different from {settings.Expected}.");
                }
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
