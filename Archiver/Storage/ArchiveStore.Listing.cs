namespace Archiver.Storage;

/// <summary>For the crawler: which posts of a channel the archive holds, to detect posts gone from a listing.</summary>
public sealed partial class ArchiveStore
{
    private readonly LiveChannelPosts _live = new();

    /// <summary>
    /// Key and native id of every post of a channel not marked deleted whose numeric id (the last segment of
    /// its native id) lies in [<paramref name="fromId"/>, <paramref name="toId"/>]. The first call for a
    /// channel reads it from the store; later calls are answered from memory, which every write keeps current.
    /// </summary>
    /// With <paramref name="byAuthor"/>, <paramref name="channel"/> is an account id and the posts are those the
    /// account wrote (a Mastodon-API account timeline lists its account's statuses, whatever their channel).
    public IReadOnlyList<(string Key, string NativeId)> LivePostsInRange(string platform, string host, string channel, long fromId, long toId, bool byAuthor = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // The writer's lock first, as Write takes it before updating the cache: one lock order, and a first
        // read of a channel cannot interleave with a commit.
        lock (_writeLock)
        {
            return _live.InRange(platform, host, byAuthor ? LiveChannelPosts.AuthorChannel(channel) : channel, fromId, toId,
                () => ReadLivePosts(platform, host, channel, byAuthor));
        }
    }

    private List<(string Key, string NativeId)> ReadLivePosts(string platform, string host, string channel, bool byAuthor)
    {
        var result = new List<(string Key, string NativeId)>();
        foreach (var segment in _segments)
        {
            // A channel the segment has never stored (every first crawl) needs no read and no index.
            if (!byAuthor && segment.ChannelCount(platform, channel) == 0) continue;
            // Built on first use: only re-crawls need it, and it costs every insert something.
            if (!ReadOnly)
            {
                using var gate = WriteGate();
                if (byAuthor) segment.EnsureAuthorIndex();
                else segment.EnsureChannelIndex();
            }
            foreach (var doc in byAuthor ? segment.FindByAuthor(channel) : segment.FindByChannel(channel))
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
