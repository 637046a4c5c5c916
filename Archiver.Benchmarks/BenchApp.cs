using System.CommandLine;
using Archiver.Cli;

namespace Archiver.Benchmarks;

/// <summary>
/// The benchmark program's command tree: every benchmark as a subcommand (what <c>archiver bench NAME</c> was),
/// with the archiver's global options, and the hidden <c>debug write-loop</c> the tests start as a second process.
/// Run it from a Release build: <c>dotnet run -c Release --project Archiver.Benchmarks -- NAME</c>.
/// </summary>
public static class BenchApp
{
    public static Command BuildRoot(TextWriter stdout, TextWriter stderr)
    {
        var runner = new CommandRunner(stdout, stderr);
        var root = new BenchCommand().Build(runner);
        root.Options.Add(GlobalOptions.Data);
        root.Options.Add(GlobalOptions.Json);
        root.Options.Add(GlobalOptions.Quiet);
        root.Subcommands.Add(new DebugCommand().Build(runner));
        return root;
    }

    /// <summary>Parses and runs as <c>archiver</c> does: parse errors exit 2, the same invocation settings.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct = default) =>
        CliApp.RunAsync(BuildRoot(stdout, stderr), "Run with --help (or 'NAME --help') for usage.", args, stdout, stderr, ct);
}
