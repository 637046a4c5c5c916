using Archiver.Cli;
using Archiver.Storage;

namespace Archiver.Indexing;

/// <summary>After a crawl or an import in its own process: bring the index up to what the store committed.</summary>
public static class IndexUpdate
{
    public static void Run(CliContext context, CancellationToken ct)
    {
        using var store = ArchiveStore.Open(context.DataDir);
        using var index = ArchiveIndex.Open(store, ct: ct);
        if (!context.Quiet && !context.Json) context.Error.WriteLine($"search index up to date (store batch {index.StoreSequence}).");
    }
}
