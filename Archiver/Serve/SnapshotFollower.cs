using System.Globalization;
using System.Text;
using Archiver.Indexing;
using Archiver.Search;
using Archiver.Storage;
using Archiver.Watching;

namespace Archiver.Serve;

/// <summary>
/// <c>serve --read-only</c>'s view of an archive another process may be writing: a snapshot of the store with the
/// index's last commit, reopened when the writer has committed more. Nothing is written and no writer lock is taken;
/// a snapshot holds the writer's commit gate only while its files are opened, as every reader's does.
/// </summary>
internal static class SnapshotFollower
{
    /// <summary>How often the archive's files are looked at when <c>--refresh</c> is not given.</summary>
    public static readonly TimeSpan DefaultRefresh = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Opens the index's last commit and a snapshot of the store at least as new, so every post a search finds is in
    /// the store (the index records the store batch it reflects, never one the store had not committed).
    /// </summary>
    public static ServeView Open(string dataDir)
    {
        // The store is opened first (the index reads its posts for snippets); a writer committing the index in between
        // can put it ahead, which a second try almost always avoids. Ahead is still served: the store lacks only the
        // newest hits' posts, which a search lists without details and a post page does not find.
        for (var attempt = 1; ; attempt++)
        {
            var store = ArchiveSession.OpenReader(dataDir);
            PostIndex? index = null;
            try
            {
                if (!PostIndex.Exists(store.Paths.Index))
                    throw new ArchiverException($"The archive at {store.Paths.Root} has no search index, and --read-only writes nothing: run 'archiver index' (or serve without --read-only once) first.");
                index = ArchiveIndex.OpenReadOnly(store, pinned: true);
                if (index.StoreSequence <= store.Sequence || attempt == 3) return new ServeView(store, index);
            }
            catch
            {
                index?.Dispose();
                store.Dispose();
                throw;
            }
            index.Dispose();
            store.Dispose();
        }
    }

    /// <summary>
    /// Every <paramref name="every"/>, reopens the view when the archive's files changed and the store or the index
    /// moved on, and prints the batches it now serves. Runs until cancelled.
    /// </summary>
    public static async Task FollowAsync(ServeViews views, string seen, string dataDir, TimeSpan every, TextWriter output, TextWriter error, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                string mark;
                ServeView next;
                try
                {
                    // Taken before opening: a commit while the view opens changes the files again, and is picked up next time.
                    mark = Mark(views.Paths);
                    if (mark == seen) continue;
                    next = Open(dataDir);
                }
                catch (Exception e) when (e is ArchiverException or IOException or UnauthorizedAccessException or LiteDB.LiteException)
                {
                    await error.WriteLineAsync($"serve: the archive could not be reopened ({e.Message}); still serving the previous view, trying again in {WatchInterval.Format(every)}.");
                    continue;
                }
                seen = mark;
                using (var current = views.Acquire())
                {
                    if (next.Store.Sequence == current.Store.Sequence && next.Index.StoreSequence == current.Index.StoreSequence)
                    {
                        // Files rewritten without a new batch (a log folded, index segments merged): nothing new to show.
                        next.Index.Dispose();
                        next.Store.Dispose();
                        continue;
                    }
                }
                views.Replace(next);
                await output.WriteLineAsync($"refreshed: archive batch {next.Store.Sequence}, search index batch {next.Index.StoreSequence}{(Behind(next) is { } note ? $" ({note})" : "")}");
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Said when the index has not caught up with the store (its writer commits it every few seconds).</summary>
    public static string? Behind(ServeView view) => view.Index.StoreSequence < view.Store.Sequence
        ? $"the search index is behind the archive (batch {view.Index.StoreSequence} of {view.Store.Sequence}): the newest posts are shown but not found by search"
        : null;

    /// <summary>
    /// What a commit changes, read without opening anything: the size and time of the store's files (every batch ends
    /// in <c>archive.db</c>'s log) and the index's commit points (<c>segments_N</c>).
    /// </summary>
    public static string Mark(ArchivePaths paths)
    {
        var mark = new StringBuilder();
        foreach (var file in Files(paths.Root, "*.db").Concat(Files(paths.Index, "segments*")))
        {
            var info = new FileInfo(file);
            if (info.Exists) mark.Append(CultureInfo.InvariantCulture, $"{info.Name} {info.Length} {info.LastWriteTimeUtc.Ticks}\n");
        }
        return mark.ToString();
    }

    private static IEnumerable<string> Files(string folder, string pattern) =>
        Directory.Exists(folder) ? Directory.EnumerateFiles(folder, pattern).Order(StringComparer.Ordinal) : [];
}
