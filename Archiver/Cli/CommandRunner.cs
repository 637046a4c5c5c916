using System.CommandLine;

namespace Archiver.Cli;

/// <summary>
/// Runs a command body with a <see cref="CliContext"/> and turns failures into an exit code and one
/// clear line on stderr: usage problems exit 2, runtime failures 1, Ctrl-C 130. Never a stack trace
/// unless ARCHIVER_DEBUG is set.
/// </summary>
public sealed class CommandRunner(TextWriter stdout, TextWriter stderr)
{
    public void Attach(Command command, Func<CliContext, ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction((parse, ct) => RunAsync(parse, body, ct));

    private async Task<int> RunAsync(ParseResult parse, Func<CliContext, ParseResult, CancellationToken, Task<int>> body, CancellationToken ct)
    {
        try
        {
            var context = CliContext.From(parse, stdout, stderr);
            return await body(context, parse, ct);
        }
        catch (UsageException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("interrupted.");
            return ExitCodes.Interrupted;
        }
        catch (ArchiverException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            if (Environment.GetEnvironmentVariable("ARCHIVER_DEBUG") is not null) await stderr.WriteLineAsync(e.ToString());
            return ExitCodes.Failure;
        }
        catch (IOException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            if (Environment.GetEnvironmentVariable("ARCHIVER_DEBUG") is not null) await stderr.WriteLineAsync(e.ToString());
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug, not a user error: one line, and the details on request.
            await stderr.WriteLineAsync($"internal error: {e.GetType().Name}: {e.Message}");
            await stderr.WriteLineAsync(Environment.GetEnvironmentVariable("ARCHIVER_DEBUG") is not null
                ? e.ToString()
                : "Set ARCHIVER_DEBUG=1 for details, and please report it with the command you ran.");
            return ExitCodes.Failure;
        }
    }
}
