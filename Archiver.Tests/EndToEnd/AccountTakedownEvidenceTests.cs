using System.Globalization;
using System.Text.Json;
using Archiver.Capturing;
using Archiver.Model;
using Archiver.Replica;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.EndToEnd;

/// <summary>
/// Issue 14's rule (a deletion only on evidence) for accounts taken down while a watch checks them: the replica takes
/// a Gab account (404 "Record not found") and a Mastodon account (410 "suspended") down after their lookup and their
/// timeline answered, so the statuses the check asks next (threads, edit histories, then the statuses themselves)
/// answer as deleted ones do, before anything about the account itself says it is gone. Compared with the replica's
/// truth: none of their statuses is claimed deleted, their takedowns are recorded in that same check with the
/// account's own answer as evidence (not a check later), and the deletions of a live account are still recorded,
/// from its listing and from a watched status's own 404. When the takedowns end, each account is back at its lookup,
/// although its accounts/:id showed it gone.
/// </summary>
public sealed class AccountTakedownEvidenceTests
{
    private static Task<Support.Cli.Result> Watch(string data, params string[] args) => Support.Cli.RunAsync(["watch", .. args, "--data", data]);

    private static readonly string[] Pass = ["run", "--once", "--all", "--allow-private", "--rate", "0", "--no-media", "--no-index", "--recheck-window", "1000d", "--recheck-pages", "50"];

