using Archiver.Capturing;
using Archiver.Crawling;
using Archiver.Model;
using Archiver.Platforms;
using Archiver.Replica;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.EndToEnd;

/// <summary>
/// Events against the replica's truth (as <see cref="ChangeTrackingTruthTests"/> does for the stored changes): a crawl
/// of version 1 without <see cref="CrawlOptions.RecordEvents"/> records none; a recheck of version 2 with takedowns
/// that records events records exactly the new posts, edits, deletions and takedowns the truth lists, each once,
/// with the WARC record that showed it.
/// </summary>
public sealed class EventTruthTests
{
    private static async Task<CrawlSummary> CrawlAsync(string data, IReadOnlyList<string> seeds, bool recheck, bool recordEvents)
    {
        var options = new CrawlOptions
        {
            DataDir = data,
            Seeds = seeds,
            AllowPrivate = true,
            RatePerHost = 0,
            PerHost = 4,
            NoMedia = true,
            Recheck = recheck,
            RecordEvents = recordEvents,
            WatchId = recordEvents ? "truth-watch" : null,
        };
        var registry = new PlatformRegistry(KnownPlatforms.All());
        await using var browser = BrowserFetcher.Create(options);
        return await new Crawler(options, registry, browser).RunAsync(Crawler.ResolveSeeds(registry, seeds), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_recheck_that_records_events_records_exactly_the_changes_of_the_replica_truth_once_with_evidence()
    {
        using var dir = new TempArchive();
        await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 16, Size = ReplicaSize.Small, LogRequests = false }, TestContext.Current.CancellationToken);
        var seeds = replica.Seeds.Select(s => s.Contains("/js/", StringComparison.Ordinal) ? s.Replace("site:replica-forum:", "site:replica-js:", StringComparison.Ordinal) : s).ToList();

        await CrawlAsync(dir.Path, seeds, recheck: false, recordEvents: false);
        var v1Truth = replica.Truth(1);
        var v1 = v1Truth.Posts().Concat(v1Truth.FeedPosts()).ToDictionary(p => p.Key);
        HashSet<string> archivedInV1;
        using (var store = ArchiveStore.Open(dir.Path, readOnly: true))
        {
            archivedInV1 = store.ScanPosts().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            Assert.True(archivedInV1.Count > 100, $"only {archivedInV1.Count} posts archived");
            Assert.Empty(store.ReadEvents());
        }

        var takenDownPosts = ReplicaTakedowns.ApplyVersion2WithTakedowns(replica, v1Truth);

        await CrawlAsync(dir.Path, seeds, recheck: true, recordEvents: true);

        var v2Truth = replica.Truth(2);
        var v2 = v2Truth.Posts().Concat(v2Truth.FeedPosts()).ToDictionary(p => p.Key);
        var takedowns = v2Truth.Takedowns().ToList();
        Assert.Equal(3, takedowns.Count);
        var deleted = v1Truth.Posts().Select(p => p.Key)
            .Where(k => archivedInV1.Contains(k) && !v2.ContainsKey(k) && !takenDownPosts.Contains(k)).ToHashSet(StringComparer.Ordinal);
        var edited = v2.Values.Where(p => v1.TryGetValue(p.Key, out var old) && archivedInV1.Contains(p.Key) && old.Text != p.Text).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(deleted);
        Assert.NotEmpty(edited);

        using var after = ArchiveStore.Open(dir.Path, readOnly: true);
        var events = after.ReadEvents();
        var stored = after.ScanPosts().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var newInV2 = stored.Where(k => !archivedInV1.Contains(k)).ToHashSet(StringComparer.Ordinal);
        TestContext.Current.SendDiagnosticMessage(string.Join(", ", events.GroupBy(e => e.Type).Select(g => $"{g.Key}: {g.Count()}"))
            + $"; truth: {deleted.Count} deleted, {edited.Count} edited, {newInV2.Count} new, {takedowns.Count} takedowns");

        // Each event once: distinct ids, and one event per (type, subject).
        Assert.Equal(events.Count, events.Select(e => e.Id).Distinct().Count());
        Assert.Equal(events.Count, events.Select(e => (e.Type, e.PostKey ?? e.Platform + ":" + e.Channel)).Distinct().Count());
        Assert.All(events, e => Assert.Equal("truth-watch", e.WatchId));

        AssertSame("deleted", deleted, Keys(events, ArchiveEventType.Deleted));
        var editDetails = string.Join("; ", events.Where(e => e.Type == ArchiveEventType.Edited && !edited.Contains(e.PostKey!)).Take(8).Select(e => $"{e.PostKey}: {e.Detail}"));
        TestContext.Current.SendDiagnosticMessage("edits not in the truth's text changes: " + editDetails);
        // Every text edit of the truth is an event; so is every other new version the store made (poll results in
        // Telegram's extra fields, a reply whose parent went, a reblog's edited original): one event per version.
        var recordedEdits = Keys(events, ArchiveEventType.Edited);
        var missedEdits = edited.Where(k => !recordedEdits.Contains(k)).ToList();
        Assert.True(missedEdits.Count == 0, $"edited: {missedEdits.Count} of {edited.Count} missed: {string.Join(", ", missedEdits.Take(5))}");
        // Versions the archive observed: an earlier version Mastodon's /history reported (version 0) is no edit the crawl saw.
        var versioned = stored.Where(k => after.GetVersions(k).Any(v => !v.FromPlatformHistory)).ToHashSet(StringComparer.Ordinal);
        AssertSame("new versions", versioned, recordedEdits, editDetails);
        // New posts: served by version 2 only (every one of them in the truth), none of those archived before.
        AssertSame("new", newInV2, Keys(events, ArchiveEventType.NewPost));
        Assert.All(newInV2, k => Assert.True(v2.ContainsKey(k) || k.StartsWith("feed:", StringComparison.Ordinal) || k.Contains("/forum/", StringComparison.Ordinal), $"{k} is not in the truth of version 2"));

        var gone = events.Where(e => e.Type == ArchiveEventType.ChannelGone).ToList();
        Assert.Equal(takedowns.Count, gone.Count);
        foreach (var takedown in takedowns)
        {
            var e = Assert.Single(gone, g => g.Platform == takedown.Platform && Named(g.Channel, takedown.Name));
            Assert.Contains(takedown.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Detail);
            AssertResponseRecord(after, e.Evidence, takedown.Status, takedown.Key);
        }
        Assert.DoesNotContain(events, e => e.Type is ArchiveEventType.ChannelBack or ArchiveEventType.CheckFailed);

        // Every post event names the WARC record of the response that showed it.
        foreach (var e in events.Where(e => e.Type is ArchiveEventType.Deleted or ArchiveEventType.Edited).Take(40))
            AssertResponseRecord(after, e.Evidence, e.Evidence?.Status ?? -1, e.PostKey!);
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e.Evidence?.WarcFile), $"{e.Type} {e.PostKey}: no evidence"));
    }

    private static bool Named(string channel, string name) =>
        string.Equals(channel.TrimStart('@'), name, StringComparison.OrdinalIgnoreCase)
        || channel.StartsWith(name + "@", StringComparison.OrdinalIgnoreCase);

    private static HashSet<string> Keys(IReadOnlyList<ArchiveEvent> events, ArchiveEventType type) =>
        events.Where(e => e.Type == type).Select(e => e.PostKey!).ToHashSet(StringComparer.Ordinal);

    private static void AssertSame(string what, HashSet<string> truth, HashSet<string> recorded, string note = "")
    {
        var missed = truth.Where(k => !recorded.Contains(k)).ToList();
        var extra = recorded.Where(k => !truth.Contains(k)).ToList();
        Assert.True(missed.Count == 0 && extra.Count == 0,
            $"{what}: {missed.Count} of {truth.Count} missed ({string.Join(", ", missed.Take(5))}), {extra.Count} not in the truth ({string.Join(", ", extra.Take(5))}) {note}");
    }

    private static void AssertResponseRecord(ArchiveStore store, Capture? capture, int status, string what)
    {
        Assert.True(capture is { WarcFile: not null, WarcOffset: not null }, $"{what}: no WARC record kept as evidence");
        var record = WarcReader.Read(Path.Combine(store.Paths.Warc, capture.WarcFile)).FirstOrDefault(r => r.Offset == capture.WarcOffset);
        Assert.True(record is not null, $"{what}: no record at {capture.WarcFile}@{capture.WarcOffset}");
        Assert.Equal("response", record.Type);
        Assert.Equal(status, record.Http?.Status);
        Assert.Equal(capture.Url, record.TargetUri);
    }
}
