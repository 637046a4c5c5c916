namespace Archiver.Tests.Support;

/// <summary>
/// Tests whose assertion depends on how much CPU a child process gets within a time window (kill rounds): they run
/// after the parallel tests, alone, so the rest of the suite does not starve them on a 2-core machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitive
{
    public const string Name = "timing-sensitive";
}
