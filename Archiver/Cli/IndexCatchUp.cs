namespace Archiver.Cli;

/// <summary>After a crawl or import whose index follower could not run: bring the index up to date now, and say how it went.</summary>
internal static class IndexCatchUp
{
    public static void Run(CliContext context, CancellationToken ct)
    {
        var outcome = Indexing.IndexUpdate.Run(context.DataDir, ct);
        if (context.Quiet || context.Json) return;
        if (outcome.StoreSequence is { } sequence) context.Error.WriteLine($"search index up to date (store batch {sequence}).");
        else context.Error.WriteLine($"note: the search index was not updated: another process is writing the archive now ({outcome.BusyWith}).");
    }
}
