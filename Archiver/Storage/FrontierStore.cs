using LiteDB;

namespace Archiver.Storage;

public enum FrontierState { Pending = 0, Done = 1, Failed = 2, Skipped = 3 }

/// <summary>A request as the frontier file holds it: plain values, so the store knows nothing of the crawler.</summary>
public sealed record FrontierRequestRow(
    string Url, string Platform, string Purpose, int Priority, int Depth, bool NeedsBrowser, string? SeedOriginal,
    IReadOnlyDictionary<string, string> Context);

/// <summary>One URL of a generation: its canonical id, the request, its state, how often it was tried, why it failed.</summary>
public sealed record FrontierRow(string Id, FrontierRequestRow Request, FrontierState State, int Attempts, string? Error);

/// <summary>
/// The LiteDB file behind the crawl frontier (<c>frontier.db</c>): every URL of every generation with its state,
/// the generation's meta (number, finished, started by --recheck), what each seed's last outcome was, and the
/// SHA-256 each media URL was stored under. The scheduling (priorities, what is known, what is pending) is the
/// crawler's; this type only reads and writes the file, each batch of rows in one transaction.
///
/// Re-crawls use generations: <c>--recheck</c> starts a new generation (when the last one finished), in
/// which every URL is new again; an unfinished generation is resumed.
/// </summary>
public sealed class FrontierStore : IDisposable
{
    private readonly LiteDatabase _db;
    private readonly ILiteCollection<BsonDocument> _urls;
    private readonly ILiteCollection<BsonDocument> _meta;
    private readonly ILiteCollection<BsonDocument> _media;
    private readonly ILiteCollection<BsonDocument> _seeds;
    private readonly bool _recheckGeneration;

    public int Generation { get; }

    private FrontierStore(LiteDatabase db, bool newGeneration)
    {
        _db = db;
        LiteFiles.CreateCollections(db, "urls", "meta", "media", "seeds");
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
    }

    public static FrontierStore Open(string path, bool newGeneration)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        LiteDatabase db;
        try
        {
            db = LiteFiles.Database(new LiteDB.Engine.EngineSettings { Filename = path, Collation = LiteFiles.OrdinalCollation });
        }
        catch (IOException e)
        {
            throw new ArchiverException($"The crawl frontier {path} is in use: another 'archiver crawl' is running on this archive.", e);
        }
        try
        {
            db.GetCollection("urls").EnsureIndex("g", "$.g");
            return new FrontierStore(db, newGeneration);
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>Every URL of the current generation.</summary>
    public IEnumerable<FrontierRow> CurrentGeneration() => _urls.Find(LiteDB.Query.EQ("g", Generation)).Select(FromBson);

    /// <summary>The URL's row in the current generation, if it has one.</summary>
    public FrontierRow? Find(string id) => _urls.FindById(id) is { } doc && doc["g"].AsInt32 == Generation ? FromBson(doc) : null;

    /// <summary>Writes rows of the current generation in one transaction; <paramref name="unfinished"/> also marks the generation as having work again.</summary>
    public void Write(IReadOnlyCollection<FrontierRow> rows, bool unfinished)
    {
        _db.BeginTrans();
        try
        {
            foreach (var row in rows) _urls.Upsert(ToBson(row));
            if (unfinished) _meta.Upsert(MetaDocument(finished: false));
            _db.Commit();
        }
        catch
        {
            _db.Rollback();
            throw;
        }
    }

    /// <summary>True when the current generation has nothing pending on disk (the crawl ran to its end).</summary>
    public bool IsFinished => _meta.FindById("frontier")?["finished"].AsBoolean == true;

    public void MarkFinished(bool finished) => _meta.Upsert(MetaDocument(finished));

    /// <summary>Whether a run archived pages of this seed (in any generation).</summary>
    public bool WasArchived(string seed) => _seeds.FindById(seed) is { } memo && memo["archived"].AsBoolean;

    /// <summary>Whether the seed's last outcome was a failure.</summary>
    public bool LastFailed(string seed) => _seeds.FindById(seed) is { } memo && memo.TryGetValue("failed", out var f) && f.AsBoolean;

    public void RememberSeed(string seed, bool archived, bool failed) =>
        _seeds.Upsert(new BsonDocument { ["_id"] = seed, ["archived"] = archived, ["failed"] = failed });

    /// <summary>The SHA-256 a media URL was stored under in an earlier fetch, if any.</summary>
    public string? MediaSha(string url) => _media.FindById(url)?["sha"].AsString;

    public void RememberMedia(string url, string sha) => _media.Upsert(new BsonDocument { ["_id"] = url, ["sha"] = sha });

    private BsonDocument MetaDocument(bool finished) =>
        new() { ["_id"] = "frontier", ["gen"] = Generation, ["finished"] = finished, ["recheck"] = _recheckGeneration };

    private BsonDocument ToBson(FrontierRow row)
    {
        var r = row.Request;
        var context = new BsonArray();
        foreach (var (k, v) in r.Context) context.Add(new BsonArray { k, v });
        var doc = new BsonDocument
        {
            ["_id"] = row.Id,
            ["u"] = r.Url,
            ["pl"] = r.Platform,
            ["pu"] = r.Purpose,
            ["p"] = r.Priority,
            ["d"] = r.Depth,
            ["nb"] = r.NeedsBrowser,
            ["ctx"] = context,
            ["s"] = (int)row.State,
            ["a"] = row.Attempts,
            ["g"] = Generation,
        };
        if (r.SeedOriginal is not null) doc["sd"] = r.SeedOriginal;
        if (row.Error is not null) doc["err"] = row.Error;
        return doc;
    }

    private static FrontierRow FromBson(BsonDocument doc) => new(
        doc["_id"].AsString,
        new FrontierRequestRow(
            doc["u"].AsString,
            doc["pl"].AsString,
            doc["pu"].AsString,
            doc["p"].AsInt32,
            doc["d"].AsInt32,
            doc["nb"].AsBoolean,
            doc.TryGetValue("sd", out var s) && s.IsString ? s.AsString : null,
            doc["ctx"].AsArray.ToDictionary(p => p.AsArray[0].AsString, p => p.AsArray[1].AsString)),
        (FrontierState)doc["s"].AsInt32,
        doc["a"].AsInt32,
        doc.TryGetValue("err", out var e) && e.IsString ? e.AsString : null);

    public void Dispose() => _db.Dispose();
}
