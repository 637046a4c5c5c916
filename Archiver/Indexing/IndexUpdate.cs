using Archiver.Cli;
using Archiver.Storage;

namespace Archiver.Indexing;

/// <summary>After a crawl or an import in its own process: bring the index up to what the store committed.</summary>
public static class IndexUpdate
{
    public static void Run(CliContext context, CancellationToken ct)
    {
        // The command's own store is closed by now, so another writer may have started in between: it indexes as it
        // goes, and this one has nothing to add.
        using var writer = ArchiveLock.TryAcquireWriter(context.DataDir, out var holder);
        if (writer is null)
        {
            if (!context.Quiet && !context.Json) context.Error.WriteLine($"note: the search index was not updated: another process is writing the archive now ({holder}).");
            return;
        }
        using var store = ArchiveStore.Open(writer);
        using var index = ArchiveIndex.Open(store, ct: ct);
        if (!context.Quiet && !context.Json) context.Error.WriteLine($"search index up to date (store batch {index.StoreSequence}).");
    }
}
