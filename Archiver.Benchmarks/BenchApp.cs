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

    /// <summary>Parses and runs as <c>CliApp.RunAsync</c> does: parse errors exit 2, the same invocation settings.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct = default)
    {
        var root = BuildRoot(stdout, stderr);
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            if (parse.GetResult(GlobalOptions.Json) is not null)
            {
                CliContext.WriteError(stderr, json: true, string.Join(" ", parse.Errors.Select(e => e.Message)), ExitCodes.Usage);
                return ExitCodes.Usage;
            }
            foreach (var error in parse.Errors) await stderr.WriteLineAsync($"error: {error.Message}");
            await stderr.WriteLineAsync("Run with --help (or 'NAME --help') for usage.");
            return ExitCodes.Usage;
        }
        var config = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = true,
            ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
        };
        return await parse.InvokeAsync(config, ct);
    }
}
