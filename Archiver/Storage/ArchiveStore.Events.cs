using Archiver.Model;
using LiteDB;

namespace Archiver.Storage;

public sealed partial class ArchiveStore
{
    /// <summary>
    /// The events committed after <paramref name="afterSequence"/>, oldest first (commit sequence, then observation
    /// time, then id). Events about posts live in the segment holding the post, events about accounts and stated
    /// ones in the main file (docs/events.md); they are merged here. Only events of committed batches are listed:
    /// a segment may hold events of a batch whose main-file commit a kill -9 interrupted, and those appear with
    /// the commit that finally takes that sequence number, never before.
    /// </summary>
    public IReadOnlyList<ArchiveEvent> ReadEvents(long afterSequence = 0)
    {
        var committed = Sequence;
        var list = new List<ArchiveEvent>();
        var docs = (afterSequence <= 0 ? _events.FindAll() : _events.Find(Query.GT("seq", afterSequence)))
            .Concat(_segments.SelectMany(s => s.Events(afterSequence)));
        foreach (var doc in docs)
        {
            var seq = doc["seq"].AsInt64;
            if (seq <= afterSequence || seq > committed) continue;
            list.Add(StoreEvents.FromBson(doc));
        }
        list.Sort(StoreEvents.Compare);
        return list;
    }
}
