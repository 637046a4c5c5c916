using System.CommandLine;

namespace Archiver.Cli;

/// <summary><c>archiver demo</c>: the main job on the built-in offline replica network.</summary>
public sealed class DemoCommand : ICliCommand
{
    public Command Build(CommandRunner run)
    {
        var output = new Option<string?>("--out") { Description = "Demo archive directory (default: DATA/demo, recreated on every run)", HelpName = "DIR" };
        var command = new Command("demo", "Archive, search and export an offline replica network on 127.0.0.1 (no internet needed)") { output };
        run.Attach(command, (context, parse, ct) =>
        {
            var directory = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine(context.DataDir, "demo"));
            return new DemoRunner(context, directory).RunAsync(ct);
        });
        return command;
    }
}
