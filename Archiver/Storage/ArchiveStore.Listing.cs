namespace Archiver.Storage;

/// <summary>Added for the crawler: which posts of a channel the archive holds, to detect posts gone from a listing.</summary>
public sealed partial class ArchiveStore
{
    /// <summary>Key and native id of every post of a channel not yet marked deleted. Call from the writer's thread.</summary>
    public IReadOnlyList<(string Key, string NativeId)> LivePostsInChannel(string platform, string host, string channel)
    {
        var result = new List<(string Key, string NativeId)>();
        foreach (var segment in _segments)
        {
            if (!ReadOnly)
            {
                // Built on first use: only re-crawls need it, and it costs every insert something.
                lock (_writeLock) segment.EnsureChannelIndex();
            }
            foreach (var doc in segment.FindByChannel(channel))
            {
                if (!doc.ContainsKey("del")
                    && string.Equals(doc["platform"].AsString, platform, StringComparison.OrdinalIgnoreCase)
                    && string.Equals(doc["host"].AsString, host, StringComparison.OrdinalIgnoreCase))
                    result.Add((doc["_id"].AsString, doc["nid"].AsString));
            }
        }
        return result;
    }
}
