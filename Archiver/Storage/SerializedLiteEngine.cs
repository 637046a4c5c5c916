using LiteDB;
using LiteDB.Engine;

namespace Archiver.Storage;

/// <summary>
/// A LiteDB engine that lets one thread at a time into it. LiteDB 5.0.21 promises thread safety, but its page cache
/// is not: when it recycles idle pages (<c>MemoryCache.Extend</c>), it can hand a page to the free list in the instant
/// between another thread finding that page in the cache and marking it in use. That thread then reads whatever page
/// is loaded into the buffer next, fails an ENSURE ("page type must be index page", "... data page", "... collection
/// page"), and LiteDB refuses every later call on the file until it is reopened. Concurrent reads alone are enough;
/// serve's searches beside its watcher hit it under load, and the watcher's small caches (which recycle constantly)
/// hit it in a long soak. <c>ConcurrentStoreAccessTests</c> reproduces it in seconds.
/// <para>
/// Every engine call runs under one lock. An explicit transaction (LiteDB binds it to its thread) holds the lock from
/// <see cref="BeginTrans"/> to its commit or rollback, so nothing else touches the cache halfway through a write. A
/// query's reader takes the lock for each step, not for its lifetime: readers interleave between steps as LiteDB
/// intends (each reads its own snapshot version), and an abandoned reader cannot block the file.
/// </para>
/// </summary>
internal sealed class SerializedLiteEngine(ILiteEngine inner) : ILiteEngine
{
    private readonly Lock _gate = new();
    // Whether this thread's explicit transaction holds the gate (LiteDB allows one per thread and engine).
    private readonly ThreadLocal<bool> _holdsTransaction = new();

    /// <summary>The wrapped engine, for the few LiteDB internals reached by reflection; use it only inside <see cref="Exclusive"/>.</summary>
    internal ILiteEngine Inner => inner;

    /// <summary>Runs <paramref name="action"/> with no other thread inside the engine.</summary>
    internal void Exclusive(Action action)
    {
        lock (_gate) action();
    }

    public bool BeginTrans()
    {
        _gate.Enter();
        var began = false;
        try
        {
            began = inner.BeginTrans();
        }
        finally
        {
            if (began) _holdsTransaction.Value = true;
            else _gate.Exit();
        }
        return began;
    }

    public bool Commit()
    {
        bool committed;
        lock (_gate) committed = inner.Commit();
        // A commit that threw leaves the transaction open: the caller's rollback releases it.
        if (committed) EndTransaction();
        return committed;
    }

    public bool Rollback()
    {
        try
        {
            lock (_gate) return inner.Rollback();
        }
        finally
        {
            EndTransaction();
        }
    }

    private void EndTransaction()
    {
        if (!_holdsTransaction.Value) return;
        _holdsTransaction.Value = false;
        _gate.Exit();
    }

    public IBsonDataReader Query(string collection, Query query)
    {
        lock (_gate) return new SerializedReader(inner.Query(collection, query), _gate);
    }

    // LiteDB's full checkpoint waits until every open transaction (a query being read on another thread, too) ends:
    // holding the gate while waiting would keep those readers from ever finishing. LiteDB's exclusive lock guards it.
    public int Checkpoint() => inner.Checkpoint();

    public long Rebuild(RebuildOptions options)
    {
        lock (_gate) return inner.Rebuild(options);
    }

    public int Insert(string collection, IEnumerable<BsonDocument> docs, BsonAutoId autoId)
    {
        lock (_gate) return inner.Insert(collection, docs, autoId);
    }

    public int Update(string collection, IEnumerable<BsonDocument> docs)
    {
        lock (_gate) return inner.Update(collection, docs);
    }

    public int UpdateMany(string collection, BsonExpression transform, BsonExpression predicate)
    {
        lock (_gate) return inner.UpdateMany(collection, transform, predicate);
    }

    public int Upsert(string collection, IEnumerable<BsonDocument> docs, BsonAutoId autoId)
    {
        lock (_gate) return inner.Upsert(collection, docs, autoId);
    }

    public int Delete(string collection, IEnumerable<BsonValue> ids)
    {
        lock (_gate) return inner.Delete(collection, ids);
    }

    public int DeleteMany(string collection, BsonExpression predicate)
    {
        lock (_gate) return inner.DeleteMany(collection, predicate);
    }

    public bool DropCollection(string name)
    {
        lock (_gate) return inner.DropCollection(name);
    }

    public bool RenameCollection(string name, string newName)
    {
        lock (_gate) return inner.RenameCollection(name, newName);
    }

    public bool EnsureIndex(string collection, string name, BsonExpression expression, bool unique)
    {
        lock (_gate) return inner.EnsureIndex(collection, name, expression, unique);
    }

    public bool DropIndex(string collection, string name)
    {
        lock (_gate) return inner.DropIndex(collection, name);
    }

    public BsonValue Pragma(string name)
    {
        lock (_gate) return inner.Pragma(name);
    }

    public bool Pragma(string name, BsonValue value)
    {
        lock (_gate) return inner.Pragma(name, value);
    }

    public void Dispose()
    {
        // A thread that died inside a transaction would hold the gate for ever: close the file anyway after a while.
        var entered = _gate.TryEnter(TimeSpan.FromSeconds(30));
        try
        {
            inner.Dispose();
        }
        finally
        {
            if (entered) _gate.Exit();
            _holdsTransaction.Dispose();
        }
    }

    /// <summary>A query's reader whose every step runs under the engine's lock.</summary>
    private sealed class SerializedReader(IBsonDataReader reader, Lock gate) : IBsonDataReader
    {
        public BsonValue this[string field] => reader[field];
        public string Collection => reader.Collection;
        public BsonValue Current => reader.Current;
        public bool HasValues => reader.HasValues;

        public bool Read()
        {
            lock (gate) return reader.Read();
        }

        public void Dispose()
        {
            lock (gate) reader.Dispose();
        }
    }
}
