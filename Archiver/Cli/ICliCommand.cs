using System.CommandLine;

namespace Archiver.Cli;

/// <summary>One subcommand: declares its options and runs one service. No business logic here.</summary>
public interface ICliCommand
{
    Command Build(CommandRunner run);
}

/// <summary>Wraps a command body: builds the context, maps exceptions to exit codes and clear messages.</summary>
public delegate Command CommandFactory(CommandRunner run);
