using Archiver.Model;
using LiteDB;

namespace Archiver.Storage;

public sealed partial class ArchiveStore
{
    /// <summary>
    /// Commits one batch in one transaction and returns what it did. Either all of the batch is stored
    /// or none of it (and the archive is unchanged). Not for concurrent use: one writer feeds it.
    /// </summary>
    public StoreBatchResult Write(StoreBatch batch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (ReadOnly) throw new InvalidOperationException("The archive was opened read-only.");
        lock (_writeLock)
        {
            var known = LoadKnownPosts();
            var sequence = _sequence + 1;
            var work = new BatchWork(sequence, _counters);
            if (!_db.BeginTrans()) throw new InvalidOperationException("A transaction is already open on this thread.");
            try
            {
                foreach (var observation in batch.Posts) StorePost(observation, known, work);
                FlushInserts(work);
                foreach (var observation in batch.Authors) StoreAuthor(observation, work);
                foreach (var media in batch.Media) StoreMedia(media, work);
                foreach (var gone in batch.Disappearances) StoreDisappearance(gone, work);
                if (work.Sightings.Count > 0) InsertSightings(work);
                var counters = work.Counters();
                _meta.Upsert(new BsonDocument { ["_id"] = "store", ["seq"] = sequence, ["counters"] = counters.ToBson() });
                _db.Commit();
                _sequence = sequence;
                _counters = counters;
                foreach (var (keyHash, entry) in work.KnownUpdates) known.Set(keyHash, entry);
                return work.Result();
            }
            catch
            {
                _db.Rollback();
                throw;
            }
        }
    }

    private KnownPosts LoadKnownPosts()
    {
        if (_known is not null) return _known;
        _known = KnownPosts.TryLoad(Paths.KeyCache, _sequence) ?? RebuildKnownPosts();
        return _known;
    }

    private KnownPosts RebuildKnownPosts()
    {
        var map = new KnownPosts(checked((int)Math.Min(int.MaxValue, _counters.Posts)));
        foreach (var doc in _posts.FindAll())
        {
            map.Set(ContentHash.OfKey(doc["_id"].AsString),
                new KnownPosts.Entry(ParseHash(doc["hash"].AsString), (uint)(doc.TryGetValue("ch", out var ch) ? ch.AsInt64 : 0)));
        }
        return map;
    }

    private void StorePost(PostObservation observation, KnownPosts known, BatchWork work)
    {
        var post = observation.Post;
        var key = post.Key;
        var keyHash = ContentHash.OfKey(key);
        var contentHash = ContentHash.Of(post);
        var countsHash = CountsHash(post);
        var entry = new KnownPosts.Entry(contentHash, countsHash);

        var pending = work.PendingInsert(key);
        KnownPosts.Entry current;
        var isKnown = work.KnownUpdates.TryGetValue(keyHash, out current) || known.TryGet(keyHash, out current);
        if (!isKnown)
        {
            var doc = NewPostDocument(post, contentHash, countsHash, observation, work.Sequence);
            work.AddInsert(key, doc, post);
            work.KnownUpdates[keyHash] = entry;
            return;
        }
        if (current.ContentHash == contentHash)
        {
            if (current.CountsHash != countsHash)
            {
                var doc = pending ?? _posts.FindById(key);
                if (doc is not null)
                {
                    BsonMapping.Set(doc, "views", post.Views);
                    BsonMapping.Set(doc, "likes", post.Likes);
                    BsonMapping.Set(doc, "shares", post.Shares);
                    BsonMapping.Set(doc, "replies", post.Replies);
                    doc["ch"] = (long)countsHash;
                    doc["seq"] = work.Sequence;
                    if (pending is null) _posts.Update(doc);
                    work.KnownUpdates[keyHash] = entry;
                    work.CountsUpdated++;
                    work.Changed.Add(key);
                    return;
                }
            }
            work.Sightings.Add((key, observation.ObservedAt, observation.Capture));
            return;
        }
        var existing = pending ?? _posts.FindById(key);
        if (existing is null)
        {
            // The map knew a key the collection does not have (hash collision or a stale map): store it as new.
            work.AddInsert(key, NewPostDocument(post, contentHash, countsHash, observation, work.Sequence), post);
            work.KnownUpdates[keyHash] = entry;
            return;
        }
        var version = existing["ver"].AsInt32;
        var old = new BsonDocument
        {
            ["_id"] = $"{key}@{version}",
            ["key"] = key,
            ["ver"] = version,
            ["hash"] = existing["hash"],
            ["fs"] = existing["vs"],
            ["replacedAt"] = observation.ObservedAt,
            ["post"] = BsonMapping.FromPost(BsonMapping.ToPost(existing), new BsonDocument()),
        };
        if (existing.TryGetValue("cap", out var oldCapture)) old["cap"] = oldCapture;
        _versions.Insert(old);
        BsonMapping.FromPost(post, existing);
        existing["hash"] = ContentHash.ToHex(contentHash);
        existing["ch"] = (long)countsHash;
        existing["ver"] = version + 1;
        existing["vs"] = observation.ObservedAt;
        existing["seq"] = work.Sequence;
        if (observation.Capture is not null) existing["cap"] = BsonMapping.FromCapture(observation.Capture);
        if (pending is null) _posts.Update(existing);
        work.KnownUpdates[keyHash] = entry;
        work.Edited++;
        work.Versions++;
        work.Changed.Add(key);
    }

