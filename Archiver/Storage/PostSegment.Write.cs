using Archiver.Model;
using LiteDB;

namespace Archiver.Storage;

internal sealed partial class PostSegment
{
    /// <summary>A post observation routed to this segment, with its key, key hash and place in the batch (for <see cref="WriteOutcomes"/>).</summary>
    public readonly record struct Item(PostObservation Observation, string Key, ulong KeyHash, int Index);

    /// <summary>
    /// Stores this segment's share of a batch in one transaction. Reads only the posts that changed;
    /// unchanged ones are recognised from <paramref name="known"/> (read-only here) and become sightings.
    /// </summary>
    public SegmentResult Write(long sequence, IReadOnlyList<Item> items, IReadOnlyList<(Disappearance Gone, int Index)> gone, KnownPosts known,
        IReadOnlyList<(LanguageLabel Label, int Index)>? relabels = null, WriteOutcomes? outcomes = null, EventScope? events = null)
    {
        var work = new SegmentWork(sequence, CountersWithoutChannels, outcomes, events);
        if (!_db.BeginTrans()) throw new InvalidOperationException("A transaction is already open on this thread.");
        try
        {
            foreach (var item in items) StorePost(item, known, work);
            if (work.Inserts.Count > 0) _posts.InsertBulk(work.Inserts.Values.Select(p => p.Take()), batchSize: 5000);
            foreach (var (g, index) in gone) MarkGone(g, index, work);
            foreach (var (label, index) in relabels ?? []) Relabel(label, index, work);
            // In this segment's transaction: the events commit with the posts they describe, or not at all. Inserted
            // without a lookup: each names a change this transaction made (a first insert, a new version number, a
            // first deletion), which no earlier commit can have recorded.
            if (work.NewEvents.Count > 0) _events.InsertBulk(work.NewEvents);
            var counters = work.Counters() with { ByChannel = StoreCounters.NoChannels };
            _meta.Upsert(new BsonDocument { ["_id"] = "segment", ["seq"] = sequence, ["counters"] = counters.ToBson() });
            LogDerived(sequence, work);
            _db.Commit();
            Sequence = sequence;
            _sequenceKnown = true;
            lock (_channelCounts)
            {
                foreach (var (channel, added) in work.ChannelDelta) _channelCounts[channel] = _channelCounts.GetValueOrDefault(channel) + added;
            }
            Counters = counters;
            return work.Result();
        }
        catch
        {
            _db.Rollback();
            throw;
        }
    }

    private void StorePost(Item item, KnownPosts known, SegmentWork work)
    {
        var (observation, key, keyHash, _) = item;
        var post = observation.Post;
        var contentHash = ContentHash.Of(post);
        var countsHash = ContentHash.OfCounts(post);
        var entry = new KnownPosts.Entry(contentHash, countsHash);
        var pending = work.Inserts.GetValueOrDefault(key)?.Document;
        if (PostHistory.IsHistoryEntry(post))
        {
            StoreHistoryEntry(item, pending, work);
            return;
        }
        if (!work.KnownUpdates.TryGetValue(keyHash, out var current) && !known.TryGet(keyHash, out current))
        {
            work.AddInsert(key, new PendingInsert(observation, key, entry, work.Sequence), post);
            work.Mark(item.Index, WriteOutcomes.Post.Inserted);
            work.Event(EventScope.Kind.Post, item.Index, watch => NewPostEvent(observation, key, watch));
            work.KnownUpdates[keyHash] = entry;
            return;
        }
        if (current.ContentHash == contentHash)
        {
            if (current.CountsHash == countsHash || !UpdateCounts(key, pending, post, countsHash, work))
            {
                work.Sightings.Add((key, observation.ObservedAt, observation.Capture));
                work.Mark(item.Index, WriteOutcomes.Post.Unchanged);
                return;
            }
            work.Mark(item.Index, WriteOutcomes.Post.CountsUpdated);
            work.KnownUpdates[keyHash] = entry;
            return;
        }
        var existing = pending ?? _posts.FindById(key);
        if (existing is null)
        {
            // The map knew a key this segment does not have (a stale map): store it as new.
            work.AddInsert(key, new PendingInsert(observation, key, entry, work.Sequence), post);
            work.Mark(item.Index, WriteOutcomes.Post.Inserted);
            work.Event(EventScope.Kind.Post, item.Index, watch => NewPostEvent(observation, key, watch));
        }
        else if (TryRelabelInPlace(item, existing, pending is not null, current, countsHash, work))
        {
            return;
        }
        else
        {
            PushVersion(existing, key, observation);
            var version = existing["ver"].AsInt32 + 1;
            work.Event(EventScope.Kind.Post, item.Index, watch => EditedEvent(existing, observation, key, version, contentHash, watch));
            BsonMapping.FromPost(post, existing);
            existing["hash"] = ContentHash.ToHex(contentHash);
            existing["ch"] = (long)countsHash;
            existing["ver"] = existing["ver"].AsInt32 + 1;
            existing["vs"] = observation.ObservedAt;
            existing["seq"] = work.Sequence;
            if (observation.Capture is not null) existing["cap"] = BsonMapping.FromCapture(observation.Capture);
            if (pending is null) _posts.Update(existing);
            work.Edited++;
            work.Mark(item.Index, WriteOutcomes.Post.Edited);
            work.Changed.Add(key);
        }
        work.KnownUpdates[keyHash] = entry;
    }

