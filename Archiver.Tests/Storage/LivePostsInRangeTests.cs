using Archiver.Benchmarks;
using Archiver.Model;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Storage;

/// <summary>The listing check's question: which live posts of a channel lie in a page's id range.</summary>
public sealed class LivePostsInRangeTests : IDisposable
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly TempArchive _dir = new();

    public void Dispose() => _dir.Dispose();

    // SyntheticPosts.Make(i) is in channel{i % 500} with native id "channel{i % 500}/{i}".
    private static Post InChannel5(int round) => SyntheticPosts.Make(5 + 500 * round);

    private static StoreBatch Posts(params Post[] posts) =>
        new() { Posts = posts.Select(p => new PostObservation(p, T0)).ToList() };

    private static List<string> Ids(IReadOnlyList<(string Key, string NativeId)> live) =>
        live.Select(p => p.NativeId).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void Returns_only_the_channels_live_posts_inside_the_range()
    {
        using var store = ArchiveStore.Open(_dir.Path);
        store.Write(Posts(InChannel5(0), InChannel5(1), InChannel5(2), InChannel5(3), SyntheticPosts.Make(6)));

        var live = store.LivePostsInRange("telegram", "t.me", "channel5", 500, 1600);

        Assert.Equal(["channel5/1005", "channel5/1505", "channel5/505"], Ids(live));
    }

    [Fact]
    public void Follows_posts_stored_and_marked_gone_after_the_first_question()
    {
        using var store = ArchiveStore.Open(_dir.Path);
        store.Write(Posts(InChannel5(0), InChannel5(1)));
        Assert.Equal(["channel5/505"], Ids(store.LivePostsInRange("telegram", "t.me", "channel5", 100, 10_000)));

        store.Write(Posts(InChannel5(2), InChannel5(3)));
        store.Write(new StoreBatch { Disappearances = [new Disappearance(InChannel5(1).Key, DisappearanceKind.Post, T0.AddDays(1), 404, "gone")] });

        Assert.Equal(["channel5/1005", "channel5/1505"], Ids(store.LivePostsInRange("telegram", "t.me", "channel5", 100, 10_000)));
    }

    [Fact]
    public void A_reopened_archive_reads_the_channel_without_its_deleted_posts()
    {
        using (var store = ArchiveStore.Open(_dir.Path))
        {
            store.Write(Posts(InChannel5(0), InChannel5(1), InChannel5(2)));
            store.Write(new StoreBatch { Disappearances = [new Disappearance(InChannel5(2).Key, DisappearanceKind.Post, T0.AddDays(1), 410, "gone")] });
        }
        using var reopened = ArchiveStore.Open(_dir.Path);

        Assert.Equal(["channel5/5", "channel5/505"], Ids(reopened.LivePostsInRange("TELEGRAM", "t.me", "channel5", 0, long.MaxValue)));
        Assert.Empty(reopened.LivePostsInRange("telegram", "t.me", "no_such_channel", 0, long.MaxValue));
        Assert.Empty(reopened.LivePostsInRange("telegram", "t.me", "channel5", 10, 9));
    }

    [Fact]
    public void Channel_counts_saved_at_close_are_the_ones_read_at_open()
    {
        using (var store = ArchiveStore.Open(_dir.Path))
            store.Write(Posts(InChannel5(0), InChannel5(1), InChannel5(2), SyntheticPosts.Make(6)));
        using (var store = ArchiveStore.Open(_dir.Path))
        {
            Assert.Equal(3, store.Counters.ByChannel["telegram:channel5"]);
            Assert.Equal(1, store.Counters.ByChannel["telegram:channel6"]);
            store.Write(Posts(InChannel5(3)));
        }
        using var reopened = ArchiveStore.Open(_dir.Path, readOnly: true);
        Assert.Equal(4, reopened.Counters.ByChannel["telegram:channel5"]);
    }
}
