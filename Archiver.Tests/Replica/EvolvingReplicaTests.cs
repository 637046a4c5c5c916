using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Archiver.Model;
using Archiver.Replica;
using Archiver.Storage;
using Archiver.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Archiver.Tests.Replica;

/// <summary>
/// The evolving replica (<c>replica serve --evolve</c>): what it serves at a time T is what its truth says of T on
/// every platform, the schedule is a function of the seed, and time moves only when its clock does.
/// </summary>
public sealed partial class EvolvingReplicaTests
{
    private static readonly DateTimeOffset Start = new(2025, 9, 15, 0, 0, 0, TimeSpan.Zero);
    private static readonly EvolveSettings Week = new() { Start = Start, Days = 7 };

    private static Task<ReplicaHost> StartAsync(FakeTimeProvider clock, ulong seed = 5) =>
        ReplicaHost.StartAsync(new ReplicaOptions { Seed = seed, Size = ReplicaSize.Small, Evolve = Week, Time = clock, LogRequests = false },
            TestContext.Current.CancellationToken);

    private static string Lines(ReplicaTruth truth)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        truth.WriteChangesAsync(writer, long.MaxValue, TestContext.Current.CancellationToken).GetAwaiter().GetResult();
        return writer.ToString();
    }

    [Fact]
    public void The_same_seed_schedules_the_same_changes_and_another_seed_other_ones()
    {
        var endpoints = ReplicaEndpoints.FromPort(8470);
        var a = Lines(new ReplicaTruth(new ReplicaNetwork(5, ReplicaSize.Small, Week), endpoints, 1));
        var b = Lines(new ReplicaTruth(new ReplicaNetwork(5, ReplicaSize.Small, Week), endpoints, 1));
        var c = Lines(new ReplicaTruth(new ReplicaNetwork(6, ReplicaSize.Small, Week), endpoints, 1));

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        var changes = new ReplicaTruth(new ReplicaNetwork(5, ReplicaSize.Small, Week), endpoints, 1).Changes().ToList();
        // Every kind of change on every platform that has it, inside the week, in time order.
        foreach (var platform in new[] { "telegram", "mastodon", "truthsocial", "gab", "site" })
            foreach (var type in new[] { ArchiveEventType.NewPost, ArchiveEventType.Edited, ArchiveEventType.Deleted })
                Assert.Contains(changes, x => x.Platform == platform && x.Type == type);
        foreach (var platform in new[] { "telegram", "mastodon", "truthsocial", "gab" })
            Assert.Contains(changes, x => x.Platform == platform && x.Type == ArchiveEventType.ChannelGone);
        Assert.Contains(changes, x => x.Type == ArchiveEventType.ChannelBack);
        Assert.All(changes, x => Assert.InRange(x.Time, Start.UtcDateTime, Week.End.UtcDateTime));
        Assert.Equal(changes.Select(x => x.Time).Order(), changes.Select(x => x.Time));
        // A change is keyed once: no post is published, edited or deleted twice.
        foreach (var type in new[] { ArchiveEventType.NewPost, ArchiveEventType.Edited, ArchiveEventType.Deleted })
        {
            var keys = changes.Where(x => x.Type == type).Select(x => x.Key!).ToList();
            Assert.Equal(keys.Count, keys.Distinct().Count());
        }
        // Busy and quiet channels: the busiest Telegram channel changes several times more often than the quietest.
        var perChannel = changes.Where(x => x.Platform == "telegram").GroupBy(x => x.Channel).Select(g => g.Count()).ToList();
        Assert.True(perChannel.Max() >= 3 * perChannel.Min(), string.Join(",", perChannel));
        // No version 2 besides the evolution, and a start before the last version-1 post is refused.
        Assert.Throws<UsageException>(() => new ReplicaOptions { Evolve = Week, Version = 2 }.Validate());
        Assert.Throws<UsageException>(() => new ReplicaNetwork(5, ReplicaSize.Small, new EvolveSettings { Start = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero) }));
    }

    [Fact]
    public void Ten_thousand_evolving_channels_build_without_a_copy_of_the_channel_list_per_channel()
    {
        // A watch list of 10,000 channels on the replica (issue 17's benchmark): the generators' "other channels"
        // lists were copies, 2 x 10^8 references (~1.6 GB) for 10,000 channels; they are views now.
        var size = ReplicaSize.Parse("channels:10000");
        var before = GC.GetAllocatedBytesForCurrentThread();
        var network = new ReplicaNetwork(5, size, Week);
        var telegram = new TelegramGenerator(network);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(10_001, network.Channels.Count);
        // Allocated in all (garbage included: the schedule generates the posts its edits pick); the copies alone were 1.6 GB.
        Assert.True(allocated < 1_000_000_000, $"{allocated:N0} bytes allocated");
        Assert.True(network.Evolution!.Changes.Count > 10_000, $"{network.Evolution.Changes.Count} changes");
        Assert.Contains(network.Evolution.Changes, c => c.Type == ArchiveEventType.ChannelGone && c.Origin == OriginKind.Telegram);
        var last = network.Channels[^2];
        Assert.NotNull(telegram.Post(last, last.Stream.Count(new ReplicaView(1, Week.End.ToUnixTimeMilliseconds())) - 1, new ReplicaView(1, Week.End.ToUnixTimeMilliseconds())));
    }

    [Fact]
    public void Before_the_start_the_evolving_network_is_version_1_of_the_static_one()
    {
        var endpoints = ReplicaEndpoints.FromPort(8470);
        var evolving = new ReplicaTruth(new ReplicaNetwork(5, ReplicaSize.Small, Week), endpoints, new ReplicaView(1, Start.ToUnixTimeMilliseconds() - 1));
        var plain = new ReplicaTruth(new ReplicaNetwork(5, ReplicaSize.Small), endpoints, 1);

        static List<string> Json(IEnumerable<Post> posts) => posts.Select(p => JsonSerializer.Serialize(p)).ToList();
        Assert.Equal(Json(plain.Posts()), Json(evolving.Posts()));
        Assert.Equal(Json(plain.FeedPosts()), Json(evolving.FeedPosts()));
        Assert.Empty(evolving.Takedowns());
    }

    [Fact]
    public void Between_two_moments_a_record_changes_only_by_a_change_the_truth_lists()
    {
        // What a watcher may observe between two checks: every post that appears, vanishes or says something else
        // (counts aside, which the archive does not treat as edits) is explained by a change in between.
        var network = new ReplicaNetwork(5, ReplicaSize.Small, Week);
        var endpoints = ReplicaEndpoints.FromPort(8470);
        var changes = new ReplicaTruth(network, endpoints, 1).Changes().ToList();
        static string ChannelKey(Post p) => p.Platform switch
        {
            "telegram" => PostKey.Of(p.Platform, p.Host, p.Channel!),
            "site" => p.Channel!,
            _ => PostKey.Of(p.Platform, p.Host, p.AuthorId!),
        };
        Dictionary<string, (Post Post, string Content)> State(DateTimeOffset at) =>
            new ReplicaTruth(network, endpoints, new ReplicaView(1, at.ToUnixTimeMilliseconds())).Posts()
                .ToDictionary(p => p.Key, p => (p, JsonSerializer.Serialize(p with { Views = null, Likes = null, Shares = null, Replies = null })));

        var previous = State(Start - TimeSpan.FromMilliseconds(1));
        var unexplained = new List<string>();
        int appeared = 0, vanished = 0, changed = 0, visibleEdits = 0;
        for (var at = Start + TimeSpan.FromHours(6); at <= Week.End; at += TimeSpan.FromHours(6))
        {
            var from = (at - TimeSpan.FromHours(6)).UtcDateTime;
            var between = changes.Where(c => c.Time > from && c.Time <= at.UtcDateTime).ToList();
            bool Has(ArchiveEventType type, string key) => between.Any(c => c.Type == type && (c.Key ?? c.ChannelKey) == key);
            var current = State(at);
            // An edit shows unless the post was published or deleted in the same interval (or its channel was down).
            visibleEdits += between.Count(c => c.Type == ArchiveEventType.Edited && previous.ContainsKey(c.Key!) && current.ContainsKey(c.Key!));
            foreach (var (key, (post, content)) in current)
            {
                if (!previous.TryGetValue(key, out var before))
                {
                    appeared++;
                    if (!Has(ArchiveEventType.NewPost, key) && !Has(ArchiveEventType.ChannelBack, ChannelKey(post))) unexplained.Add($"{at:O} appeared {key}");
                }
                else if (before.Content != content)
                {
                    changed++;
                    if (!Has(ArchiveEventType.Edited, key)) unexplained.Add($"{at:O} changed {key}: {before.Content} -> {content}");
                }
            }
            foreach (var (key, (post, _)) in previous)
                if (!current.ContainsKey(key))
                {
                    vanished++;
                    if (!Has(ArchiveEventType.Deleted, key) && !Has(ArchiveEventType.ChannelGone, ChannelKey(post))) unexplained.Add($"{at:O} vanished {key}");
                }
            previous = current;
        }

        Assert.True(unexplained.Count == 0, $"{unexplained.Count} unexplained:\n" + string.Join("\n", unexplained.Take(5)));
        Assert.True(appeared > 0 && vanished > 0 && changed > 0, $"{appeared} appeared, {vanished} vanished, {changed} changed");
        // And the other way: every post change in the list shows in the states.
        Assert.Equal(visibleEdits, changed);
    }

    [Fact]
    public async Task Time_moves_only_when_the_clock_moves()
    {
        var clock = new FakeTimeProvider(Start);
        await using var replica = await StartAsync(clock);
        using var http = ReplicaFixture.Client();
        var first = replica.Changes().First(c => c.Platform == "telegram" && c.Type == ArchiveEventType.NewPost);
        var page = $"{replica.Endpoints.Origin(OriginKind.Telegram)}/s/{first.Channel}";

        var (_, before, _) = await ReplicaFixture.GetAsync(http, page);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        var (_, still, _) = await ReplicaFixture.GetAsync(http, page);
        Assert.Equal(before, still);
        Assert.DoesNotContain($"data-post=\"{first.NativeId}\"", before);
        Assert.Empty(replica.Changes(replica.Now));

        clock.SetUtcNow(first.Time);
        var (_, after, _) = await ReplicaFixture.GetAsync(http, page);
        Assert.Contains($"data-post=\"{first.NativeId}\"", after);
        var (nowStatus, now, _) = await ReplicaFixture.GetAsync(http, $"{replica.Endpoints.Origin(OriginKind.Gab)}/__replica/now");
        Assert.Equal(200, nowStatus);
        Assert.Equal(first.Time, JsonDocument.Parse(now).RootElement.GetProperty("now").GetDateTime().ToUniversalTime(), TimeSpan.FromMilliseconds(1));
        // The live truth lists what has happened up to now, as 'replica truth --evolve' does.
        var (_, live, _) = await ReplicaFixture.GetAsync(http, $"{replica.Endpoints.Origin(OriginKind.Telegram)}/__replica/changes");
        var liveLines = live.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(replica.Changes(replica.Now).Count(), liveLines.Length);
        Assert.Contains(liveLines, l => l.Contains(first.Key!, StringComparison.Ordinal));
    }

    [Fact]
    public void A_scaled_clock_runs_faster_than_the_one_below_it()
    {
        var real = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var scaled = new ScaledTimeProvider(Start, 3600, real);

        Assert.Equal(Start, scaled.GetUtcNow());
        real.Advance(TimeSpan.FromSeconds(24));
        Assert.Equal(Start + TimeSpan.FromDays(1), scaled.GetUtcNow());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(2.9)]
    [InlineData(4.2)]
    [InlineData(7.0)]
    public async Task What_is_served_at_a_time_is_the_truth_of_that_time_on_every_platform(double days)
    {
        var clock = new FakeTimeProvider(Start);
        await using var replica = await StartAsync(clock);
        using var http = ReplicaFixture.Client();
        var at = Start + TimeSpan.FromDays(days);
        clock.SetUtcNow(at);
        var truth = replica.Truth();
        Assert.Equal(at.ToUnixTimeMilliseconds(), truth.View.AtMs);
        var changes = replica.Changes(at).ToList();
        var gone = truth.Takedowns().ToDictionary(t => t.Key);
        if (days >= 4.2) Assert.NotEmpty(gone);

        // Telegram: every page of each channel lists exactly the truth's posts; a channel gone answers its status.
        var tg = replica.Endpoints.Origin(OriginKind.Telegram);
        foreach (var c in replica.Network.Channels)
        {
            var (status, _, _) = await ReplicaFixture.GetAsync(http, $"{tg}/s/{c.Name}");
            if (truth.TakenDown(OriginKind.Telegram, c.Name) is { } down)
            {
                Assert.Equal(down, status);
                var (feedStatus, _, _) = await ReplicaFixture.GetAsync(http, $"{replica.Endpoints.Origin(OriginKind.Feeds)}/feeds/{c.Name}.rss");
                Assert.Equal(404, feedStatus);
                continue;
            }
            Assert.Equal(200, status);
            Assert.Equal(truth.TelegramPosts(c).Select(p => p.NativeId).Order(), (await TelegramListing(http, tg, c.Name)).Order());
        }

        // Mastodon, Truth Social, Gab: the account timelines list exactly the truth's statuses; taken down: 410 / 404.
        foreach (var flavor in Enum.GetValues<Flavor>())
        {
            var origin = replica.Endpoints.Origin(ReplicaEndpoints.OriginOf(flavor));
            foreach (var a in replica.Network.AccountsOf(flavor))
            {
                var id = a.Id.ToString(CultureInfo.InvariantCulture);
                var (status, _, _) = await ReplicaFixture.GetAsync(http, $"{origin}/api/v1/accounts/{id}");
                if (truth.TakenDown(ReplicaEndpoints.OriginOf(flavor), a.Username) is { } down)
                {
                    Assert.Equal(flavor == Flavor.Gab ? 404 : 410, down);
                    Assert.Equal(down, status);
                    continue;
                }
                Assert.Equal(200, status);
                Assert.Equal(truth.ApiPosts(a).Select(p => p.NativeId).Order(), (await ApiListing(http, origin, id)).Order());
            }
        }

        // Forum: the thread pages hold exactly the truth's posts.
        var forum = replica.Endpoints.Origin(OriginKind.Forum);
        foreach (var t in replica.Network.Threads)
            Assert.Equal(truth.ForumPosts().Where(p => p.Channel == $"{forum}/forum/t/{t.Id}").Select(p => p.NativeId).Order(), (await ForumListing(http, forum, t.Id)).Order());

        // Each change so far shows as the platform shows it: deleted → 404, edited → the label / edited_at and the new text.
        var posts = truth.Posts().ToDictionary(p => p.Key);
        foreach (var change in changes.Where(c => c.Key is not null))
        {
            var channelGone = gone.ContainsKey(change.ChannelKey);
            var url = change.Platform switch
            {
                "telegram" => $"{tg}/{change.NativeId}",
                "site" => null,
                _ => $"{change.Url![..change.Url!.IndexOf('/', 8)]}/api/v1/statuses/{change.NativeId}",
            };
            var deletedLater = changes.Any(c => c.Type == ArchiveEventType.Deleted && c.Key == change.Key);
            if (change.Type == ArchiveEventType.Deleted || deletedLater)
            {
                Assert.False(posts.ContainsKey(change.Key!), change.Key);
                if (url is not null && !channelGone) Assert.Equal(404, (await ReplicaFixture.GetAsync(http, url)).Status);
                continue;
            }
            if (channelGone) continue;
            Assert.True(posts.ContainsKey(change.Key!), $"{change.Type} {change.Key} missing from the truth at {at:O}");
            if (url is null) continue;
            var (status, body, _) = await ReplicaFixture.GetAsync(http, url);
            Assert.Equal(200, status);
            var edited = changes.Any(c => c.Type == ArchiveEventType.Edited && c.Key == change.Key);
            if (change.Platform == "telegram") Assert.Equal(edited, body.Contains("edited &nbsp;", StringComparison.Ordinal));
            else if (edited)
                Assert.Equal(changes.Last(c => c.Type == ArchiveEventType.Edited && c.Key == change.Key).Time,
                    JsonDocument.Parse(body).RootElement.GetProperty("edited_at").GetDateTime().ToUniversalTime(), TimeSpan.FromMilliseconds(1));
            if (edited) Assert.Equal(changes.Last(c => c.Type == ArchiveEventType.Edited && c.Key == change.Key).Text, posts[change.Key!].Text);
        }
    }

    [Fact]
    public async Task A_crawl_at_a_time_stores_exactly_the_truths_posts_and_a_recheck_later_its_changes()
    {
        using var dir = new TempArchive();
        var t1 = Start + TimeSpan.FromDays(0.5);
        var t2 = Start + TimeSpan.FromDays(4.2);
        var clock = new FakeTimeProvider(t1);
        await using var replica = await StartAsync(clock);
        var seeds = replica.Seeds.Where(s => !s.Contains("/js/", StringComparison.Ordinal)).ToList();
        Task<Support.Cli.Result> Crawl(params string[] extra) =>
            Support.Cli.RunAsync(["crawl", "--data", dir.Path, "--allow-private", "--rate", "0", "--per-host", "4", "--no-media", "--no-index", "-q", .. extra, .. seeds]);
        static Dictionary<string, Post> Expected(ReplicaTruth truth) =>
            truth.Posts().Where(p => p.Platform != "site" || p.Extra["profile"] == "replica-forum").Concat(truth.FeedPosts()).ToDictionary(p => p.Key);
        Assert.Contains(replica.Changes(t1), c => c.Type == ArchiveEventType.NewPost);

        // At t1 (changes made, no channel down yet) a crawl stores exactly what the truth of t1 lists.
        var first = await Crawl();
        Assert.True(first.ExitCode == 0, first.Error + first.Out);
        var atT1 = Expected(replica.Truth());
        Dictionary<string, StoredPost> stored;
        using (var store = ArchiveStore.Open(dir.Path, readOnly: true)) stored = store.ScanPosts().ToDictionary(p => p.Key);
        var missing = atT1.Keys.Where(k => !stored.ContainsKey(k)).ToList();
        var extra = stored.Keys.Where(k => !atT1.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {atT1.Count} not stored: " + string.Join(", ", missing.Take(10)));
        Assert.True(extra.Count == 0, $"{extra.Count} stored that the truth does not list at {t1:O}: " + string.Join(", ", extra.Take(10)));
        var differentText = atT1.Values.Where(p => stored[p.Key].Post.Text != p.Text).Select(p => p.Key).ToList();
        Assert.True(differentText.Count == 0, "text differs: " + string.Join(", ", differentText.Take(10)));

        // At t2, after edits, deletions and takedowns, one re-check stores the truth of t2 and records the takedowns.
        clock.SetUtcNow(t2);
        var truth = replica.Truth();
        var between = replica.Changes(t2).Where(c => c.Time > t1.UtcDateTime).ToList();
        foreach (var type in new[] { ArchiveEventType.NewPost, ArchiveEventType.Edited, ArchiveEventType.Deleted, ArchiveEventType.ChannelGone })
            Assert.Contains(between, c => c.Type == type);
        var recheck = await Crawl("--recheck");
        Assert.True(recheck.ExitCode is 0 or 1, recheck.Error + recheck.Out);
        var atT2 = Expected(truth);
        using (var store = ArchiveStore.Open(dir.Path, readOnly: true))
        {
            stored = store.ScanPosts().ToDictionary(p => p.Key);
            missing = atT2.Keys.Where(k => !stored.ContainsKey(k)).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} of {atT2.Count} not stored: " + string.Join(", ", missing.Take(10)));
            differentText = atT2.Values.Where(p => p.Platform != "feed" && stored[p.Key].Post.Text != p.Text).Select(p => p.Key).ToList();
            Assert.True(differentText.Count == 0, "text differs: " + string.Join(", ", differentText.Take(10)));
            Assert.All(between.Where(c => c.Type == ArchiveEventType.Edited && atT2.ContainsKey(c.Key!)), c => Assert.Equal(c.Text, stored[c.Key!].Post.Text));
            foreach (var t in truth.Takedowns())
            {
                var author = store.GetAuthor(t.Key);
                Assert.True(author is { Status: AuthorStatus.Gone }, $"{t.Platform} {t.Name} answered {t.Status} but is {author?.Status}");
                Assert.Equal(t.Status, author!.GoneStatus);
            }
            // Deleted between t1 and t2 (archived at t1, channel still up): marked deleted; nothing else is.
            var gone = truth.Takedowns().Select(t => t.Key).ToHashSet();
            var deleted = between.Where(c => c.Type == ArchiveEventType.Deleted && atT1.ContainsKey(c.Key!) && !gone.Contains(c.ChannelKey)).Select(c => c.Key!).ToHashSet();
            Assert.NotEmpty(deleted);
            var missedDeletions = deleted.Where(k => !stored[k].IsDeleted).ToList();
            var falseDeletions = stored.Values.Where(p => p.IsDeleted && !deleted.Contains(p.Key) && !p.Key.StartsWith("feed:", StringComparison.Ordinal)).Select(p => $"{p.Key} ({p.DeletedStatus}: {p.DeletedReason})").ToList();
            TestContext.Current.SendDiagnosticMessage($"{deleted.Count} deletions between t1 and t2, {missedDeletions.Count} missed, {falseDeletions.Count} false");
            Assert.True(falseDeletions.Count == 0, "false deletions: " + string.Join("\n", falseDeletions.Take(10)));
            Assert.True(missedDeletions.Count == 0, $"{missedDeletions.Count} of {deleted.Count} deletions missed: " + string.Join(", ", missedDeletions.Take(10)));
        }
    }

    [Fact]
    public async Task Replica_truth_evolve_writes_the_changes_and_the_state_at_a_time()
    {
        var changes = await Support.Cli.RunAsync("replica", "truth", "--evolve", "--seed", "5", "--evolve-start", "2025-09-15T00:00:00Z", "--evolve-days", "7", "--out", "-");
        var until = await Support.Cli.RunAsync("replica", "truth", "--evolve", "--seed", "5", "--evolve-start", "2025-09-15T00:00:00Z", "--until", "2025-09-17T00:00:00Z", "--out", "-");
        var state = await Support.Cli.RunAsync("replica", "truth", "--evolve", "--seed", "5", "--evolve-start", "2025-09-15T00:00:00Z", "--at", "2025-09-19T04:48:00Z", "--out", "-");
        var noStart = await Support.Cli.RunAsync("replica", "truth", "--evolve", "--out", "-");
        var scaleAlone = await Support.Cli.RunAsync("replica", "serve", "--time-scale", "60");

        Assert.True(changes.ExitCode == 0, changes.Error);
        var lines = changes.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var expected = new ReplicaTruth(new ReplicaNetwork(5, ReplicaSize.Small, Week), ReplicaEndpoints.FromPort(8470), 1).Changes().ToList();
        Assert.Equal(expected.Count, lines.Count);
        Assert.Equal(["channel_back", "channel_gone", "deleted", "edited", "new_post"], lines.Select(l => l.GetProperty("type").GetString()!).Distinct().Order());
        var post = lines.First(l => l.GetProperty("type").GetString() == "new_post");
        foreach (var field in new[] { "time", "platform", "host", "channel", "channel_key", "key", "native_id", "url", "text" })
            Assert.True(post.TryGetProperty(field, out _), field);
        var down = lines.First(l => l.GetProperty("type").GetString() == "channel_gone");
        Assert.Contains(down.GetProperty("status").GetInt32(), new[] { 404, 410, 451 });
        Assert.Equal(expected.Count(c => c.Time <= new DateTime(2025, 9, 17, 0, 0, 0, DateTimeKind.Utc)), until.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        Assert.True(state.ExitCode == 0, state.Error);
        var stateLines = state.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var truthAt = new ReplicaTruth(new ReplicaNetwork(5, ReplicaSize.Small, Week), ReplicaEndpoints.FromPort(8470),
            new ReplicaView(1, new DateTimeOffset(2025, 9, 19, 4, 48, 0, TimeSpan.Zero).ToUnixTimeMilliseconds()));
        Assert.Equal(truthAt.Posts().Count(), stateLines.Count(l => l.GetProperty("type").GetString() == "post"));
        Assert.Equal(truthAt.Takedowns().Count(), stateLines.Count(l => l.GetProperty("type").GetString() == "takedown"));

        Assert.Equal(2, noStart.ExitCode);
        Assert.Contains("--evolve-start", noStart.Error);
        Assert.Equal(2, scaleAlone.ExitCode);
    }

    [Fact]
    public async Task Replica_serve_evolve_runs_its_clock_time_scale_times_faster_and_serves_its_changes_live()
    {
        using var process = ArchiverProcess.Start("replica", "serve", "--evolve", "--seed", "5", "--evolve-start", "2025-09-15T00:00:00Z",
            "--evolve-days", "7", "--time-scale", "86400", "--port", "0");
        try
        {
            var output = new List<string>();
            while (await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line && !line.StartsWith("Serving until", StringComparison.Ordinal))
                output.Add(line);
            var telegram = output.Select(l => l.Trim()).First(l => l.StartsWith("Telegram ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            Assert.Contains(output, l => l.StartsWith("Evolving: ", StringComparison.Ordinal) && l.Contains("x86400", StringComparison.Ordinal));
            Assert.Contains(output, l => l.Contains("archiver replica truth --evolve --seed 5", StringComparison.Ordinal));
            using var http = ReplicaFixture.Client();
            async Task<DateTime> Now() => JsonDocument.Parse((await ReplicaFixture.GetAsync(http, $"{telegram}/__replica/now")).Body).RootElement.GetProperty("now").GetDateTime().ToUniversalTime();

            var before = await Now();
            await Task.Delay(1000, TestContext.Current.CancellationToken);
            var after = await Now();
            // A real second is a simulated day (a little more, for the requests' own time).
            Assert.InRange(after - before, TimeSpan.FromHours(23), TimeSpan.FromHours(40));
            var (status, live, _) = await ReplicaFixture.GetAsync(http, $"{telegram}/__replica/changes?until=2025-09-17T00:00:00Z");
            Assert.Equal(200, status);
            // Origins on free ports are not consecutive, so compare what does not name a host: each change's time, type and channel.
            var expected = new ReplicaTruth(new ReplicaNetwork(5, ReplicaSize.Small, Week), ReplicaEndpoints.FromPort(8470), 1)
                .Changes(new DateTimeOffset(2025, 9, 17, 0, 0, 0, TimeSpan.Zero)).Select(c => $"{c.Time:O} {c.Type} {c.Channel[(c.Channel.LastIndexOf('/') + 1)..]}").ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, live.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
                .Select(e => $"{e.GetProperty("time").GetDateTime().ToUniversalTime():O} {Enum.Parse<ArchiveEventType>(e.GetProperty("type").GetString()!.Replace("_", ""), ignoreCase: true)} {e.GetProperty("channel").GetString()![(e.GetProperty("channel").GetString()!.LastIndexOf('/') + 1)..]}").ToList());
        }
        finally
        {
            ArchiverProcess.KillHard(process);
        }
    }

    private static async Task<List<string>> TelegramListing(HttpClient http, string origin, string channel)
    {
        var ids = new List<string>();
        string? url = $"{origin}/s/{channel}";
        while (url is not null)
        {
            Assert.True(ids.Count < 5000, "paging did not end");
            var (status, body, _) = await ReplicaFixture.GetAsync(http, url);
            Assert.Equal(200, status);
            ids.AddRange(DataPost().Matches(body).Select(m => m.Groups[1].Value));
            var before = DataBefore().Match(body);
            url = before.Success ? $"{origin}/s/{channel}?before={before.Groups[1].Value}" : null;
        }
        return ids;
    }

    private static async Task<List<string>> ApiListing(HttpClient http, string origin, string accountId)
    {
        var ids = new List<string>();
        string? url = $"{origin}/api/v1/accounts/{accountId}/statuses?limit=40";
        while (url is not null)
        {
            Assert.True(ids.Count < 5000, "paging did not end");
            var (status, body, headers) = await ReplicaFixture.GetAsync(http, url);
            Assert.Equal(200, status);
            var page = JsonDocument.Parse(body).RootElement.EnumerateArray().ToList();
            ids.AddRange(page.Select(s => s.GetProperty("id") is { ValueKind: JsonValueKind.Number } n ? n.GetInt64().ToString(CultureInfo.InvariantCulture) : s.GetProperty("id").GetString()!));
            url = page.Count == 0 ? null : headers.TryGetValues("Link", out var link) && NextLink().Match(string.Join(",", link)) is { Success: true } m ? m.Groups[1].Value : null;
        }
        return ids;
    }

    private static async Task<List<string>> ForumListing(HttpClient http, string origin, int thread)
    {
        var ids = new List<string>();
        for (var page = 1; ; page++)
        {
            var (status, body, _) = await ReplicaFixture.GetAsync(http, $"{origin}/forum/t/{thread}?page={page}");
            Assert.Equal(200, status);
            ids.AddRange(PostId().Matches(body).Select(m => m.Groups[1].Value));
            if (!body.Contains("rel=\"next\"", StringComparison.Ordinal)) return ids;
        }
    }

    [GeneratedRegex("data-post=\"([^\"]+)\"")]
    private static partial Regex DataPost();

    [GeneratedRegex("data-before=\"(\\d+)\"")]
    private static partial Regex DataBefore();

    [GeneratedRegex("<([^>]+)>; rel=\"next\"")]
    private static partial Regex NextLink();

    [GeneratedRegex("data-post-id=\"(\\d+)\"")]
    private static partial Regex PostId();
}
