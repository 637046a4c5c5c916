using Archiver.Benchmarks;
using Archiver.Model;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Storage;

public sealed class ArchiveStoreTests : IDisposable
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly TempArchive _dir = new();

    public void Dispose() => _dir.Dispose();

    private static StoreBatch Posts(DateTime at, params Post[] posts) =>
        new() { Posts = posts.Select(p => new PostObservation(p, at)).ToList() };

    [Fact]
    public void Storing_new_posts_keeps_every_field_and_counts_them()
    {
        var post = SyntheticPosts.Make(1) with
        {
            Mentions = ["alice"],
            Links = ["https://example.org/a"],
            Media = [new MediaRef { Kind = "photo", Url = "https://cdn.example/1.jpg", Width = 640, Height = 480 }],
            Extra = new Dictionary<string, string> { ["poll"] = "{\"q\":1}", ["a.b"] = "dots are fine" },
            EditedAt = T0.AddMinutes(-5),
        };
        using var store = ArchiveStore.Open(_dir.Path);

        var result = store.Write(Posts(T0, post, SyntheticPosts.Make(2)));

        Assert.Equal(2, result.Inserted);
        Assert.Equal(2, store.Counters.Posts);
        var stored = store.GetPost(post.Key)!;
        Assert.Equal(post with { }, stored.Post, PostComparer.Instance);
        Assert.Equal(1, stored.Version);
        Assert.Equal(T0, stored.FirstSeen);
        Assert.Equal(DateTimeKind.Utc, stored.Post.CreatedAt!.Value.Kind);
    }

    [Fact]
    public void Restoring_an_unchanged_post_records_a_sighting_and_no_new_version()
    {
        using var store = ArchiveStore.Open(_dir.Path);
        store.Write(Posts(T0, SyntheticPosts.Make(1)));

        var again = store.Write(Posts(T0.AddHours(1), SyntheticPosts.Make(1)));

        Assert.Equal(0, again.Inserted);
        Assert.Equal(1, again.Unchanged);
        Assert.Empty(again.ChangedKeys);
        var key = SyntheticPosts.Make(1).Key;
        Assert.Equal(1, store.GetPost(key)!.Version);
        Assert.Equal(T0.AddHours(1), store.LastSightingOf(key));
    }

    [Fact]
    public void An_edit_keeps_the_previous_version_in_the_history()
    {
        using var store = ArchiveStore.Open(_dir.Path);
        store.Write(Posts(T0, SyntheticPosts.Make(7)));

        var result = store.Write(Posts(T0.AddDays(1), SyntheticPosts.Make(7, edition: 1)));

        Assert.Equal(1, result.Edited);
        var key = SyntheticPosts.Make(7).Key;
        var current = store.GetPost(key)!;
        Assert.Equal(2, current.Version);
        Assert.EndsWith("[edit 1]", current.Post.Text);
        Assert.Equal(T0, current.FirstSeen);
        Assert.Equal(T0.AddDays(1), current.VersionSeen);
        var history = Assert.Single(store.GetVersions(key));
        Assert.Equal(1, history.Version);
        Assert.Equal(SyntheticPosts.Make(7).Text, history.Post.Text);
        Assert.Equal(T0, history.FirstSeen);
        Assert.Equal(T0.AddDays(1), history.ReplacedAt);
        Assert.Equal(1, store.Counters.Versions);
    }

    [Fact]
    public void Changed_counts_are_refreshed_in_place_without_a_new_version()
    {
        using var store = ArchiveStore.Open(_dir.Path);
        store.Write(Posts(T0, SyntheticPosts.Make(3)));

        var result = store.Write(Posts(T0.AddHours(2), SyntheticPosts.Make(3) with { Views = 999_999 }));

        Assert.Equal(1, result.CountsUpdated);
        var stored = store.GetPost(SyntheticPosts.Make(3).Key)!;
        Assert.Equal(999_999, stored.Post.Views);
        Assert.Equal(1, stored.Version);
        Assert.Empty(store.GetVersions(stored.Key));
    }

    [Fact]
    public void Marking_a_post_deleted_keeps_it_and_records_when_it_was_seen_gone()
    {
        using var store = ArchiveStore.Open(_dir.Path);
        var post = SyntheticPosts.Make(4);
        store.Write(Posts(T0, post));

        store.Write(new StoreBatch { Disappearances = [new Disappearance(post.Key, DisappearanceKind.Post, T0.AddDays(3), 404, "post page answered 404")] });
        store.Write(new StoreBatch { Disappearances = [new Disappearance(post.Key, DisappearanceKind.Post, T0.AddDays(4), 410, "again")] });

        var stored = store.GetPost(post.Key)!;
        Assert.Equal(post.Text, stored.Post.Text);
        Assert.Equal(T0.AddDays(3), stored.DeletedAt);
        Assert.Equal(404, stored.DeletedStatus);
        Assert.Equal(1, store.Counters.PostsDeleted);
    }

    [Fact]
    public void Authors_keep_their_profile_history_and_can_be_marked_gone()
    {
        using var store = ArchiveStore.Open(_dir.Path);
        var author = new Author { Platform = "telegram", Host = "t.me", NativeId = "chan", Handle = "chan", DisplayName = "Old name", Kind = "channel", Followers = 10 };
        store.Write(new StoreBatch { Authors = [new AuthorObservation(author, T0)] });
        store.Write(new StoreBatch { Authors = [new AuthorObservation(author with { Followers = 20 }, T0.AddHours(1))] });
        store.Write(new StoreBatch { Authors = [new AuthorObservation(author with { DisplayName = "New name" }, T0.AddHours(2))] });
        store.Write(new StoreBatch { Disappearances = [new Disappearance(author.Key, DisappearanceKind.Author, T0.AddDays(1), 451, "unavailable for legal reasons")] });

        var stored = store.GetAuthor(author.Key)!;
        Assert.Equal("New name", stored.Author.DisplayName);
        Assert.Equal(2, stored.Version);
        Assert.Equal(AuthorStatus.Gone, stored.Status);
        Assert.Equal(451, stored.GoneStatus);
        Assert.Equal(1, store.Counters.Authors);
        Assert.Equal(1, store.Counters.AuthorsGone);
    }

    [Fact]
    public void Media_is_stored_once_per_sha256()
    {
        using var store = ArchiveStore.Open(_dir.Path);
        var media = new Media { Sha256 = new string('a', 64), Mime = "image/png", Size = 123, SourceUrl = "https://x/1.png", LocalPath = "media/aa/aa/x.png", FetchedAt = T0 };

        store.Write(new StoreBatch { Media = [media] });
        var second = store.Write(new StoreBatch { Media = [media with { SourceUrl = "https://y/other.png" }] });

        Assert.Equal(0, second.MediaAdded);
        Assert.Equal(1, store.Counters.Media);
        Assert.Equal("https://x/1.png", store.GetMedia(media.Sha256)!.SourceUrl);
    }

    [Fact]
    public void Reopening_recognises_unchanged_posts_from_the_saved_map_and_after_losing_it()
    {
        using (var store = ArchiveStore.Open(_dir.Path)) store.Write(Posts(T0, SyntheticPosts.Make(1), SyntheticPosts.Make(2)));
        Assert.True(File.Exists(_dir.File("archive.keys")));

        using (var store = ArchiveStore.Open(_dir.Path))
            Assert.Equal(2, store.Write(Posts(T0.AddHours(1), SyntheticPosts.Make(1), SyntheticPosts.Make(2))).Unchanged);

        File.Delete(_dir.File("archive.keys"));
        using (var store = ArchiveStore.Open(_dir.Path))
        {
            var result = store.Write(Posts(T0.AddHours(2), SyntheticPosts.Make(1), SyntheticPosts.Make(2, edition: 1)));
            Assert.Equal(1, result.Unchanged);
            Assert.Equal(1, result.Edited);
            Assert.Equal(2, store.Counters.Posts);
        }
    }

    [Fact]
    public void A_stale_saved_map_is_ignored()
    {
        using (var store = ArchiveStore.Open(_dir.Path)) store.Write(Posts(T0, SyntheticPosts.Make(1)));
        var saved = File.ReadAllBytes(_dir.File("archive.keys"));
        using (var store = ArchiveStore.Open(_dir.Path)) store.Write(Posts(T0, SyntheticPosts.Make(2)));
        File.WriteAllBytes(_dir.File("archive.keys"), saved); // as if the process died before saving it

        using var reopened = ArchiveStore.Open(_dir.Path);
        var result = reopened.Write(Posts(T0.AddHours(1), SyntheticPosts.Make(2)));

        Assert.Equal(1, result.Unchanged);
        Assert.Equal(2, reopened.Counters.Posts);
    }

    [Fact]
    public void Scan_returns_every_post_once_and_can_start_after_a_sequence()
    {
        using var store = ArchiveStore.Open(_dir.Path);
        store.Write(Posts(T0, Enumerable.Range(0, 300).Select(i => SyntheticPosts.Make(i)).ToArray()));
        var afterFirst = store.Sequence;
        store.Write(Posts(T0, Enumerable.Range(300, 50).Select(i => SyntheticPosts.Make(i)).ToArray()));

        Assert.Equal(350, store.ScanPosts().Select(p => p.Key).Distinct().Count());
        Assert.Equal(
            Enumerable.Range(300, 50).Select(i => SyntheticPosts.Make(i).Key).Order(StringComparer.Ordinal),
            store.ScanPosts(afterFirst).Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_scan_after_a_sequence_finds_each_later_change_though_batches_without_posts_came_after_it()
    {
        var author = new Author { Platform = "telegram", Host = "t.me", NativeId = "channel1", Handle = "channel1" };
        long first, edit, after;
        using (var store = ArchiveStore.Open(_dir.Path))
        {
            store.Write(Posts(T0, Enumerable.Range(0, 300).Select(i => SyntheticPosts.Make(i)).ToArray()));
            first = store.Sequence;
            // One post edited: one segment of four commits; then two batches that touch no post at all.
            store.Write(Posts(T0.AddHours(1), SyntheticPosts.Make(7, edition: 1)));
            edit = store.Sequence;
            store.Write(new StoreBatch { Authors = [new AuthorObservation(author, T0.AddHours(2))] });
            store.Write(new StoreBatch { Authors = [new AuthorObservation(author with { Followers = 5 }, T0.AddHours(3))] });
            after = store.Sequence;
            Assert.Equal(edit + 2, after);
        }

        using var reopened = ArchiveStore.Open(_dir.Path, readOnly: true);
        Assert.Equal([SyntheticPosts.Make(7).Key], reopened.ScanPosts(first).Select(p => p.Key));
        Assert.Equal([SyntheticPosts.Make(7).Key], reopened.ScanPosts(edit - 1).Select(p => p.Key));
        Assert.Empty(reopened.ScanPosts(edit));
        Assert.Empty(reopened.ScanPosts(after));
        Assert.Equal(300, reopened.ScanPosts().Count());
    }

    [Fact]
    public void A_scan_as_of_a_mark_reads_only_what_segments_committed_before_it()
    {
        using var store = ArchiveStore.Open(_dir.Path);
        store.Write(Posts(T0, Enumerable.Range(0, 300).Select(i => SyntheticPosts.Make(i)).ToArray()));
        var first = store.Sequence;
        store.Write(Posts(T0.AddHours(1), SyntheticPosts.Make(7, edition: 1)));
        var mark = store.MarkPosts();
        // After the mark (an index follower's subscription): delivered to it as batches, not the catch-up's business.
        store.Write(Posts(T0.AddHours(2), Enumerable.Range(300, 100).Select(i => SyntheticPosts.Make(i)).ToArray()));

        // Only the segment of post 7 had a commit after `first` as of the mark; read now, it also holds its share of the later posts.
        static ulong SegmentOf(string key) => ContentHash.OfKey(key) % ArchiveStore.DefaultSegments;
        var edited = SyntheticPosts.Make(7).Key;
        var expected = Enumerable.Range(300, 100).Select(i => SyntheticPosts.Make(i).Key).Where(k => SegmentOf(k) == SegmentOf(edited)).Append(edited);
        Assert.Equal(expected.Order(StringComparer.Ordinal), store.ScanPosts(first, mark).Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Empty(store.ScanPosts(first + 1, mark));
        Assert.Equal(101, store.ScanPosts(first).Count());
        Assert.Equal(400, store.ScanPosts(first - 1, mark).Count());
    }

    [Fact]
    public void A_read_only_open_of_a_missing_archive_says_what_to_do()
    {
        var e = Assert.Throws<ArchiverException>(() => ArchiveStore.Open(_dir.File("nothing-here"), readOnly: true));
        Assert.Contains("No archive", e.Message);
    }

    [Fact]
    public async Task The_writer_stage_merges_small_batches_into_ordered_commits()
    {
        using var store = ArchiveStore.Open(_dir.Path);
        var committed = new List<StoreBatchResult>();
        await using (var writer = new ArchiveWriter(store, maxRecordsPerTransaction: 1000))
        {
            writer.Committed += committed.Add;
            for (var i = 0; i < 2500; i++) await writer.SubmitAsync(Posts(T0, SyntheticPosts.Make(i)), TestContext.Current.CancellationToken);
            await writer.CompleteAsync();
        }

        Assert.Equal(2500, committed.Sum(c => c.Inserted));
        Assert.True(committed.Count < 2500, "small batches should be merged into larger transactions");
        Assert.Equal(committed.Select(c => c.Sequence).Order(), committed.Select(c => c.Sequence));
        Assert.Equal(2500, store.Counters.Posts);
    }
}

/// <summary>Compares posts by value, including list and dictionary contents.</summary>
internal sealed class PostComparer : IEqualityComparer<Post>
{
    public static readonly PostComparer Instance = new();

    public bool Equals(Post? x, Post? y) =>
        x is not null && y is not null
        && Normalize(x) == Normalize(y)
        && x.Hashtags.SequenceEqual(y.Hashtags) && x.Mentions.SequenceEqual(y.Mentions) && x.Links.SequenceEqual(y.Links)
        && x.Media.SequenceEqual(y.Media)
        && x.Extra.OrderBy(p => p.Key).SequenceEqual(y.Extra.OrderBy(p => p.Key));

    public int GetHashCode(Post obj) => obj.Key.GetHashCode(StringComparison.Ordinal);

    private static Post Normalize(Post p) => p with { Hashtags = [], Mentions = [], Links = [], Media = [], Extra = Post.EmptyExtra };
}
