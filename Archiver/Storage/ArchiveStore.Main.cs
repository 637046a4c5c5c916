using Archiver.Model;
using LiteDB;

namespace Archiver.Storage;

public sealed partial class ArchiveStore
{
    private sealed record MainResult(StoreCounters Counters, int AuthorsChanged, int MediaAdded);

    /// <summary>The main file's share of a batch: authors, media, author disappearances, sightings, sequence.</summary>
    private MainResult WriteMain(StoreBatch batch, long sequence, IReadOnlyList<(string Key, DateTime SeenAt, Capture? Capture)> sightings, WriteOutcomes? outcomes)
    {
        var counters = _mainCounters;
        int authorsChanged = 0, mediaAdded = 0;
        if (!_db.BeginTrans()) throw new InvalidOperationException("A transaction is already open on this thread.");
        try
        {
            for (var i = 0; i < batch.Authors.Count; i++)
            {
                var change = StoreAuthor(batch.Authors[i], sequence);
                if (change == AuthorChange.None) continue;
                if (change == AuthorChange.New) counters = counters with { Authors = counters.Authors + 1 };
                authorsChanged++;
                if (outcomes is not null) outcomes.AuthorsChanged[i] = true;
            }
            for (var i = 0; i < batch.Media.Count; i++)
            {
                var media = batch.Media[i];
                if (_media.FindById(media.Sha256) is not null) continue;
                _media.Insert(BsonMapping.FromMedia(media));
                counters = counters with { Media = counters.Media + 1, MediaBytes = counters.MediaBytes + media.Size };
                mediaAdded++;
                if (outcomes is not null) outcomes.MediaAdded[i] = true;
            }
            foreach (var gone in batch.Disappearances.Where(d => d.Kind == DisappearanceKind.Author))
            {
                if (MarkAuthorGone(gone, sequence)) counters = counters with { AuthorsGone = counters.AuthorsGone + 1 };
            }
            InsertSightings(sightings, sequence);
            WriteWatch(batch);
            _meta.Upsert(new BsonDocument
            {
                ["_id"] = "store",
                ["seq"] = sequence,
                ["segments"] = _segments.Length,
                ["counters"] = counters.ToBson(),
            });
            _db.Commit();
            return new MainResult(counters, authorsChanged, mediaAdded);
        }
        catch
        {
            _db.Rollback();
            throw;
        }
    }

    private enum AuthorChange { None, New, Edited }

    private AuthorChange StoreAuthor(AuthorObservation observation, long sequence)
    {
        var author = observation.Author;
        var key = author.Key;
        var fresh = BsonMapping.FromAuthor(author, new BsonDocument { ["_id"] = key });
        var hash = ContentHash.ToHex(AuthorHash(fresh));
        var existing = _authors.FindById(key);
        if (existing is null)
        {
            fresh["hash"] = hash;
            fresh["ver"] = 1;
            fresh["status"] = nameof(AuthorStatus.Active);
            fresh["fs"] = observation.ObservedAt;
            fresh["ls"] = observation.ObservedAt;
            fresh["seq"] = sequence;
            if (observation.Capture is not null) fresh["cap"] = BsonMapping.FromCapture(observation.Capture);
            _authors.Insert(fresh);
            return AuthorChange.New;
        }
        existing["ls"] = observation.ObservedAt;
        var change = AuthorChange.None;
        if (existing["hash"].AsString != hash)
        {
            var version = existing["ver"].AsInt32;
            _authorVersions.Upsert(new BsonDocument
            {
                ["_id"] = $"{key}@{version}",
                ["key"] = key,
                ["ver"] = version,
                ["replacedAt"] = observation.ObservedAt,
                ["author"] = BsonMapping.FromAuthor(BsonMapping.ToAuthor(existing), new BsonDocument()),
            });
            existing["hash"] = hash;
            existing["ver"] = version + 1;
            existing["seq"] = sequence;
            if (observation.Capture is not null) existing["cap"] = BsonMapping.FromCapture(observation.Capture);
            change = AuthorChange.Edited;
        }
        // Counts (followers...) are refreshed in place on every observation; only profile changes are versioned.
        BsonMapping.FromAuthor(author, existing);
        _authors.Update(existing);
        return change;
    }

