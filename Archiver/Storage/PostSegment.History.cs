using Archiver.Model;
using LiteDB;

namespace Archiver.Storage;

/// <summary>
/// Entries of a platform's edit history (<see cref="PostHistory"/>) are what a post said before, reported by the
/// platform, not observations of what it says now. Stored as observations, a recheck of one edited Mastodon status
/// added three false versions and flipped its text back and forth (the history's entries lack fields the timeline
/// has, so even the current one hashed differently). Here an entry as new as the stored post is a sighting; an
/// older one is kept once as an earlier version from the platform's history (<c>ver</c> 0, <c>src</c> "history").
/// </summary>
internal sealed partial class PostSegment
{
    internal const string HistorySource = "history";

    private void StoreHistoryEntry(Item item, BsonDocument? pending, SegmentWork work)
    {
        var (observation, key, _, _) = item;
        var entry = observation.Post;
        var current = pending ?? _posts.FindById(key);
        var entryTime = PostHistory.VersionTime(entry);
        // Without the post itself the entry cannot be placed among its versions: nothing is claimed.
        var currentTime = current is null ? null : PostHistory.VersionTime(BsonMapping.ToPost(current));
        if (current is null || entryTime is not { } written || currentTime is not { } now || written >= now || KnowsVersionOf(key, written, entry.Text))
        {
            if (current is not null) work.Sightings.Add((key, observation.ObservedAt, observation.Capture));
            work.Mark(item.Index, WriteOutcomes.Post.Unchanged);
            return;
        }
        var replacedAt = entry.Extra.TryGetValue(PostHistory.ReplacedAtKey, out var next)
            && DateTime.TryParse(next, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal, out var at)
            ? at : now;
        var version = new BsonDocument
        {
            ["_id"] = $"{key}@h{written.Ticks}",
            ["key"] = key,
            ["ver"] = 0,
            ["src"] = HistorySource,
            ["hash"] = ContentHash.ToHex(ContentHash.Of(entry)),
            ["fs"] = written,
            ["replacedAt"] = replacedAt,
            ["post"] = BsonMapping.FromPost(entry, new BsonDocument()),
        };
        if (observation.Capture is not null) version["cap"] = BsonMapping.FromCapture(observation.Capture);
        _versions.Insert(version);
        work.Sightings.Add((key, observation.ObservedAt, observation.Capture));
        work.Mark(item.Index, WriteOutcomes.Post.Unchanged);
    }

    /// <summary>Whether a version written at <paramref name="written"/> with this text is already kept (observed, or from the history).</summary>
    private bool KnowsVersionOf(string key, DateTime written, string text) =>
        Versions(key).Any(v =>
        {
            var post = BsonMapping.ToPost(v["post"].AsDocument);
            return PostHistory.VersionTime(post) == written && post.Text == text;
        });
}
