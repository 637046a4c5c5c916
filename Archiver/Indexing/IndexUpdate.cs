using Archiver.Storage;

namespace Archiver.Indexing;

/// <summary>After a crawl or an import in its own process: bring the index up to what the store committed.</summary>
public static class IndexUpdate
{
    /// <summary>What <see cref="Run"/> did: the index's store batch when it updated it, or the writer that kept it from doing so.</summary>
    public sealed record Outcome(long? StoreSequence, LockHolder? BusyWith);

    public static Outcome Run(string dataDir, CancellationToken ct)
    {
        // The command's own store is closed by now, so another writer may have started in between: it indexes as it
        // goes, and this one has nothing to add.
        using var writer = ArchiveLock.TryAcquireWriter(dataDir, out var holder);
        if (writer is null) return new Outcome(null, holder);
        using var store = ArchiveStore.Open(writer);
        using var index = ArchiveIndex.Open(store, ct: ct);
        return new Outcome(index.StoreSequence, null);
    }
}
