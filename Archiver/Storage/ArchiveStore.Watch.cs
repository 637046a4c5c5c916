using Archiver.Model;
using LiteDB;

namespace Archiver.Storage;

public sealed partial class ArchiveStore
{
    internal const string WatchCollection = "watch";

    /// <summary>Every watch entry, oldest first.</summary>
    public IReadOnlyList<WatchEntry> WatchEntries() =>
        _db.GetCollection(WatchCollection).FindAll().Select(ToWatch).OrderBy(w => w.CreatedAt).ThenBy(w => w.Id, StringComparer.Ordinal).ToList();

    public WatchEntry? GetWatch(string id) => _db.GetCollection(WatchCollection).FindById(id) is { } doc ? ToWatch(doc) : null;

    /// <summary>The watch part of a batch, inside the main file's transaction: entries written whole, removals by id.</summary>
    private void WriteWatch(StoreBatch batch)
    {
        if (batch.Watch.Count == 0 && batch.WatchRemovals.Count == 0) return;
        var watch = _db.GetCollection(WatchCollection);
        foreach (var entry in batch.Watch) watch.Upsert(FromWatch(entry));
        foreach (var id in batch.WatchRemovals) watch.Delete(id);
    }

    private static BsonDocument FromWatch(WatchEntry w)
    {
        var doc = new BsonDocument
        {
            ["_id"] = w.Id,
            ["seed"] = w.Seed,
            ["platform"] = w.Platform,
            ["min"] = (long)w.MinInterval.TotalSeconds,
            ["max"] = (long)w.MaxInterval.TotalSeconds,
            ["interval"] = (long)w.Interval.TotalSeconds,
            ["paused"] = w.Paused,
            ["status"] = w.Status.ToString(),
            ["checks"] = w.Checks,
            ["failures"] = w.ConsecutiveFailures,
            ["goneChecks"] = w.GoneChecks,
            ["posts"] = w.Posts,
            ["lastNew"] = w.LastNew,
            ["lastEdited"] = w.LastEdited,
            ["lastDeleted"] = w.LastDeleted,
            ["totalNew"] = w.TotalNew,
            ["totalEdited"] = w.TotalEdited,
            ["totalDeleted"] = w.TotalDeleted,
        };
        BsonMapping.Set(doc, "tag", w.Tag);
        BsonMapping.Set(doc, "createdAt", w.CreatedAt);
        BsonMapping.Set(doc, "next", w.NextCheckAt);
        BsonMapping.Set(doc, "lastAt", w.LastCheckAt);
        BsonMapping.Set(doc, "baselineAt", w.BaselineAt);
        BsonMapping.Set(doc, "lastOutcome", w.LastOutcome);
        BsonMapping.Set(doc, "lastError", w.LastError);
        return doc;
    }

    private static WatchEntry ToWatch(BsonDocument doc) => new()
    {
        Id = doc["_id"].AsString,
        Seed = doc["seed"].AsString,
        Platform = BsonMapping.Str(doc, "platform") ?? "",
        Tag = BsonMapping.Str(doc, "tag"),
        MinInterval = TimeSpan.FromSeconds(BsonMapping.Long(doc, "min") ?? 3600),
        MaxInterval = TimeSpan.FromSeconds(BsonMapping.Long(doc, "max") ?? 86400),
        Interval = TimeSpan.FromSeconds(BsonMapping.Long(doc, "interval") ?? 3600),
        Paused = doc.TryGetValue("paused", out var p) && p.IsBoolean && p.AsBoolean,
        CreatedAt = BsonMapping.Date(doc, "createdAt") ?? default,
        Status = Enum.TryParse<WatchStatus>(BsonMapping.Str(doc, "status"), out var s) ? s : WatchStatus.New,
        NextCheckAt = BsonMapping.Date(doc, "next") ?? default,
        LastCheckAt = BsonMapping.Date(doc, "lastAt"),
        BaselineAt = BsonMapping.Date(doc, "baselineAt"),
        LastOutcome = BsonMapping.Str(doc, "lastOutcome"),
        LastError = BsonMapping.Str(doc, "lastError"),
        Checks = BsonMapping.Int(doc, "checks") ?? 0,
        ConsecutiveFailures = BsonMapping.Int(doc, "failures") ?? 0,
        GoneChecks = BsonMapping.Int(doc, "goneChecks") ?? 0,
        Posts = BsonMapping.Long(doc, "posts") ?? 0,
        LastNew = BsonMapping.Long(doc, "lastNew") ?? 0,
        LastEdited = BsonMapping.Long(doc, "lastEdited") ?? 0,
        LastDeleted = BsonMapping.Long(doc, "lastDeleted") ?? 0,
        TotalNew = BsonMapping.Long(doc, "totalNew") ?? 0,
        TotalEdited = BsonMapping.Long(doc, "totalEdited") ?? 0,
        TotalDeleted = BsonMapping.Long(doc, "totalDeleted") ?? 0,
    };
}
