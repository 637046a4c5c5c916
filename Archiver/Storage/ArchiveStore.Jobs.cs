using Archiver.Model;
using LiteDB;

namespace Archiver.Storage;

public sealed partial class ArchiveStore
{
    public void SaveJob(CrawlJob job)
    {
        lock (_writeLock)
            using (WriteGate())
            {
                var doc = new BsonDocument
                {
                    ["_id"] = job.Id,
                    ["seeds"] = new BsonArray(job.Seeds.Select(s => new BsonValue(s))),
                    ["startedAt"] = job.StartedAt,
                    ["state"] = job.State.ToString(),
                    ["pages"] = job.Pages,
                    ["posts"] = job.Posts,
                    ["media"] = job.Media,
                    ["errors"] = job.Errors,
                };
                BsonMapping.Set(doc, "finishedAt", job.FinishedAt);
                _jobs.Upsert(doc);
            }
    }

    public CrawlJob? LastJob() =>
        _jobs.FindAll()
            .Select(ToJob)
            .OrderByDescending(j => j.StartedAt)
            .FirstOrDefault();

    public CrawlJob? GetJob(string id)
    {
        var doc = _jobs.FindById(id);
        return doc is null ? null : ToJob(doc);
    }

    private static CrawlJob ToJob(BsonDocument doc) => new()
    {
        Id = doc["_id"].AsString,
        Seeds = doc["seeds"].AsArray.Select(s => s.AsString).ToList(),
        StartedAt = BsonMapping.Date(doc, "startedAt") ?? default,
        FinishedAt = BsonMapping.Date(doc, "finishedAt"),
        State = Enum.TryParse<CrawlJobState>(BsonMapping.Str(doc, "state"), out var s) ? s : CrawlJobState.Interrupted,
        Pages = BsonMapping.Long(doc, "pages") ?? 0,
        Posts = BsonMapping.Long(doc, "posts") ?? 0,
        Media = BsonMapping.Long(doc, "media") ?? 0,
        Errors = BsonMapping.Long(doc, "errors") ?? 0,
    };
}
