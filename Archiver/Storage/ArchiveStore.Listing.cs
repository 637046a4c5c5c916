using LiteDB;

namespace Archiver.Storage;

/// <summary>Added for the crawler: which posts of a channel the archive holds, to detect posts gone from a listing.</summary>
public sealed partial class ArchiveStore
{
    private bool _channelIndexEnsured;

    /// <summary>Key and native id of every post of a channel not yet marked deleted. Call from the writer's thread.</summary>
    public IReadOnlyList<(string Key, string NativeId)> LivePostsInChannel(string platform, string host, string channel)
    {
        if (!_channelIndexEnsured && !ReadOnly)
        {
            lock (_writeLock) _posts.EnsureIndex("channel", "$.channel");
            _channelIndexEnsured = true;
        }
        return _posts.Find(LiteDB.Query.EQ("channel", channel))
            .Where(doc => !doc.ContainsKey("del")
                && string.Equals(doc["platform"].AsString, platform, StringComparison.OrdinalIgnoreCase)
                && string.Equals(doc["host"].AsString, host, StringComparison.OrdinalIgnoreCase))
            .Select(doc => (doc["_id"].AsString, doc["nid"].AsString))
            .ToList();
    }
}
