using System.CommandLine;

namespace Archiver.Cli;

/// <summary>
/// Runs a command body with a <see cref="CliContext"/> and turns failures into an exit code and one
/// clear line on stderr (one JSON object under <c>--json</c>): usage problems exit 2, runtime failures 1,
/// Ctrl-C 130. Never a stack trace unless ARCHIVER_DEBUG is set.
/// </summary>
public sealed class CommandRunner(TextWriter stdout, TextWriter stderr)
{
    public void Attach(Command command, Func<CliContext, ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction((parse, ct) => RunAsync(parse, body, ct));

    private async Task<int> RunAsync(ParseResult parse, Func<CliContext, ParseResult, CancellationToken, Task<int>> body, CancellationToken ct)
    {
        var json = parse.GetValue(GlobalOptions.Json);
        var debug = Environment.GetEnvironmentVariable("ARCHIVER_DEBUG") is not null;
        try
        {
            var context = CliContext.From(parse, stdout, stderr);
            return await body(context, parse, ct);
        }
        catch (UsageException e)
        {
            CliContext.WriteError(stderr, json, e.Message, ExitCodes.Usage);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            CliContext.WriteError(stderr, json, "interrupted.", ExitCodes.Interrupted);
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (e is ArchiverException or IOException)
        {
            CliContext.WriteError(stderr, json, e.Message, ExitCodes.Failure, debug ? e.ToString() : null);
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug, not a user error: one line, and the details on request.
            CliContext.WriteError(stderr, json, $"internal error: {e.GetType().Name}: {e.Message}", ExitCodes.Failure,
                debug ? e.ToString() : "Set ARCHIVER_DEBUG=1 for details, and please report it with the command you ran.");
            return ExitCodes.Failure;
        }
    }
}