    /// <summary>
    /// An observation that says what the stored post says and differs only in its language label (the store
    /// holds none yet, or a detected one where the document now declares one) is a sighting, not an edit:
    /// the label is set in place. A label is never replaced by a less trusted one (or by none).
    /// </summary>
    private bool TryRelabelInPlace(Item item, BsonDocument existing, bool pending, KnownPosts.Entry current, uint countsHash, SegmentWork work)
    {
        var (observation, key, keyHash, _) = item;
        var post = observation.Post;
        var oldLanguage = BsonMapping.Str(existing, "lang");
        var oldSource = BsonMapping.Str(existing, "langSrc");
        if (ContentHash.Of(post with { Language = oldLanguage, LanguageSource = oldSource }) != current.ContentHash) return false;
        var keepOld = post.Language is null || LanguageSources.Rank(oldSource ?? (oldLanguage is null ? null : LanguageSources.Platform)) > LanguageSources.Rank(post.LanguageSource);
        var (language, source) = keepOld ? (oldLanguage, oldSource) : (post.Language, post.LanguageSource);
        var changed = false;
        var contentHash = current.ContentHash;
        if (language != oldLanguage || source != oldSource)
        {
            BsonMapping.Set(existing, "lang", language);
            BsonMapping.Set(existing, "langSrc", source);
            contentHash = ContentHash.Of(post with { Language = language, LanguageSource = source });
            existing["hash"] = ContentHash.ToHex(contentHash);
            work.Relabeled++;
            work.Mark(item.Index, WriteOutcomes.Post.Relabeled);
            changed = true;
        }
        if (countsHash != current.CountsHash)
        {
            BsonMapping.Set(existing, "views", post.Views);
            BsonMapping.Set(existing, "likes", post.Likes);
            BsonMapping.Set(existing, "shares", post.Shares);
            BsonMapping.Set(existing, "replies", post.Replies);
            existing["ch"] = (long)countsHash;
            work.CountsUpdated++;
            work.Mark(item.Index, WriteOutcomes.Post.CountsUpdated);
            changed = true;
        }
        if (changed)
        {
            existing["seq"] = work.Sequence;
            if (!pending) _posts.Update(existing);
            work.Changed.Add(key);
        }
        work.Sightings.Add((key, observation.ObservedAt, observation.Capture));
        work.Mark(item.Index, WriteOutcomes.Post.Unchanged);
        work.KnownUpdates[keyHash] = new KnownPosts.Entry(contentHash, changed ? countsHash : current.CountsHash);
        return true;
    }

    /// <summary>A relabel: sets a stored post's language and its source in place (no new version, no sighting).</summary>
    private void Relabel(LanguageLabel label, int index, SegmentWork work)
    {
        var doc = work.Inserts.GetValueOrDefault(label.Key)?.Document ?? _posts.FindById(label.Key);
        if (doc is null) return;
        if (BsonMapping.Str(doc, "lang") == label.Language && BsonMapping.Str(doc, "langSrc") == label.Source) return;
        BsonMapping.Set(doc, "lang", label.Language);
        BsonMapping.Set(doc, "langSrc", label.Source);
        var hash = ContentHash.Of(BsonMapping.ToPost(doc));
        doc["hash"] = ContentHash.ToHex(hash);
        doc["seq"] = work.Sequence;
        if (!work.Inserts.ContainsKey(label.Key)) _posts.Update(doc);
        var counts = doc.TryGetValue("ch", out var ch) ? (uint)ch.AsInt64 : 0;
        work.KnownUpdates[ContentHash.OfKey(label.Key)] = new KnownPosts.Entry(hash, counts);
        work.Relabeled++;
        if (work.Outcomes is { } outcomes) outcomes.Relabeled[index] = true;
        work.Changed.Add(label.Key);
    }

