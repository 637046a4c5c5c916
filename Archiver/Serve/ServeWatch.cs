using Archiver.Model;
using Archiver.Platforms;
using Archiver.Storage;
using Archiver.Watching;

namespace Archiver.Serve;

/// <summary>How serve runs: with the watcher, with the list but no watcher (<c>--no-watch</c>), or read-only (<c>--read-only</c>).</summary>
public enum ServeMode { Watching, NoWatch, ReadOnly }

/// <summary>Refused: the archive is served read-only (403 on the API, a page saying so).</summary>
public sealed class ServeReadOnlyException() : ArchiverException(
    "This archive is served read-only (archiver serve --read-only): the watch list cannot be changed here. Ask whoever runs the archive's watcher.");

/// <summary>
/// The web app's access to the watch list. With the watcher running, the list is the watcher's own (what it holds is
/// what it stored) and changes go through <see cref="Watcher.EditAsync"/>, so they take effect at once and never
/// race a check's save. Without it (<c>--no-watch</c>) changes are written through the session's writer, one at a
/// time, for the next <c>watch run</c>. Read-only, the list is the current snapshot's and changes are refused.
/// </summary>
public sealed class ServeWatch
{
    private readonly ArchiveStore? _store;
    private readonly ServeViews? _views;
    private readonly ArchiveSession? _session;
    private readonly Watcher? _watcher;
    private readonly SemaphoreSlim _edits = new(1, 1);

    private ServeWatch(ServeMode mode, ArchiveStore? store, ServeViews? views, ArchiveSession? session, Watcher? watcher, PlatformRegistry registry)
    {
        Mode = mode;
        _store = store;
        _views = views;
        _session = session;
        _watcher = watcher;
        Registry = registry;
    }

    public static ServeWatch Running(ArchiveSession session, Watcher watcher, PlatformRegistry registry) => new(ServeMode.Watching, session.Store, null, session, watcher, registry);

    public static ServeWatch NotRunning(ArchiveSession session, PlatformRegistry registry) => new(ServeMode.NoWatch, session.Store, null, session, null, registry);

    /// <summary>Read-only: the list of the snapshot the server shows now (<see cref="ServeViews"/>: refreshed as the writer commits).</summary>
    public static ServeWatch ReadOnly(ServeViews views, PlatformRegistry registry) => new(ServeMode.ReadOnly, null, views, null, null, registry);

    public ServeMode Mode { get; }

    public PlatformRegistry Registry { get; }

    /// <summary>
    /// The watch list as stored, oldest entry first: what <c>watch list</c> reads (the watcher's own copy holds its times
    /// to the tick, the store to the millisecond; every change is stored before the watcher takes it).
    /// </summary>
    public IReadOnlyList<WatchEntry> Entries()
    {
        if (_store is not null) return _store.WatchEntries();
        using var view = _views!.Acquire();
        return view.Store.WatchEntries();
    }

    /// <summary>Now on the watcher's clock (new entries are due at once by it).</summary>
    private DateTime Now() => (_watcher?.Scheduler.Time ?? TimeProvider.System).GetUtcNow().UtcDateTime;

    /// <summary>Adds seeds (as <c>watch add</c>: same checks, same messages); the seeds already watched are in <see cref="WatchEdit.Already"/>.</summary>
    public Task<WatchEdit> AddAsync(IEnumerable<string> seeds, string? every, string? tag, CancellationToken ct)
    {
        RefuseIfReadOnly();
        var interval = string.IsNullOrWhiteSpace(every) ? WatchInterval.Default : WatchInterval.Parse(every.Trim());
        var parsed = WatchListEdit.ParseSeeds(Registry, seeds);
        if (parsed.Count == 0) throw new UsageException("Give at least one seed: telegram:NAME, mastodon:@user@host, a platform URL, PLATFORM:URL.");
        var now = Now();
        return EditAsync(entries => WatchListEdit.Add(entries, parsed, interval, tag, now), ct);
    }

    public Task<WatchEdit> SetPausedAsync(string target, bool paused, CancellationToken ct)
    {
        RefuseIfReadOnly();
        return EditAsync(entries => WatchListEdit.SetPaused(entries, [target], paused), ct);
    }

    public Task<WatchEdit> RemoveAsync(string target, CancellationToken ct)
    {
        RefuseIfReadOnly();
        return EditAsync(entries => WatchListEdit.Remove(entries, [target]), ct);
    }

    private void RefuseIfReadOnly()
    {
        if (Mode == ServeMode.ReadOnly) throw new ServeReadOnlyException();
    }

    private async Task<WatchEdit> EditAsync(Func<IReadOnlyList<WatchEntry>, WatchEdit> plan, CancellationToken ct)
    {
        if (_watcher is not null) return await _watcher.EditAsync(plan, ct);
        // No watcher: the stored list, changed one edit at a time (two browsers adding at once get distinct ids).
        await _edits.WaitAsync(ct);
        try
        {
            var edit = plan(_store!.WatchEntries());
            if (edit.IsEmpty) return edit;
            await _session!.Writer.WriteAsync(WatchListEdit.Batch(edit), ct);
            WatchListEdit.DeleteFrontiers(_session.Paths, edit.Removed);
            return edit;
        }
        finally
        {
            _edits.Release();
        }
    }
}
