using Archiver.Search;
using Archiver.Storage;

namespace Archiver.Indexing;

/// <summary>
/// Opens the archive's search index in step with the store: after a crash between a store commit and an
/// index commit (or whenever the store moved on while nothing indexed it), the posts changed after the
/// sequence recorded in the index's last commit are indexed again before anything is searched.
/// </summary>
public static class ArchiveIndex
{
    /// <summary>Posts per index commit during a catch-up or rebuild (bounds the work a crash can lose).</summary>
    private const int CommitEvery = 50_000;

    /// <summary>
    /// The index keeps each post's text and what a hit shows of it (<see cref="HitDetails"/>), so a page of hits is
    /// read from the index alone; documents indexed before it did have their text read from the store.
    /// </summary>
    public static PostIndexOptions Options(ArchiveStore store) => new()
    {
        StoreText = true,
        TextLookup = keys => keys
            .Select(store.GetPost)
            .OfType<StoredPost>()
            .ToDictionary(p => p.Key, p => new HitText(p.Post.Text, p), StringComparer.Ordinal),
    };

    /// <summary>
    /// Opens the index for writing and catches up with the store. Throws <see cref="ArchiverException"/>
    /// when another process holds the index.
    /// </summary>
    public static PostIndex Open(ArchiveStore store, IProgress<IndexProgress>? progress = null, CancellationToken ct = default)
    {
        var index = OpenWriter(store);
        try
        {
            CatchUp(store, index, progress, ct);
            return index;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    /// <summary>Opens the index for writing as it is (no catch-up); <see cref="ArchiverException"/> when another process holds it.</summary>
    public static PostIndex OpenWriter(ArchiveStore store, double? ramBufferMB = null)
    {
        try
        {
            var options = Options(store);
            return PostIndex.Open(store.Paths.Index, ramBufferMB is { } mb ? options with { RamBufferMB = mb } : options);
        }
        catch (IndexBusyException e)
        {
            throw new ArchiverException(e.Message, e);
        }
    }

    /// <summary>
    /// Opens the index for searching. A search is a reader: it writes the index (catching it up with the store)
    /// only when it can take the archive's writer lock, and releases the lock before searching. While another
    /// process writes the archive, it searches what that writer has committed to the index, read-only;
    /// <paramref name="note"/> then says so, and whether the index is behind the store snapshot.
    /// </summary>
    public static PostIndex OpenForSearch(ArchiveStore store, out string? note, CancellationToken ct = default)
    {
        note = null;
        if (!store.ReadOnly) return Open(store, null, ct);
        LockHolder? holder = null;
        ArchiveLock? writer;
        try
        {
            writer = ArchiveLock.TryAcquireWriter(store.Paths.Root, out holder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only copy of an archive: nobody can write it, and neither can we.
            writer = null;
            holder = null;
        }
        if (writer is not null)
        {
            using (writer)
            {
                try
                {
                    using var index = OpenWriter(store);
                    // The snapshot predates the lock: a writer may have finished in between and left the index ahead of
                    // it. Catching "up" to an older snapshot would rebuild the index from it; leave such an index alone.
                    if (index.StoreSequence <= store.Sequence) CatchUp(store, index, null, ct);
                }
                catch (ArchiverException e) when (e.InnerException is IndexBusyException && PostIndex.Exists(store.Paths.Index))
                {
                    // Lucene's own lock is held by something that did not take the archive's (an older archiver).
                    note = "the index is being written by another archiver process: results reflect its last commit.";
                }
            }
        }
        else if (!PostIndex.Exists(store.Paths.Index))
        {
            throw new ArchiverException(holder is null
                ? $"The archive at {store.Paths.Root} has no search index, and it cannot be written here."
                : $"The archive at {store.Paths.Root} has no search index yet, and another process is writing the archive ({holder}). Search again when it has finished, or run `archiver index` then.");
        }
        var reader = OpenReadOnly(store);
        if (writer is null && holder is not null)
        {
            note = reader.StoreSequence < store.Sequence
                ? $"the archive is being written by another process ({holder}); its search index is behind (batch {reader.StoreSequence} of {store.Sequence}), so the newest posts may be missing from these results."
                : $"the archive is being written by another process ({holder}); results reflect what it had committed when this search started.";
        }
        return reader;
    }

    /// <summary>
    /// Opens the index's last commit for reading. A writer in another process may be writing its very first commit
    /// (there is no earlier one to fall back to, as Lucene does for later ones): a short retry covers that. Nothing is
    /// written, not even a catch-up (<c>serve --read-only</c>: the archive on disk stays as it is). Searches see the
    /// newest commit at each search unless <paramref name="pinned"/> (then the one opened, to pair with a store snapshot).
    /// </summary>
    public static PostIndex OpenReadOnly(ArchiveStore store, bool pinned = false)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return PostIndex.OpenReadOnly(store.Paths.Index, Options(store) with { Pinned = pinned });
            }
            catch (IOException) when (attempt < 10)
            {
                Thread.Sleep(100 * attempt);
            }
        }
    }

