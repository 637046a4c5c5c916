using Archiver.Storage;
using Archiver.Tests.Platforms.Mastodon;
using Archiver.Tests.Support;

namespace Archiver.Tests.Storage;

/// <summary>
/// A Mastodon status's edit history (<c>/statuses/:id/history</c>, real answers of a Mastodon server captured by
/// Mastodon.py's tests) is what the status said before: stored after the edited status, as a crawl stores them,
/// it must give the status's real versions, once, and never a false edit.
/// </summary>
public sealed class EditHistoryTests
{
    private const string Status = "test_status_edit__03_GET_api_v1_statuses_117020586180926938.json";
    private const string History = "test_status_edit__04_GET_api_v1_statuses_117020586180926938_history.json";

    [Fact]
    public void An_edited_status_and_its_history_give_its_two_versions_and_a_recheck_adds_none()
    {
        using var dir = new TempArchive();
        var status = MastodonPages.Parse(Status).Posts.Single(p => p.NativeId == "117020586180926938");
        var history = MastodonPages.Parse(History).Posts;
        var seen = new DateTime(2026, 8, 2, 0, 0, 0, DateTimeKind.Utc);
        using (var store = ArchiveStore.Open(dir.Path))
        {
            // First crawl: the status, then the history its edited_at sent the crawler to.
            store.Write(new StoreBatch { Posts = [new PostObservation(status, seen)] });
            store.Write(new StoreBatch { Posts = history.Select(v => new PostObservation(v, seen.AddSeconds(1))).ToList() });
            // A recheck a day later: the same status, the same history.
            store.Write(new StoreBatch { Posts = [new PostObservation(status, seen.AddDays(1))] });
            store.Write(new StoreBatch { Posts = history.Select(v => new PostObservation(v, seen.AddDays(1).AddSeconds(1))).ToList() });
        }

        using var reader = ArchiveStore.Open(dir.Path, readOnly: true);
        var stored = reader.GetPost(status.Key)!;
        Assert.Equal("the best editor? why, of course it is the KDE Advanced Text Editor, Kate", stored.Post.Text);
        // One content observed (version 1); the earlier one is the platform's report, once, with the platform's times.
        Assert.Equal(1, stored.Version);
        var earlier = Assert.Single(reader.GetVersions(status.Key));
        Assert.Equal("the best editor? why, of course it is VS Code", earlier.Post.Text);
        Assert.True(earlier.FromPlatformHistory);
        Assert.Equal(0, earlier.Version);
        Assert.Equal(new DateTime(2026, 8, 1, 13, 54, 0, 505, DateTimeKind.Utc), earlier.FirstSeen);
        Assert.Equal(new DateTime(2026, 8, 1, 13, 54, 0, 695, DateTimeKind.Utc), earlier.ReplacedAt);
    }
}
