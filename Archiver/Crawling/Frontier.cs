using Archiver.Platforms;
using LiteDB;

namespace Archiver.Crawling;

/// <summary>A request the frontier handed out, with its canonical identity and how often it was tried.</summary>
public sealed record FrontierItem(string Id, CrawlRequest Request, int Attempts);

public enum FrontierState { Pending = 0, Done = 1, Failed = 2, Skipped = 3 }

/// <summary>
/// The durable crawl frontier, in its own LiteDB file (<c>frontier.db</c>): every URL the crawl has seen,
/// by canonical URL, with its state. Pending work is also held in memory, highest priority first. A page
/// is marked done only together with the requests it produced (one transaction), and only after its
/// records were committed to the archive, so a kill -9 at any moment loses nothing: what was in flight
/// is still pending on disk and is fetched again.
///
/// Re-crawls use generations: <c>--recheck</c> starts a new generation (when the last one finished), in
/// which every URL is new again; an unfinished generation is resumed.
/// </summary>
public sealed class Frontier : IDisposable
{
    private readonly LiteDatabase _db;
    private readonly ILiteCollection<BsonDocument> _urls;
    private readonly ILiteCollection<BsonDocument> _meta;
    private readonly ILiteCollection<BsonDocument> _media;
    private readonly ILiteCollection<BsonDocument> _seeds;
    private readonly PriorityQueue<FrontierItem, (int, long)> _pending = new();
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _order;
    private readonly bool _recheckGeneration;

    public int Generation { get; }
    public long DoneCount { get; private set; }
    public long FailedCount { get; private set; }

    private Frontier(LiteDatabase db, bool newGeneration)
    {
        _db = db;
        _urls = db.GetCollection("urls");
        _meta = db.GetCollection("meta");
        _media = db.GetCollection("media");
        _seeds = db.GetCollection("seeds");
        var meta = _meta.FindById("frontier");
        var generation = meta is null ? 1 : meta["gen"].AsInt32;
        var finished = meta is not null && meta["finished"].AsBoolean;
        var recheck = meta is not null && meta.TryGetValue("recheck", out var r) && r.AsBoolean;
        // --recheck resumes only a re-check that was interrupted. A generation a plain crawl left unfinished (a page
        // limit, Ctrl-C) holds pages fetched before the changes a re-check looks for: resuming it would not fetch a
        // seed again, and a takedown would be seen only by the re-check after.
        if (newGeneration && meta is not null && (finished || !recheck))
        {
            generation++;
            finished = false;
        }
        if (newGeneration) recheck = true;
        _recheckGeneration = recheck;
        Generation = generation;
        _meta.Upsert(MetaDocument(finished));
        foreach (var doc in _urls.Find(LiteDB.Query.EQ("g", generation)))
        {
            var id = doc["_id"].AsString;
            _known.Add(id);
            switch ((FrontierState)doc["s"].AsInt32)
            {
                case FrontierState.Pending:
                    Enqueue(new FrontierItem(id, FromBson(doc), doc["a"].AsInt32));
                    break;
                case FrontierState.Done or FrontierState.Skipped:
                    DoneCount++;
                    break;
                case FrontierState.Failed:
                    FailedCount++;
                    break;
            }
        }
    }