    [Fact]
    public async Task Statuses_of_an_account_taken_down_before_its_own_answer_are_no_deletions_its_takedown_is_recorded_in_that_check_and_its_return_at_its_lookup()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempArchive();
        await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 16, Size = ReplicaSize.Small, LogRequests = true }, ct);
        var v1 = replica.Truth(1);
        var v2 = replica.Truth(2);
        var gab = replica.Network.AccountsOf(Flavor.Gab);
        var (goneGab, liveGab) = (gab[1], gab[0]);
        var goneMastodon = replica.Network.AccountsOf(Flavor.Mastodon)[0];
        var gabOrigin = replica.Endpoints.Origin(OriginKind.Gab);
        var mastodonOrigin = replica.Endpoints.Origin(OriginKind.Mastodon);
        // A status of a live account (watched only through it) that version 2 deletes: its own URL answers 404.
        var truthAccount = replica.Network.AccountsOf(Flavor.TruthSocial)[0];
        var v2Keys = v2.ApiPosts(truthAccount).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var deletedStatus = v1.ApiPosts(truthAccount).First(p => !v2Keys.Contains(p.Key) && p.Kind == PostKinds.Post);
        string[] seeds =
        [
            $"gab:{gabOrigin}/@{goneGab.Username}", $"gab:{gabOrigin}/@{liveGab.Username}", $"mastodon:{mastodonOrigin}/@{goneMastodon.Username}",
            $"truthsocial:{replica.Endpoints.Origin(OriginKind.TruthSocial)}/@{truthAccount.Username}/{deletedStatus.NativeId}",
        ];
        using (var added = JsonDocument.Parse((await Watch(dir.Path, ["add", .. seeds, "--every", "1h", "--json"])).Out))
            Assert.Equal(4, added.RootElement.GetArrayLength());
        var ids = ListJson(await Watch(dir.Path, "list", "--json")).ToDictionary(e => e.GetProperty("seed").GetString()!, e => e.GetProperty("id").GetString()!);

        // The baseline, on version 1.
        var baseline = await Watch(dir.Path, Pass);
        Assert.True(baseline.ExitCode == 0, baseline.Error + baseline.Out);
        var goneKeys = v1.ApiPosts(goneGab).Concat(v1.ApiPosts(goneMastodon)).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var inV2 = v2.Posts().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        // Their statuses that version 2 keeps: hidden by the takedown, not deleted.
        var hidden = goneKeys.Where(inV2.Contains).ToHashSet(StringComparer.Ordinal);
        HashSet<string> archived;
        using (var store = ArchiveStore.Open(dir.Path, readOnly: true))
        {
            archived = store.ScanPosts().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            Assert.All(goneKeys, k => Assert.Contains(k, archived));
            Assert.Empty(store.ReadEvents());
        }

        // Version 2; both accounts answer their lookup and their timeline page, then everything about them is gone.
        replica.SetVersion(2);
        replica.TakeDown(goneGab.Username, 404, OriginKind.Gab, afterRequests: 2);
        replica.TakeDown(goneMastodon.Username, 410, OriginKind.Mastodon, afterRequests: 2);
        replica.Log.Clear();
        var second = await Watch(dir.Path, Pass);
        Assert.True(second.ExitCode == 0, second.Error + second.Out);

        // The case happened: statuses of each account were asked (and answered gone) before anything about the account said so.
        foreach (var (origin, account, status) in new[] { (OriginKind.Gab, goneGab, 404), (OriginKind.Mastodon, goneMastodon, 410) })
        {
            var asked = replica.Log.Requests.Where(r => r.Origin == origin && r.Status == status).ToList();
            var firstStatus = asked.FirstOrDefault(r => StatusOf(r.PathAndQuery) is { } id && (id & 0xFFFF) == account.Index);
            Assert.True(firstStatus is not null, $"no status of {account.Username} was asked after its takedown: {string.Join(", ", asked.Select(r => r.PathAndQuery))}");
            Assert.DoesNotContain(asked, r => r.Sequence < firstStatus.Sequence && r.PathAndQuery.StartsWith("/api/v1/accounts/", StringComparison.Ordinal));
        }

        // Version 2's deletions of the three accounts: their timelines answered (version 2) before the takedowns, so
        // those of the accounts taken down are seen missing from their listings, as the live account's are.
        var deletedInV2 = v1.ApiPosts(liveGab).Concat(v1.ApiPosts(goneGab)).Concat(v1.ApiPosts(goneMastodon)).Select(p => p.Key)
            .Where(k => archived.Contains(k) && !inV2.Contains(k)).Append(deletedStatus.Key).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(hidden);
        using (var store = ArchiveStore.Open(dir.Path, readOnly: true))
        {
            var events = store.ReadEvents();
            TestContext.Current.SendDiagnosticMessage(string.Join(", ", events.GroupBy(e => e.Type).Select(g => $"{g.Key}: {g.Count()}")));
            // No status of the accounts taken down is claimed deleted, in the events or in the posts.
            var falseDeletions = events.Where(e => e.Type == ArchiveEventType.Deleted && hidden.Contains(e.PostKey!)).Select(e => $"{e.PostKey} ({e.Detail})").ToList();
            Assert.True(falseDeletions.Count == 0, $"{falseDeletions.Count} of {hidden.Count} statuses of taken-down accounts recorded as deleted: {string.Join("; ", falseDeletions.Take(5))}");
            Assert.All(hidden, k => Assert.False(store.GetPost(k)!.IsDeleted, $"{k} is marked deleted"));
            // Each takedown is recorded in this check, by its own entry, from the account's own answer.
            foreach (var (account, platform, origin, status) in new[] { (goneGab, "gab", gabOrigin, 404), (goneMastodon, "mastodon", mastodonOrigin, 410) })
            {
                var gone = Assert.Single(events, e => e.Type == ArchiveEventType.ChannelGone && e.Platform == platform);
                Assert.Equal(ids[$"{platform}:{origin}/@{account.Username}"], gone.WatchId);
                Assert.Contains(status.ToString(CultureInfo.InvariantCulture), gone.Detail);
                AssertResponse(store, gone.Evidence, status, $"/api/v1/accounts/{account.Id.ToString(CultureInfo.InvariantCulture)}");
            }
            // Version 2's deletions are all recorded, and only they; the watched status of a live account from its own 404.
            Assert.Equal(deletedInV2.Order(StringComparer.Ordinal), events.Where(e => e.Type == ArchiveEventType.Deleted).Select(e => e.PostKey!).Order(StringComparer.Ordinal));
            var own = Assert.Single(events, e => e.Type == ArchiveEventType.Deleted && e.PostKey == deletedStatus.Key && e.Evidence?.Status == 404
                && e.Evidence.Url.EndsWith("/api/v1/statuses/" + deletedStatus.NativeId, StringComparison.Ordinal));
            AssertResponse(store, own.Evidence, 404, "/api/v1/statuses/" + deletedStatus.NativeId);
        }
        var list = ListJson(await Watch(dir.Path, "list", "--json")).ToDictionary(e => e.GetProperty("seed").GetString()!);
        Assert.Equal("gone", list[seeds[0]].GetProperty("status").GetString());
        Assert.Equal("active", list[seeds[1]].GetProperty("status").GetString());
        Assert.Equal("gone", list[seeds[2]].GetProperty("status").GetString());

        // A check later: nothing more about them (no takedown again, no deletions).
        var before = ReadEvents(dir.Path).Count;
        var third = await Watch(dir.Path, Pass);
        Assert.True(third.ExitCode == 0, third.Error + third.Out);
        var later = ReadEvents(dir.Path).Skip(before).ToList();
        Assert.DoesNotContain(later, e => e.Type is ArchiveEventType.ChannelGone or ArchiveEventType.ChannelBack or ArchiveEventType.Deleted);

        // The takedowns end. The next check asks each account's lookup first, not the accounts/:id that showed it gone:
        // the lookup is the account's own answer too, so each is back in that check, once, with the lookup as evidence.
        replica.ClearTakedowns();
        before = ReadEvents(dir.Path).Count;
        var fourth = await Watch(dir.Path, Pass);
        Assert.True(fourth.ExitCode == 0, fourth.Error + fourth.Out);
        var back = ReadEvents(dir.Path).Skip(before).Where(e => e.Type is ArchiveEventType.ChannelGone or ArchiveEventType.ChannelBack).ToList();
        Assert.Equal(2, back.Count);
        using (var store = ArchiveStore.Open(dir.Path, readOnly: true))
        {
            foreach (var (account, platform, origin) in new[] { (goneGab, "gab", gabOrigin), (goneMastodon, "mastodon", mastodonOrigin) })
            {
                var e = Assert.Single(back, e => e.Type == ArchiveEventType.ChannelBack && e.Platform == platform);
                Assert.Equal(ids[$"{platform}:{origin}/@{account.Username}"], e.WatchId);
                AssertResponse(store, e.Evidence, 200, "/api/v1/accounts/lookup?acct=" + account.Username);
                Assert.Equal(AuthorStatus.Active, store.GetAuthor($"{platform}:{new Uri(origin).Authority}:{account.Id.ToString(CultureInfo.InvariantCulture)}")?.Status);
            }
        }
        list = ListJson(await Watch(dir.Path, "list", "--json")).ToDictionary(e => e.GetProperty("seed").GetString()!);
        // The accounts are active again; the deleted status stays gone.
        Assert.Equal(["active", "active", "active", "gone"], seeds.Select(s => list[s].GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_Telegram_channel_taken_down_after_its_first_page_is_back_at_its_first_page()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempArchive();
        await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 16, Size = ReplicaSize.Small, LogRequests = true }, ct);
        // A channel of several pages, so that the check asks for older pages after its first.
        var channel = replica.Network.Channels.OrderByDescending(c => c.Stream.BaseCount).First();
        var origin = replica.Endpoints.Origin(OriginKind.Telegram);
        var seed = $"telegram:{origin}/s/{channel.Name}";
        Assert.Equal(0, (await Watch(dir.Path, "add", seed, "--every", "1h")).ExitCode);
        var baseline = await Watch(dir.Path, Pass);
        Assert.True(baseline.ExitCode == 0, baseline.Error + baseline.Out);

        // Its first page answers, then the channel is gone: the takedown is seen at an older page.
        replica.TakeDown(channel.Name, 404, OriginKind.Telegram, afterRequests: 1);
        var second = await Watch(dir.Path, Pass);
        Assert.True(second.ExitCode == 0, second.Error + second.Out);
        var gone = Assert.Single(ReadEvents(dir.Path), e => e.Type == ArchiveEventType.ChannelGone);
        Assert.Contains("before=", gone.Evidence?.Url);

        // Back: its first page answers again with the channel's header. That page is the channel's own, though not
        // the URL that showed it gone.
        replica.ClearTakedowns();
        var third = await Watch(dir.Path, Pass);
        Assert.True(third.ExitCode == 0, third.Error + third.Out);
        var back = Assert.Single(ReadEvents(dir.Path), e => e.Type == ArchiveEventType.ChannelBack);
        Assert.Equal(gone.WatchId, back.WatchId);
        using (var store = ArchiveStore.Open(dir.Path, readOnly: true))
            AssertResponse(store, back.Evidence, 200, "/s/" + channel.Name);
        Assert.Equal("active", Assert.Single(ListJson(await Watch(dir.Path, "list", "--json"))).GetProperty("status").GetString());
    }

    private static long? StatusOf(string pathAndQuery) =>
        pathAndQuery.Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries) is ["api", "v1", "statuses", var id, ..]
        && long.TryParse(id, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static List<ArchiveEvent> ReadEvents(string data)
    {
        using var store = ArchiveStore.Open(data, readOnly: true);
        return store.ReadEvents().ToList();
    }

    private static List<JsonElement> ListJson(Support.Cli.Result result)
    {
        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        using var doc = JsonDocument.Parse(result.Out);
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static void AssertResponse(ArchiveStore store, Capture? capture, int status, string path)
    {
        Assert.True(capture is { WarcFile: not null, WarcOffset: not null }, $"{path}: no WARC record kept as evidence");
        var record = WarcReader.Read(Path.Combine(store.Paths.Warc, capture.WarcFile)).FirstOrDefault(r => r.Offset == capture.WarcOffset);
        Assert.True(record is { Type: "response" }, $"{path}: no response record at {capture.WarcFile}@{capture.WarcOffset}");
        Assert.Equal(status, record.Http?.Status);
        Assert.EndsWith(path, record.TargetUri);
    }
}