    /// <summary>Indexes what the store committed after the index's recorded sequence. Returns the posts indexed.</summary>
    /// <param name="asOf">
    /// Where the store's segments stood when the caller started receiving every later batch (an index follower's
    /// subscription): what was committed after it reaches the index through those batches, so a segment that had
    /// nothing new then is not read.
    /// </param>
    public static long CatchUp(ArchiveStore store, PostIndex index, IProgress<IndexProgress>? progress = null, CancellationToken ct = default, PostsMark? asOf = null)
    {
        var target = store.Sequence;
        var from = index.StoreSequence;
        if (target == from) return 0;
        if (from > target)
        {
            // The index is ahead of the store: it was built from another archive (or the store was restored from a backup).
            return Rebuild(store, index, progress, ct);
        }
        // Posts already in the index are replaced by key; into an empty index they can simply be added.
        var upsert = index.DocumentCount > 0;
        var posts = from == 0 ? PipelinedScan.AllPosts(store, ct) : store.ScanPosts(afterSequence: from, asOf);
        return Apply(index, posts, target, checkpoint: from, upsert, total: from == 0 ? store.Counters.Posts : null, progress, ct);
    }

    /// <summary>Drops the index contents and indexes every post of the store again.</summary>
    public static long Rebuild(ArchiveStore store, PostIndex index, IProgress<IndexProgress>? progress = null, CancellationToken ct = default)
    {
        var target = store.Sequence;
        index.DeleteAll();
        // A crash mid-rebuild leaves sequence 0 recorded: the next open re-indexes everything (by key).
        return Apply(index, PipelinedScan.AllPosts(store, ct), target, checkpoint: 0, upsert: false, total: store.Counters.Posts, progress, ct);
    }

    private static long Apply(PostIndex index, IEnumerable<StoredPost> posts, long target, long checkpoint, bool upsert, long? total, IProgress<IndexProgress>? progress, CancellationToken ct)
    {
        long done = 0;
        foreach (var post in posts)
        {
            ct.ThrowIfCancellationRequested();
            var doc = SearchDocuments.From(post);
            if (upsert) index.Upsert(doc);
            else index.Add(doc);
            done++;
            if (done % CommitEvery == 0)
            {
                // Not `target` yet: until the scan ends, a crash must leave the recorded sequence where it started.
                index.Commit(checkpoint);
                progress?.Report(new IndexProgress(done, total));
            }
            else if (done % 1000 == 0)
            {
                progress?.Report(new IndexProgress(done, total));
            }
        }
        index.Commit(target);
        index.Refresh();
        progress?.Report(new IndexProgress(done, total));
        return done;
    }
}

/// <summary>How far a catch-up or rebuild got; <see cref="Total"/> when known.</summary>
public sealed record IndexProgress(long Done, long? Total);
