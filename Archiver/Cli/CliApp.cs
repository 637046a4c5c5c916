using System.CommandLine;
using Archiver.Platforms;

namespace Archiver.Cli;

/// <summary>The composition root of the command line: the command tree, parse errors mapped to exit code 2.</summary>
public static class CliApp
{
    /// <summary>Every subcommand, in the order `archiver --help` lists them. Register a new command here.</summary>
    private static IEnumerable<ICliCommand> Commands() =>
    [
        new DemoCommand(),
        new StatsCommand(),
        new ShowCommand(),
        new ChannelsCommand(),
        new EventsCommand(),
        new ImportCommand(),
        new SearchCommand(),
        new IndexCommand(),
        new RelabelCommand(),
        new ExportCommand(store => new Indexing.SearchKeySource(store)),
        new VerifyCommand(),
        new CrawlCommand(KnownPlatforms.All()),
        new WatchCommand(KnownPlatforms.All()),
        new ProfileCommand(),
        new ReplicaCommand(),
        new Serve.ServeCommand(KnownPlatforms.All()),
    ];

    public static RootCommand BuildRoot(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("archiver: archive, search and export at-risk social networks.");
        root.Options.Add(GlobalOptions.Data);
        root.Options.Add(GlobalOptions.Json);
        root.Options.Add(GlobalOptions.Quiet);
        var runner = new CommandRunner(stdout, stderr);
        foreach (var command in Commands()) root.Subcommands.Add(command.Build(runner));
        return root;
    }

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct = default) =>
        RunAsync(BuildRoot(stdout, stderr), "Run 'archiver --help' (or 'archiver COMMAND --help') for usage.", args, stdout, stderr, ct);

    /// <summary>Parses and runs a command tree the way <c>archiver</c> does (also the benchmark program's): parse errors exit 2.</summary>
    public static async Task<int> RunAsync(Command root, string usageHint, string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct = default)
    {
        // No response files: `archiver crawl @channel` and `search '@alice'` mean a channel and a mention (README),
        // not "read arguments from the file 'channel'".
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            if (parse.GetResult(GlobalOptions.Json) is not null)
            {
                CliContext.WriteError(stderr, json: true, string.Join(" ", parse.Errors.Select(e => e.Message)), ExitCodes.Usage);
                return ExitCodes.Usage;
            }
            foreach (var error in parse.Errors) await stderr.WriteLineAsync($"error: {error.Message}");
            await stderr.WriteLineAsync(usageHint);
            return ExitCodes.Usage;
        }
        // Ctrl-C/SIGTERM cancel the command's token and the command ends gracefully with its own exit code (a crawl
        // says how to resume, watch run exits 0); a second signal takes the default action and ends the process at
        // once. System.CommandLine's own handler is off: it raced the command, returning 143 for a SIGTERM whenever
        // its timer won, even after a clean stop, and ended slow graceful stops (a crawl's summary) after its timeout.
        var config = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = true,
            ProcessTerminationTimeout = null,
        };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        void Stop(System.Runtime.InteropServices.PosixSignalContext signal)
        {
            if (stop.IsCancellationRequested) return;
            signal.Cancel = true;
            stop.Cancel();
        }
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
        return await parse.InvokeAsync(config, stop.Token);
    }
}