    private static BsonDocument NewPostDocument(Post post, ulong contentHash, uint countsHash, PostObservation observation, long sequence)
    {
        var doc = new BsonDocument { ["_id"] = post.Key };
        BsonMapping.FromPost(post, doc);
        doc["hash"] = ContentHash.ToHex(contentHash);
        doc["ch"] = (long)countsHash;
        doc["ver"] = 1;
        doc["fs"] = observation.ObservedAt;
        doc["vs"] = observation.ObservedAt;
        doc["seq"] = sequence;
        if (observation.Capture is not null) doc["cap"] = BsonMapping.FromCapture(observation.Capture);
        return doc;
    }

    private void FlushInserts(BatchWork work)
    {
        if (work.Inserts.Count == 0) return;
        _posts.InsertBulk(work.Inserts.Values, batchSize: 5000);
    }

    private void InsertSightings(BatchWork work)
    {
        foreach (var group in work.Sightings.GroupBy(s => (s.SeenAt, s.Capture?.Url, s.Capture?.WarcOffset)))
        {
            var keys = new BsonArray();
            foreach (var s in group) keys.Add(s.Key);
            var doc = new BsonDocument { ["seq"] = work.Sequence, ["at"] = group.Key.SeenAt, ["keys"] = keys };
            var capture = group.First().Capture;
            if (capture is not null) doc["cap"] = BsonMapping.FromCapture(capture);
            _sightings.Insert(doc);
        }
    }

    private void StoreAuthor(AuthorObservation observation, BatchWork work)
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
            fresh["seq"] = work.Sequence;
            if (observation.Capture is not null) fresh["cap"] = BsonMapping.FromCapture(observation.Capture);
            _authors.Insert(fresh);
            work.NewAuthors++;
            work.AuthorsChanged++;
            return;
        }
        existing["ls"] = observation.ObservedAt;
        if (existing["hash"].AsString != hash)
        {
            var version = existing["ver"].AsInt32;
            var old = new BsonDocument
            {
                ["_id"] = $"{key}@{version}",
                ["key"] = key,
                ["ver"] = version,
                ["replacedAt"] = observation.ObservedAt,
                ["author"] = BsonMapping.FromAuthor(BsonMapping.ToAuthor(existing), new BsonDocument()),
            };
            _authorVersions.Insert(old);
            BsonMapping.FromAuthor(author, existing);
            existing["hash"] = hash;
            existing["ver"] = version + 1;
            existing["seq"] = work.Sequence;
            if (observation.Capture is not null) existing["cap"] = BsonMapping.FromCapture(observation.Capture);
            work.AuthorsChanged++;
        }
        _authors.Update(existing);
    }

    private void StoreMedia(Media media, BatchWork work)
    {
        if (_media.FindById(media.Sha256) is not null) return;
        _media.Insert(BsonMapping.FromMedia(media));
        work.MediaAdded++;
        work.MediaBytes += media.Size;
    }

    private void StoreDisappearance(Disappearance gone, BatchWork work)
    {
        if (gone.Kind == DisappearanceKind.Post)
        {
            var doc = work.PendingInsert(gone.Key) ?? _posts.FindById(gone.Key);
            if (doc is null || doc.ContainsKey("del")) return;
            doc["del"] = gone.SeenAt;
            doc["delStatus"] = gone.Status;
            doc["delReason"] = gone.Reason;
            doc["seq"] = work.Sequence;
            if (gone.Capture is not null) doc["delCap"] = BsonMapping.FromCapture(gone.Capture);
            _posts.Update(doc);
            work.Deleted++;
            work.Changed.Add(gone.Key);
            return;
        }
        var author = _authors.FindById(gone.Key);
        if (author is null || author["status"].AsString == nameof(AuthorStatus.Gone)) return;
        author["status"] = nameof(AuthorStatus.Gone);
        author["goneAt"] = gone.SeenAt;
        author["goneStatus"] = gone.Status;
        author["goneReason"] = gone.Reason;
        author["seq"] = work.Sequence;
        _authors.Update(author);
        work.AuthorsGone++;
    }

    private static uint CountsHash(Post post)
    {
        var h = HashCode.Combine(post.Views, post.Likes, post.Shares, post.Replies);
        return unchecked((uint)h) | 1u; // never 0: 0 means "not recorded" in maps rebuilt from old files
    }

    private static ulong AuthorHash(BsonDocument doc)
    {
        // Follower counts move constantly; only identity and profile text make a new author version.
        var hash = new System.IO.Hashing.XxHash64();
        foreach (var name in new[] { "handle", "name", "description", "url", "kind", "avatarUrl", "avatarSha256" })
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(BsonMapping.Str(doc, name) ?? "\u0000");
            hash.Append(bytes);
            hash.Append([0xff]);
        }
        return hash.GetCurrentHashAsUInt64();
    }

    private static ulong ParseHash(string hex) => ulong.Parse(hex, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
}
