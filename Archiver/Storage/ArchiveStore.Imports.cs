using LiteDB;

namespace Archiver.Storage;

/// <summary>How far an import of one input got, so an interrupted import continues where it stopped.</summary>
public sealed record ImportCheckpoint(string Id, string Source, long LinesDone, bool Finished, DateTime UpdatedAt);

public sealed partial class ArchiveStore
{
    private ILiteCollection<BsonDocument> Imports => _db.GetCollection("imports");

    public ImportCheckpoint? GetImportCheckpoint(string id)
    {
        var doc = Imports.FindById(id);
        return doc is null
            ? null
            : new ImportCheckpoint(id, doc["source"].AsString, doc["lines"].AsInt64, doc["finished"].AsBoolean, BsonMapping.Date(doc, "at") ?? default);
    }

    /// <summary>Saved after the batch holding these lines committed; a crash in between only re-reads that batch.</summary>
    public void SaveImportCheckpoint(ImportCheckpoint checkpoint)
    {
        lock (_writeLock)
            using (WriteGate())
            {
                Imports.Upsert(new BsonDocument
                {
                    ["_id"] = checkpoint.Id,
                    ["source"] = checkpoint.Source,
                    ["lines"] = checkpoint.LinesDone,
                    ["finished"] = checkpoint.Finished,
                    ["at"] = checkpoint.UpdatedAt,
                });
            }
    }
}