    public static Frontier Open(string path, bool newGeneration)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        LiteDatabase db;
        try
        {
            db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct, Collation = new Collation("en-US/Ordinal") });
        }
        catch (IOException e)
        {
            throw new ArchiverException($"The crawl frontier {path} is in use: another 'archiver crawl' is running on this archive.", e);
        }
        try
        {
            db.GetCollection("urls").EnsureIndex("g", "$.g");
            return new Frontier(db, newGeneration);
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    public int PendingCount
    {
        get
        {
            lock (_lock) return _pending.Count;
        }
    }

    /// <summary>True when the current generation has nothing pending on disk (the crawl ran to its end).</summary>
    public bool IsFinished => _meta.FindById("frontier")?["finished"].AsBoolean == true;

    public bool TryTake(out FrontierItem item)
    {
        lock (_lock) return _pending.TryDequeue(out item!, out _);
    }

    /// <summary>Adds requests not yet seen in this generation, durably, in one transaction. Returns how many were new.</summary>
    public int Add(IEnumerable<CrawlRequest> requests) => Commit([], requests);

    /// <summary>
    /// Adds the seeds' start requests. A start request that failed or was skipped in this generation (refused
    /// without --allow-private, host down, robots), or whose seed's last outcome was a failure (not found), is
    /// queued again: a refusal is not "done", and the user who re-runs the crawl (having fixed the cause) means
    /// to crawl it.
    /// </summary>
    public int AddSeeds(IReadOnlyList<CrawlRequest> requests)
    {
        var revived = new List<FrontierItem>();
        _db.BeginTrans();
        try
        {
            foreach (var request in requests)
            {
                var id = UrlCanonicalizer.Canonicalize(request.Url);
                if (_urls.FindById(id) is not { } doc || doc["g"].AsInt32 != Generation) continue;
                var state = (FrontierState)doc["s"].AsInt32;
                var seedFailed = request.SeedOriginal is { } seed && _seeds.FindById(seed) is { } memo && memo.TryGetValue("failed", out var f) && f.AsBoolean;
                if (state is not (FrontierState.Failed or FrontierState.Skipped) && !(state == FrontierState.Done && seedFailed)) continue;
                _urls.Upsert(ToBson(id, request, FrontierState.Pending, attempts: 0, error: null));
                revived.Add(new FrontierItem(id, request, 0));
                if (state == FrontierState.Failed) FailedCount--;
                else if (state is FrontierState.Done or FrontierState.Skipped) DoneCount--;
            }
            if (revived.Count > 0) _meta.Upsert(new BsonDocument { ["_id"] = "frontier", ["gen"] = Generation, ["finished"] = false });
            _db.Commit();
        }
        catch
        {
            _db.Rollback();
            throw;
        }
        lock (_lock)
        {
            foreach (var item in revived) Enqueue(item);
        }
        return revived.Count + Add(requests);
    }

    /// <summary>Whether a run archived pages of this seed (in any generation).</summary>
    public bool WasArchived(string seed) => _seeds.FindById(seed) is { } memo && memo["archived"].AsBoolean;

    /// <summary>Remembers, per seed, whether it was ever archived and whether its last outcome was a failure.</summary>
    public void RememberOutcomes(IEnumerable<SeedOutcome> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            var archived = WasArchived(outcome.Seed) || (outcome.Outcome == SeedOutcomeKind.Archived && outcome.Pages > 0);
            _seeds.Upsert(new BsonDocument { ["_id"] = outcome.Seed, ["archived"] = archived, ["failed"] = outcome.Failed });
        }
    }

    /// <summary>The seeds that still have requests queued.</summary>
    public HashSet<string> PendingSeeds()
    {
        lock (_lock) return _pending.UnorderedItems.Select(i => i.Element.Request.SeedOriginal).OfType<string>().ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Records finished pages and the requests they produced, atomically. Items marked for retry go back
    /// to the queue with one attempt more.
    /// </summary>
    public int Commit(IReadOnlyList<FrontierOutcome> outcomes, IEnumerable<CrawlRequest> discovered)
    {
        var fresh = new List<FrontierItem>();
        _db.BeginTrans();
        try
        {
            foreach (var request in discovered)
            {
                var id = UrlCanonicalizer.Canonicalize(request.Url);
                lock (_lock)
                {
                    if (!_known.Add(id)) continue;
                }
                _urls.Upsert(ToBson(id, request, FrontierState.Pending, attempts: 0, error: null));
                fresh.Add(new FrontierItem(id, request, 0));
            }
            if (fresh.Count > 0) _meta.Upsert(MetaDocument(finished: false));
            var retries = new List<FrontierItem>();
            foreach (var outcome in outcomes)
            {
                var attempts = outcome.Item.Attempts + (outcome.State == FrontierState.Pending ? 1 : 0);
                _urls.Upsert(ToBson(outcome.Item.Id, outcome.Item.Request, outcome.State, attempts, outcome.Error));
                if (outcome.State == FrontierState.Pending) retries.Add(outcome.Item with { Attempts = attempts });
            }
            _db.Commit();
            lock (_lock)
            {
                foreach (var item in fresh) Enqueue(item);
                // A retry goes behind other work of its priority, so a failing host does not monopolise the crawl.
                foreach (var item in retries) Enqueue(item with { Request = item.Request with { Priority = item.Request.Priority - 1 } });
            }
            foreach (var outcome in outcomes)
            {
                if (outcome.State is FrontierState.Done or FrontierState.Skipped) DoneCount++;
                else if (outcome.State == FrontierState.Failed) FailedCount++;
            }
            return fresh.Count;
        }
        catch
        {
            _db.Rollback();
            throw;
        }
    }

    public void MarkFinished(bool finished) => _meta.Upsert(MetaDocument(finished));

    private BsonDocument MetaDocument(bool finished) =>
        new() { ["_id"] = "frontier", ["gen"] = Generation, ["finished"] = finished, ["recheck"] = _recheckGeneration };

    /// <summary>The SHA-256 a media URL was stored under in an earlier fetch, if any.</summary>
    public string? MediaSha(string url) => _media.FindById(url)?["sha"].AsString;

    public void RememberMedia(string url, string sha) => _media.Upsert(new BsonDocument { ["_id"] = url, ["sha"] = sha });

    /// <summary>Every URL of the current generation with its state (for tests and reports).</summary>
    public IReadOnlyList<(string Id, FrontierState State, string? Error)> Snapshot() =>
        _urls.Find(LiteDB.Query.EQ("g", Generation))
            .Select(d => (d["_id"].AsString, (FrontierState)d["s"].AsInt32, d.TryGetValue("err", out var e) && e.IsString ? e.AsString : null))
            .ToList();

    private void Enqueue(FrontierItem item) => _pending.Enqueue(item, (-item.Request.Priority, _order++));

    private BsonDocument ToBson(string id, CrawlRequest r, FrontierState state, int attempts, string? error)
    {
        var context = new BsonArray();
        foreach (var (k, v) in r.Context) context.Add(new BsonArray { k, v });
        var doc = new BsonDocument
        {
            ["_id"] = id,
            ["u"] = r.Url.AbsoluteUri,
            ["pl"] = r.Platform,
            ["pu"] = r.Purpose,
            ["p"] = r.Priority,
            ["d"] = r.Depth,
            ["nb"] = r.NeedsBrowser,
            ["ctx"] = context,
            ["s"] = (int)state,
            ["a"] = attempts,
            ["g"] = Generation,
        };
        if (r.SeedOriginal is not null) doc["sd"] = r.SeedOriginal;
        if (error is not null) doc["err"] = error;
        return doc;
    }

    private static CrawlRequest FromBson(BsonDocument doc) => new()
    {
        Url = new Uri(doc["u"].AsString),
        Platform = doc["pl"].AsString,
        Purpose = doc["pu"].AsString,
        Priority = doc["p"].AsInt32,
        Depth = doc["d"].AsInt32,
        NeedsBrowser = doc["nb"].AsBoolean,
        SeedOriginal = doc.TryGetValue("sd", out var s) && s.IsString ? s.AsString : null,
        Context = doc["ctx"].AsArray.ToDictionary(p => p.AsArray[0].AsString, p => p.AsArray[1].AsString),
    };

    public void Dispose() => _db.Dispose();
}

/// <summary>What became of a page: done, failed for good, skipped (robots, scope), or pending again (retry).</summary>
public sealed record FrontierOutcome(FrontierItem Item, FrontierState State, string? Error = null);