    /// <summary>Counts (views, likes...) move on every visit: they are refreshed in place, not versioned.</summary>
    private bool UpdateCounts(string key, BsonDocument? pending, Post post, uint countsHash, SegmentWork work)
    {
        var doc = pending ?? _posts.FindById(key);
        if (doc is null) return false;
        BsonMapping.Set(doc, "views", post.Views);
        BsonMapping.Set(doc, "likes", post.Likes);
        BsonMapping.Set(doc, "shares", post.Shares);
        BsonMapping.Set(doc, "replies", post.Replies);
        doc["ch"] = (long)countsHash;
        doc["seq"] = work.Sequence;
        if (pending is null) _posts.Update(doc);
        work.CountsUpdated++;
        work.Changed.Add(key);
        return true;
    }

    private void PushVersion(BsonDocument existing, string key, PostObservation observation)
    {
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
        _versions.Upsert(old);
    }

    internal static BsonDocument NewDocument(Post post, string key, KnownPosts.Entry entry, PostObservation observation, long sequence)
    {
        var doc = new BsonDocument { ["_id"] = key };
        BsonMapping.FromPost(post, doc);
        doc["hash"] = ContentHash.ToHex(entry.ContentHash);
        doc["ch"] = (long)entry.CountsHash;
        doc["ver"] = 1;
        doc["fs"] = observation.ObservedAt;
        doc["vs"] = observation.ObservedAt;
        doc["seq"] = sequence;
        if (observation.Capture is not null) doc["cap"] = BsonMapping.FromCapture(observation.Capture);
        return doc;
    }

    private void MarkGone(Disappearance gone, int index, SegmentWork work)
    {
        var doc = _posts.FindById(gone.Key);
        if (doc is null || doc.ContainsKey("del")) return;
        doc["del"] = gone.SeenAt;
        doc["delStatus"] = gone.Status;
        doc["delReason"] = gone.Reason;
        doc["seq"] = work.Sequence;
        if (gone.Capture is not null) doc["delCap"] = BsonMapping.FromCapture(gone.Capture);
        work.Event(EventScope.Kind.Gone, index, watch => new ArchiveEvent
        {
            Id = StoreEvents.Id(ArchiveEventType.Deleted, gone.Key, ""),
            Type = ArchiveEventType.Deleted,
            ObservedAt = gone.SeenAt,
            Platform = doc["platform"].AsString,
            Channel = StoreEvents.ChannelOf(doc),
            PostKey = gone.Key,
            Detail = StoreEvents.Status(gone.Status, gone.Reason),
            Evidence = gone.Capture,
            WatchId = watch,
        });
        _posts.Update(doc);
        work.Deleted++;
        if (work.Outcomes is { } outcomes) outcomes.Deleted[index] = true;
        work.Changed.Add(gone.Key);
    }

    private static ArchiveEvent NewPostEvent(PostObservation observation, string key, string? watch) => new()
    {
        // A post is inserted once: its key alone names the event.
        Id = StoreEvents.Id(ArchiveEventType.NewPost, key, ""),
        Type = ArchiveEventType.NewPost,
        ObservedAt = observation.ObservedAt,
        Platform = observation.Post.Platform,
        Channel = StoreEvents.ChannelOf(observation.Post),
        PostKey = key,
        Evidence = observation.Capture,
        WatchId = watch,
    };

    /// <summary>Named by the version it made and that version's content hash: an edit back to earlier text is a new event.</summary>
    private static ArchiveEvent EditedEvent(BsonDocument before, PostObservation observation, string key, int version, ulong contentHash, string? watch) => new()
    {
        Id = StoreEvents.Id(ArchiveEventType.Edited, key, $"{version}:{ContentHash.ToHex(contentHash)}"),
        Type = ArchiveEventType.Edited,
        ObservedAt = observation.ObservedAt,
        Platform = observation.Post.Platform,
        Channel = StoreEvents.ChannelOf(observation.Post),
        PostKey = key,
        Detail = $"version {version}: {string.Join(", ", ChangedFields(before, observation.Post))} changed",
        Evidence = observation.Capture,
        WatchId = watch,
    };

    /// <summary>The fields <see cref="BsonMapping.FromPost"/> writes that make a version (counts are refreshed in place, not versioned).</summary>
    private static readonly HashSet<string> VersionedFields =
    [
        "platform", "host", "nid", "url", "channel", "authorId", "authorHandle", "authorName", "createdAt", "editedAt", "kind", "text",
        "html", "lang", "langSrc", "replyTo", "fwdFrom", "fwdUrl", "tags", "mentions", "links", "media", "extra",
    ];

    /// <summary>The stored fields an edit changes, for the event's detail (read off the stored document before it is overwritten).</summary>
    private static IEnumerable<string> ChangedFields(BsonDocument before, Post post)
    {
        var after = BsonMapping.FromPost(post, new BsonDocument());
        var fields = VersionedFields.Where(k => before.TryGetValue(k, out var a) ? !after.TryGetValue(k, out var b) || a != b : after.ContainsKey(k)).ToList();
        return fields.Count > 0 ? fields : ["content"];
    }
}
