using System.CommandLine;

namespace Archiver.Cli;

/// <summary>One subcommand: declares its options and runs one service. No business logic here.</summary>
public interface ICliCommand
{
    Command Build(CommandRunner run);
}