    private bool MarkAuthorGone(Disappearance gone, long sequence)
    {
        var author = _authors.FindById(gone.Key) ?? FindAuthorByHandle(gone.Key);
        if (author is null || author["status"].AsString == nameof(AuthorStatus.Gone)) return false;
        author["status"] = nameof(AuthorStatus.Gone);
        author["goneAt"] = gone.SeenAt;
        author["goneStatus"] = gone.Status;
        author["goneReason"] = gone.Reason;
        if (gone.Capture is not null) author["goneCap"] = BsonMapping.FromCapture(gone.Capture);
        author["seq"] = sequence;
        _authors.Update(author);
        return true;
    }

    /// <summary>
    /// An account named by its handle where the archive keys it by the platform's numeric id: a Mastodon-API
    /// lookup (<c>accounts/lookup?acct=alice</c>) that answers 410 knows only the handle. Matched on platform,
    /// host and handle (a <c>user@host</c> handle of this host matches <c>user</c>); no match, no claim.
    /// </summary>
    private BsonDocument? FindAuthorByHandle(string key)
    {
        // platform:host:handle, where the host may carry a port (127.0.0.1:8471) and a handle has no colon.
        var first = key.IndexOf(':');
        var last = key.LastIndexOf(':');
        if (first <= 0 || last <= first + 1 || last == key.Length - 1) return null;
        var parts = (Platform: key[..first], Host: key[(first + 1)..last]);
        var handle = key[(last + 1)..].TrimStart('@');
        var at = handle.IndexOf('@');
        var local = at < 0 ? handle : handle[..at];
        BsonDocument? found = null;
        foreach (var doc in _authors.Find(LiteDB.Query.EQ("platform", parts.Platform)))
        {
            if (!string.Equals(BsonMapping.Str(doc, "host"), parts.Host, StringComparison.OrdinalIgnoreCase)) continue;
            var candidate = BsonMapping.Str(doc, "handle");
            if (candidate is null) continue;
            if (!string.Equals(candidate, handle, StringComparison.OrdinalIgnoreCase) && !string.Equals(candidate, local, StringComparison.OrdinalIgnoreCase)) continue;
            // Two accounts with this handle (a renamed one and its successor): which one is gone is not known.
            if (found is not null) return null;
            found = doc;
        }
        return found;
    }

    private void InsertSightings(IReadOnlyList<(string Key, DateTime SeenAt, Capture? Capture)> sightings, long sequence)
    {
        foreach (var group in sightings.GroupBy(s => (s.SeenAt, s.Capture?.Url, s.Capture?.WarcOffset)))
        {
            var keys = new BsonArray();
            foreach (var s in group) keys.Add(s.Key);
            var doc = new BsonDocument { ["seq"] = sequence, ["at"] = group.Key.SeenAt, ["keys"] = keys };
            var capture = group.First().Capture;
            if (capture is not null) doc["cap"] = BsonMapping.FromCapture(capture);
            _sightings.Insert(doc);
        }
    }

    private static ulong AuthorHash(BsonDocument doc)
    {
        // Follower counts move constantly; only identity and profile text make a new author version.
        var hash = new System.IO.Hashing.XxHash64();
        foreach (var name in new[] { "handle", "name", "description", "url", "kind", "avatarUrl", "avatarSha256" })
        {
            hash.Append(System.Text.Encoding.UTF8.GetBytes(BsonMapping.Str(doc, name) ?? "\u0000"));
            hash.Append([0xff]);
        }
        return hash.GetCurrentHashAsUInt64();
    }
}
