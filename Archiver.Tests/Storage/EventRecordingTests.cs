using Archiver.Benchmarks;
using Archiver.Model;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Storage;

/// <summary>Events recorded by the store in the commit of the change they describe (issue 17, docs/events.md).</summary>
public sealed class EventRecordingTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private static Capture Cap(string url, int status, long offset) => new()
    {
        Url = url,
        FetchedAt = T0,
        Status = status,
        WarcFile = "test.warc.gz",
        WarcOffset = offset,
        PayloadSha256 = new string('a', 64),
        WarcRecordId = $"<urn:uuid:{offset:D8}-0000-0000-0000-000000000000>",
    };

    private static Author Channel(int n) => new() { Platform = "telegram", Host = "t.me", NativeId = $"channel{n}", Handle = $"channel{n}", Kind = "channel" };

    private static List<PostObservation> Posts(int from, int count, DateTime at, int edition = 0) =>
        Enumerable.Range(from, count).Select(i => new PostObservation(SyntheticPosts.Make(i, edition), at, Cap($"https://t.me/s/channel{i % 500}", 200, 1000 + i))).ToList();

    [Fact]
    public void A_batch_without_RecordEvents_records_no_event()
    {
        using var dir = new TempArchive();
        using var store = ArchiveStore.Open(dir.Path);

        store.Write(new StoreBatch { Posts = Posts(0, 50, T0), Authors = [new AuthorObservation(Channel(1), T0)] });
        store.Write(new StoreBatch { Posts = Posts(0, 10, T0.AddHours(1), edition: 1), Disappearances = [new Disappearance(SyntheticPosts.Make(20).Key, DisappearanceKind.Post, T0.AddHours(1), 404, "not found")] });
        store.Write(new StoreBatch { Disappearances = [new Disappearance(Channel(1).Key, DisappearanceKind.Author, T0.AddHours(1), 451, "blocked")] });

        Assert.Empty(store.ReadEvents());
        Assert.Equal(50, store.Counters.Posts);
        Assert.Equal(10, store.Counters.Versions);
    }

    [Fact]
    public void Each_change_of_a_recording_batch_is_one_event_with_its_evidence_and_a_replay_records_none_again()
    {
        using var dir = new TempArchive();
        using var store = ArchiveStore.Open(dir.Path);
        // Archived before the watch: no events.
        store.Write(new StoreBatch { Posts = Posts(0, 20, T0), Authors = [new AuthorObservation(Channel(3), T0, Cap("https://t.me/s/channel3", 200, 1))] });

        var at = T0.AddHours(6);
        var deletedKey = SyntheticPosts.Make(5).Key;
        var check = new StoreBatch
        {
            RecordEvents = true,
            WatchId = "w1",
            // 0-19 again, 0-2 edited; 20-24 new.
            Posts = [.. Posts(0, 3, at, edition: 1), .. Posts(3, 2, at), .. Posts(20, 5, at)],
            Disappearances =
            [
                new Disappearance(deletedKey, DisappearanceKind.Post, at, 404, "missing from the listing", Cap("https://t.me/s/channel5", 200, 77)),
                new Disappearance(Channel(3).Key, DisappearanceKind.Author, at, 451, "blocked in your country", Cap("https://t.me/s/channel3", 451, 88)),
            ],
            Events = [new ArchiveEvent { Id = "ev-check-1", Type = ArchiveEventType.CheckFailed, ObservedAt = at, Platform = "telegram", Channel = "channel9", Detail = "connection refused" }],
        };

        var first = store.Write(check);
        var events = store.ReadEvents();

        Assert.Equal(5, events.Count(e => e.Type == ArchiveEventType.NewPost));
        Assert.Equal(Enumerable.Range(20, 5).Select(i => SyntheticPosts.Make(i).Key).Order(), events.Where(e => e.Type == ArchiveEventType.NewPost).Select(e => e.PostKey).Order());
        Assert.Equal(Enumerable.Range(0, 3).Select(i => SyntheticPosts.Make(i).Key).Order(), events.Where(e => e.Type == ArchiveEventType.Edited).Select(e => e.PostKey).Order());
        var deleted = Assert.Single(events, e => e.Type == ArchiveEventType.Deleted);
        Assert.Equal(deletedKey, deleted.PostKey);
        Assert.Equal("channel5", deleted.Channel);
        Assert.Equal(77, deleted.Evidence?.WarcOffset);
        Assert.Contains("404", deleted.Detail);
        var gone = Assert.Single(events, e => e.Type == ArchiveEventType.ChannelGone);
        Assert.Equal("channel3", gone.Channel);
        Assert.Equal(451, gone.Evidence?.Status);
        Assert.Equal("test.warc.gz", gone.Evidence?.WarcFile);
        Assert.Contains("blocked in your country", gone.Detail);
        var failed = Assert.Single(events, e => e.Type == ArchiveEventType.CheckFailed);
        Assert.Equal("w1", failed.WatchId);
        Assert.Equal(5 + 3 + 1 + 1 + 1, events.Count);
        Assert.All(events, e => Assert.Equal(first.Sequence, e.Sequence));
        Assert.All(events, e => Assert.Equal("w1", e.WatchId));
        Assert.All(events.Where(e => e.Type != ArchiveEventType.CheckFailed), e => Assert.NotNull(e.Evidence));

        // The same batch again (a producer replaying after a kill): everything is already stored, nothing is new.
        store.Write(check);
        Assert.Equal(events.Select(e => e.Id).Order(), store.ReadEvents().Select(e => e.Id).Order());

        // The channel's own page answers again: back, once.
        var back = at.AddHours(6);
        store.Write(new StoreBatch { RecordEvents = true, Authors = [new AuthorObservation(Channel(3), back, Cap("https://t.me/s/channel3", 200, 99))] });
        store.Write(new StoreBatch { RecordEvents = true, Authors = [new AuthorObservation(Channel(3), back.AddHours(1), Cap("https://t.me/s/channel3", 200, 100))] });
        var channelBack = Assert.Single(store.ReadEvents(), e => e.Type == ArchiveEventType.ChannelBack);
        Assert.Equal(99, channelBack.Evidence?.WarcOffset);
        Assert.Equal(AuthorStatus.Active, store.GetAuthor(Channel(3).Key)?.Status);
        Assert.Equal(0, store.Counters.AuthorsGone);
    }

    [Fact]
    public void An_account_is_back_at_a_page_of_its_own_not_at_a_page_that_embeds_it()
    {
        using var dir = new TempArchive();
        using var store = ArchiveStore.Open(dir.Path);
        store.Write(new StoreBatch { Authors = [new AuthorObservation(Channel(4), T0, Cap("https://t.me/s/channel4", 200, 1))] });
        // Taken down while a check paged back: an older page showed it gone.
        store.Write(new StoreBatch { RecordEvents = true, Disappearances = [new Disappearance(Channel(4).Key, DisappearanceKind.Author, T0.AddHours(1), 404, "not found", Cap("https://t.me/s/channel4?before=40", 404, 2))] });

        // A forward in another channel embeds the account: that page's 200 says nothing about the account's own page.
        store.Write(new StoreBatch { RecordEvents = true, Authors = [new AuthorObservation(Channel(4), T0.AddHours(2), Cap("https://t.me/s/channel7", 200, 3))] });
        Assert.Equal(AuthorStatus.Gone, store.GetAuthor(Channel(4).Key)?.Status);
        Assert.Equal([ArchiveEventType.ChannelGone], store.ReadEvents().Select(e => e.Type));

        // Its first page, the channel's own though not the URL that showed it gone, answers again: back, from that page.
        store.Write(new StoreBatch { RecordEvents = true, Authors = [new AuthorObservation(Channel(4), T0.AddHours(3), Cap("https://t.me/s/channel4", 200, 4), OwnPage: true)] });
        Assert.Equal(AuthorStatus.Active, store.GetAuthor(Channel(4).Key)?.Status);
        Assert.Equal([ArchiveEventType.ChannelGone, ArchiveEventType.ChannelBack], store.ReadEvents().Select(e => e.Type));
        Assert.Equal(4, store.ReadEvents()[1].Evidence?.WarcOffset);
    }

    [Fact]
    public async Task Merged_producers_record_events_only_for_their_own_recording_parts()
    {
        using var dir = new TempArchive();
        await using var session = ArchiveSession.Open(dir.Path, ct: TestContext.Current.CancellationToken);
        // Queued together, the writer merges them into one transaction.
        var a = await session.Writer.SubmitAsync(new StoreBatch { Posts = Posts(0, 30, T0) }, TestContext.Current.CancellationToken);
        var b = await session.Writer.SubmitAsync(new StoreBatch { Posts = Posts(30, 30, T0), RecordEvents = true, WatchId = "wb" }, TestContext.Current.CancellationToken);
        var c = await session.Writer.SubmitAsync(new StoreBatch { Posts = Posts(60, 30, T0), RecordEvents = true, WatchId = "wc" }, TestContext.Current.CancellationToken);
        await Task.WhenAll(a, b, c);

        var events = session.Store.ReadEvents();
        Assert.Equal(Enumerable.Range(30, 30).Select(i => SyntheticPosts.Make(i).Key).Order(), events.Where(e => e.WatchId == "wb").Select(e => e.PostKey).Order());
        Assert.Equal(Enumerable.Range(60, 30).Select(i => SyntheticPosts.Make(i).Key).Order(), events.Where(e => e.WatchId == "wc").Select(e => e.PostKey).Order());
        Assert.Equal(60, events.Count);
    }

    [Fact]
    public void A_stated_event_is_stored_once_by_its_id()
    {
        using var dir = new TempArchive();
        using var store = ArchiveStore.Open(dir.Path);
        var failed = new ArchiveEvent { Id = "ev-fail", Type = ArchiveEventType.CheckFailed, ObservedAt = T0, Platform = "mastodon", Channel = "alice", Detail = "timeout" };
        var firstSeq = store.Write(new StoreBatch { Events = [failed] }).Sequence;
        store.Write(new StoreBatch { Events = [failed with { Detail = "again" }] });

        var stored = Assert.Single(store.ReadEvents());
        Assert.Equal("timeout", stored.Detail);
        Assert.Equal(firstSeq, stored.Sequence);
        Assert.Empty(store.ReadEvents(afterSequence: firstSeq));
    }

    [Fact]
    public async Task Events_commit_with_their_batch_across_repeated_kill_9()
    {
        using var dir = new TempArchive();
        var random = new Random(20261201);
        var ct = TestContext.Current.CancellationToken;
        for (var round = 0; round < 6; round++)
        {
            using var child = ArchiverProcess.StartWriteLoop("--data", dir.Path, "--batch-size", "300", "--record-events");
            var firstCommit = new TaskCompletionSource();
            var reader = Task.Run(async () =>
            {
                while (await child.StandardOutput.ReadLineAsync(ct) is not null) firstCommit.TrySetResult();
            }, ct);
            var started = await Task.WhenAny(firstCommit.Task, Task.Delay(TimeSpan.FromSeconds(60), ct));
            await Task.Delay(random.Next(0, 600), ct);
            ArchiverProcess.KillHard(child);
            Assert.True(started == firstCommit.Task, $"round {round}: the writer never committed: " + await child.StandardError.ReadToEndAsync(ct));
            await reader.WaitAsync(TimeSpan.FromSeconds(30), ct);

            using var store = ArchiveStore.Open(dir.Path);
            var posts = store.ScanPosts().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            var events = store.ReadEvents();
            // Exactly one NewPost per stored post, none for a post that is not stored (the segment commits both or neither).
            var newPosts = events.Where(e => e.Type == ArchiveEventType.NewPost).Select(e => e.PostKey!).ToList();
            Assert.Equal(newPosts.Count, newPosts.Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(posts.Order(StringComparer.Ordinal), newPosts.Order(StringComparer.Ordinal));
            Assert.All(events, e => Assert.True(e.Sequence <= store.Sequence));
        }
    }

    [Fact]
    public void Events_of_a_batch_killed_between_its_segment_and_main_commits_appear_once_a_writer_opens_and_keep_their_number()
    {
        using var dir = new TempArchive();
        long sequence;
        using (var store = ArchiveStore.Open(dir.Path))
            sequence = store.Write(new StoreBatch { RecordEvents = true, Posts = Posts(0, 8, T0) }).Sequence;
        // As a kill -9 after the segments committed and before the main file did: the main file is one sequence behind.
        using (var db = new LiteDB.LiteDatabase(new LiteDB.ConnectionString { Filename = Path.Combine(dir.Path, "archive.db"), Connection = LiteDB.ConnectionType.Direct, Collation = new LiteDB.Collation("en-US/Ordinal") }))
        {
            var meta = db.GetCollection("meta").FindById("store");
            meta["seq"] = sequence - 1;
            db.GetCollection("meta").Update(meta);
        }
        using (var snapshot = ArchiveStore.Open(dir.Path, readOnly: true))
            Assert.Empty(snapshot.ReadEvents());

        using var writer = ArchiveStore.Open(dir.Path);
        Assert.Equal(sequence, writer.Sequence);
        Assert.Equal(8, writer.ReadEvents().Count);
        // The replay of the killed batch records nothing; the next batch's events come after, under a new number.
        writer.Write(new StoreBatch { RecordEvents = true, Posts = Posts(0, 8, T0) });
        var next = writer.Write(new StoreBatch { RecordEvents = true, Posts = Posts(8, 2, T0) });
        var events = writer.ReadEvents();
        Assert.Equal(10, events.Count);
        Assert.True(next.Sequence > sequence);
        Assert.Equal(events.Take(8).Select(e => e.Sequence).Distinct(), [sequence]);
        Assert.All(events.Skip(8), e => Assert.Equal(next.Sequence, e.Sequence));
    }
}
