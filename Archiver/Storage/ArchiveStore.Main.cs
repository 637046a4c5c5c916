using Archiver.Model;
using LiteDB;

namespace Archiver.Storage;

public sealed partial class ArchiveStore
{
    private sealed record MainResult(StoreCounters Counters, int AuthorsChanged, int MediaAdded);

    /// <summary>The main file's share of a batch: authors, media, author disappearances, sightings, sequence.</summary>
    private MainResult WriteMain(StoreBatch batch, long sequence, IReadOnlyList<(string Key, DateTime SeenAt, Capture? Capture)> sightings, WriteOutcomes? outcomes,
        EventScope? events = null)
    {
        // Events about accounts and the events stated directly live in the main file, committed with the authors.
        List<BsonDocument>? newEvents = events is null && batch.Events.Count == 0 ? null : [];
        var counters = _mainCounters;
        int authorsChanged = 0, mediaAdded = 0;
        if (!_db.BeginTrans()) throw new InvalidOperationException("A transaction is already open on this thread.");
        try
        {
            for (var i = 0; i < batch.Authors.Count; i++)
            {
                var change = StoreAuthor(batch.Authors[i], sequence, out var back);
                if (back is not null) counters = counters with { AuthorsGone = counters.AuthorsGone - 1 };
                if (back is not null && events is not null && events.Records(EventScope.Kind.Author, i, out var watch))
                    newEvents!.Add(StoreEvents.ToBson(back with { WatchId = watch }, sequence));
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
            for (var i = 0; i < batch.Disappearances.Count; i++)
            {
                var gone = batch.Disappearances[i];
                if (gone.Kind != DisappearanceKind.Author || MarkAuthorGone(gone, sequence) is not { } author) continue;
                counters = counters with { AuthorsGone = counters.AuthorsGone + 1 };
                if (events is not null && events.Records(EventScope.Kind.Gone, i, out var watch))
                    newEvents!.Add(StoreEvents.ToBson(ChannelGoneEvent(author, gone, watch), sequence));
            }
            if (newEvents is not null) StoreMainEvents(batch.Events, batch.WatchId, newEvents, sequence);
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

    private AuthorChange StoreAuthor(AuthorObservation observation, long sequence, out ArchiveEvent? back)
    {
        back = null;
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
        if (IsBack(existing, observation))
        {
            back = new ArchiveEvent
            {
                Id = StoreEvents.Id(ArchiveEventType.ChannelBack, key, observation.ObservedAt.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                Type = ArchiveEventType.ChannelBack,
                ObservedAt = observation.ObservedAt,
                Platform = author.Platform,
                Channel = StoreEvents.ChannelOfAuthor(existing),
                Detail = $"HTTP {observation.Capture!.Status} from {observation.Capture.Url}, gone since {BsonMapping.Date(existing, "goneAt"):u}",
                Evidence = observation.Capture,
            };
            existing["status"] = nameof(AuthorStatus.Active);
            existing["backAt"] = observation.ObservedAt;
            existing["seq"] = sequence;
            // The gone fields stay as the record of the last takedown; the status says it is over.
            change = AuthorChange.Edited;
        }
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

    /// <summary>
    /// A gone account is back only when its own answer is 2xx again, later than it went: the very request that
    /// showed it gone (the same URL), or any page that is the account's own (<see cref="AuthorObservation.OwnPage"/>:
    /// a takedown that begins mid-check is first seen at whichever of its resources comes next, accounts/:id say,
    /// while the next checks ask its lookup). An account embedded in some other page (a reblog, a mention) says
    /// nothing about whether its own page is up.
    /// </summary>
    private static bool IsBack(BsonDocument existing, AuthorObservation observation)
    {
        if (observation.Capture is not { Status: >= 200 and < 300 } capture) return false;
        if (existing["status"].AsString != nameof(AuthorStatus.Gone)) return false;
        if (!existing.TryGetValue("goneCap", out var goneCap) || BsonMapping.ToCapture(goneCap) is not { } evidence) return false;
        return (observation.OwnPage || evidence.Url == capture.Url) && observation.ObservedAt > (BsonMapping.Date(existing, "goneAt") ?? DateTime.MaxValue);
    }

    private static ArchiveEvent ChannelGoneEvent(BsonDocument author, Disappearance gone, string? watch) => new()
    {
        // Named by the observation that showed it gone: an account gone, back and gone again is two events.
        Id = StoreEvents.Id(ArchiveEventType.ChannelGone, author["_id"].AsString,
            $"{gone.SeenAt.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture)}:{gone.Status}:{gone.Capture?.WarcRecordId}"),
        Type = ArchiveEventType.ChannelGone,
        ObservedAt = gone.SeenAt,
        Platform = author["platform"].AsString,
        Channel = StoreEvents.ChannelOfAuthor(author),
        Detail = StoreEvents.Status(gone.Status, gone.Reason),
        Evidence = gone.Capture,
        WatchId = watch,
    };

    /// <summary>Events recorded in this commit, and the events stated directly: each stored once by its id (a replay stores none again).</summary>
    private void StoreMainEvents(IReadOnlyList<ArchiveEvent> stated, string? watchId, List<BsonDocument> recorded, long sequence)
    {
        foreach (var e in stated)
        {
            if (_events.FindById(e.Id) is not null || recorded.Any(r => r["_id"].AsString == e.Id)) continue;
            recorded.Add(StoreEvents.ToBson(e.WatchId is null && watchId is not null ? e with { WatchId = watchId } : e, sequence));
        }
        foreach (var doc in recorded)
        {
            if (_events.FindById(doc["_id"]) is null) _events.Insert(doc);
        }
    }

    private BsonDocument? MarkAuthorGone(Disappearance gone, long sequence)
    {
        var author = _authors.FindById(gone.Key) ?? FindAuthorByHandle(gone.Key);
        if (author is null || author["status"].AsString == nameof(AuthorStatus.Gone)) return null;
        author["status"] = nameof(AuthorStatus.Gone);
        author["goneAt"] = gone.SeenAt;
        author["goneStatus"] = gone.Status;
        author["goneReason"] = gone.Reason;
        if (gone.Capture is not null) author["goneCap"] = BsonMapping.FromCapture(gone.Capture);
        author["seq"] = sequence;
        _authors.Update(author);
        return author;
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
