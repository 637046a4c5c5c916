using Archiver.Search;
using Archiver.Storage;
using Microsoft.AspNetCore.Http;

namespace Archiver.Serve;

/// <summary>The archive one request reads: a store and the search index over it.</summary>
public sealed record ServeView(ArchiveStore Store, PostIndex Index);

/// <summary>
/// Where the server's endpoints get the archive they read. Writing, that is always the session's store and live
/// index (<see cref="Fixed"/>: no counting, nothing to swap). Read-only (<see cref="Following"/>), it is a snapshot of the
/// store with the index's commit, which <see cref="Replace"/> swaps for a newer one while requests run: a request keeps
/// the view it started with until its response is complete, and a view is disposed when its last reader is done.
/// </summary>
public sealed class ServeViews : IDisposable
{
    private static readonly object RequestKey = new();
    private readonly ServeView? _fixed;
    private Held? _current;

    private ServeViews(ServeView? fixedView, Held? current, ArchivePaths paths)
    {
        _fixed = fixedView;
        _current = current;
        Paths = paths;
    }

    /// <summary>The session's store and index, for the server's whole life (owned by the session, not disposed here).</summary>
    public static ServeViews Fixed(ArchiveStore store, PostIndex index) => new(new ServeView(store, index), null, store.Paths);

    /// <summary>A first view that later ones replace; each is owned (disposed) here.</summary>
    public static ServeViews Following(ServeView first) => new(null, new Held(first), first.Store.Paths);

    /// <summary>The archive's folders: the same for every view.</summary>
    public ArchivePaths Paths { get; }

    /// <summary>The view of this request: the same for all its reads, held until its response is complete.</summary>
    public ServeView For(HttpContext context)
    {
        if (_fixed is not null) return _fixed;
        if (context.Items.TryGetValue(RequestKey, out var held)) return ((Lease)held!).View;
        var lease = Acquire();
        context.Items[RequestKey] = lease;
        // After the response is sent (also when it failed or the client went away): a view is never disposed under a body being written.
        context.Response.RegisterForDispose(lease);
        return lease.View;
    }

    /// <summary>A hold on the current view for work that outlives a request (an export, a WACZ for replay): dispose it when done.</summary>
    public Lease Acquire()
    {
        if (_fixed is not null) return new Lease(_fixed, null);
        while (true)
        {
            var held = Volatile.Read(ref _current) ?? throw new ObjectDisposedException(nameof(ServeViews));
            // Fails only for a view replaced and released meanwhile: the current one is newer.
            if (held.TryAddReader()) return new Lease(held.View, held);
        }
    }

    /// <summary>Makes <paramref name="next"/> the view of new requests; the previous one goes when its last reader is done.</summary>
    public void Replace(ServeView next)
    {
        if (_fixed is not null) throw new InvalidOperationException("The writing server's view is the session's.");
        var previous = Interlocked.Exchange(ref _current, new Held(next));
        if (previous is null)
        {
            // Disposed meanwhile: nobody will ask for it.
            Interlocked.Exchange(ref _current, null)?.Release();
            throw new ObjectDisposedException(nameof(ServeViews));
        }
        previous.Release();
    }

    public void Dispose() => Interlocked.Exchange(ref _current, null)?.Release();

    /// <summary>A reader's hold on a view (nothing to release for the writing server's).</summary>
    public sealed class Lease : IDisposable
    {
        private Held? _held;

        internal Lease(ServeView view, Held? held)
        {
            View = view;
            _held = held;
        }

        public ServeView View { get; }

        public ArchiveStore Store => View.Store;

        public PostIndex Index => View.Index;

        public void Dispose() => Interlocked.Exchange(ref _held, null)?.Release();
    }

    /// <summary>A view with a count of its readers, one of them this provider while it is current.</summary>
    internal sealed class Held(ServeView view)
    {
        private int _readers = 1;

        public ServeView View { get; } = view;

        public bool TryAddReader()
        {
            var readers = Volatile.Read(ref _readers);
            while (readers > 0)
            {
                var seen = Interlocked.CompareExchange(ref _readers, readers + 1, readers);
                if (seen == readers) return true;
                readers = seen;
            }
            return false;
        }

        public void Release()
        {
            if (Interlocked.Decrement(ref _readers) != 0) return;
            // Reverse of opening: the index reads the store's posts for its snippets.
            View.Index.Dispose();
            View.Store.Dispose();
        }
    }
}
