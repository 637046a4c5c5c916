using Archiver.Model;
using LiteDB;

namespace Archiver.Storage;

public sealed partial class ArchiveStore
{
    public StoreCounters Counters => StoreCounters.Combine(_mainCounters, _segments.Select(s => s.Counters));

    public StoredPost? GetPost(string key)
    {
        var doc = SegmentOf(key).FindById(key);
        return doc is null ? null : ToStoredPost(doc);
    }

    public StoredPost? FindPostByUrl(string url)
    {
        foreach (var segment in _segments)
        {
            var doc = segment.FindByUrl(url);
            if (doc is not null) return ToStoredPost(doc);
        }
        return null;
    }

    /// <summary>Earlier versions of a post, oldest first (the current one is <see cref="GetPost"/>).</summary>
    public IReadOnlyList<PostVersion> GetVersions(string key) =>
        SegmentOf(key).Versions(key)
            .Select(doc => new PostVersion
            {
                Key = key,
                Version = doc["ver"].AsInt32,
                Post = BsonMapping.ToPost(doc["post"].AsDocument),
                ContentHash = doc["hash"].AsString,
                FirstSeen = BsonMapping.Date(doc, "fs") ?? default,
                ReplacedAt = BsonMapping.Date(doc, "replacedAt") ?? default,
                Capture = doc.TryGetValue("cap", out var cap) ? BsonMapping.ToCapture(cap) : null,
                FromPlatformHistory = BsonMapping.Str(doc, "src") == PostSegment.HistorySource,
            })
            // The platform's history entries (version 0) predate what the archive observed; among them, by when written.
            .OrderBy(v => v.Version)
            .ThenBy(v => v.FirstSeen)
            .ToList();

    /// <summary>When a post was last seen unchanged (from the sightings log); null if only seen once.</summary>
    public DateTime? LastSightingOf(string key)
    {
        DateTime? last = null;
        foreach (var doc in _sightings.Find(LiteDB.Query.All(LiteDB.Query.Descending)))
        {
            if (doc["keys"].AsArray.Any(k => k.AsString == key))
            {
                last = BsonMapping.Date(doc, "at");
                break;
            }
        }
        return last;
    }

    /// <summary>
    /// Every post, streamed segment by segment (key order within a segment). Optionally only those
    /// changed after a sequence number (what the search index has not seen yet): a segment that committed nothing
    /// after it, as of <paramref name="asOf"/> (default: now), is not read at all. Batches without posts (a watch
    /// added, a check's schedule) move the archive's sequence, and each used to make the next index catch-up read
    /// every post of the archive to find none (serve after 'watch add': at 1M posts, still reading through bench serve's 30 s of wrk).
    /// </summary>
    public IEnumerable<StoredPost> ScanPosts(long afterSequence = 0, PostsMark? asOf = null)
    {
        for (var i = 0; i < _segments.Length; i++)
        {
            var lastCommit = asOf is null ? _segments[i].LastCommit : asOf.LastCommits[i];
            if (afterSequence > 0 && lastCommit <= afterSequence) continue;
            foreach (var doc in _segments[i].Scan(afterSequence)) yield return ToStoredPost(doc);
        }
    }

    /// <summary>Where each segment's commits stand now: what a later <see cref="ScanPosts"/> needs to read of what was committed before this moment.</summary>
    public PostsMark MarkPosts() => new(_segments.Select(s => s.LastCommit).ToArray());

    public StoredAuthor? GetAuthor(string key)
    {
        var doc = _authors.FindById(key);
        return doc is null ? null : ToStoredAuthor(doc);
    }

    public IEnumerable<StoredAuthor> ScanAuthors()
    {
        foreach (var doc in _authors.FindAll()) yield return ToStoredAuthor(doc);
    }

    public Media? GetMedia(string sha256)
    {
        var doc = _media.FindById(sha256);
        return doc is null ? null : BsonMapping.ToMedia(doc);
    }

    public IEnumerable<Media> ScanMedia()
    {
        foreach (var doc in _media.FindAll()) yield return BsonMapping.ToMedia(doc);
    }

    /// <summary>Size of the archive on disk: the database plus WARC, media and index folders.</summary>
    public long SizeOnDisk() =>
        FileSize(Paths.Database) + _segments.Sum(s => FileSize(s.File))
        + FolderSize(Paths.Warc) + FolderSize(Paths.Media) + FolderSize(Paths.Index);

    internal static StoredPost ToStoredPost(BsonDocument doc) => new()
    {
        Post = BsonMapping.ToPost(doc),
        ContentHash = doc["hash"].AsString,
        Version = doc["ver"].AsInt32,
        FirstSeen = BsonMapping.Date(doc, "fs") ?? default,
        VersionSeen = BsonMapping.Date(doc, "vs") ?? default,
        DeletedAt = BsonMapping.Date(doc, "del"),
        DeletedStatus = BsonMapping.Int(doc, "delStatus"),
        DeletedReason = BsonMapping.Str(doc, "delReason"),
        DeletedCapture = doc.TryGetValue("delCap", out var delCap) ? BsonMapping.ToCapture(delCap) : null,
        Capture = doc.TryGetValue("cap", out var cap) ? BsonMapping.ToCapture(cap) : null,
        Sequence = doc["seq"].AsInt64,
    };

    private static StoredAuthor ToStoredAuthor(BsonDocument doc) => new()
    {
        Author = BsonMapping.ToAuthor(doc),
        Status = BsonMapping.Str(doc, "status") == nameof(AuthorStatus.Gone) ? AuthorStatus.Gone : AuthorStatus.Active,
        FirstSeen = BsonMapping.Date(doc, "fs") ?? default,
        LastSeen = BsonMapping.Date(doc, "ls") ?? default,
        GoneAt = BsonMapping.Date(doc, "goneAt"),
        GoneStatus = BsonMapping.Int(doc, "goneStatus"),
        GoneReason = BsonMapping.Str(doc, "goneReason"),
        GoneCapture = doc.TryGetValue("goneCap", out var goneCap) ? BsonMapping.ToCapture(goneCap) : null,
        Version = BsonMapping.Int(doc, "ver") ?? 1,
        Capture = doc.TryGetValue("cap", out var cap) ? BsonMapping.ToCapture(cap) : null,
    };

    private static long FileSize(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private static long FolderSize(string path) =>
        Directory.Exists(path)
            ? new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length)
            : 0;
}

/// <summary>Each segment's last commit at one moment (null: unknown); see <see cref="ArchiveStore.MarkPosts"/>.</summary>
public sealed record PostsMark(IReadOnlyList<long?> LastCommits);
