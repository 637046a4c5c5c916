using System.Diagnostics;
using Archiver.Replica;

namespace Archiver.Tests.Replica;

public sealed class FaultTests
{
    private static Task<ReplicaHost> Start(string faults, ulong seed = 1, int version = 1) =>
        ReplicaHost.StartAsync(new ReplicaOptions { Seed = seed, Version = version, Faults = FaultSettings.Parse(faults) }, TestContext.Current.CancellationToken);

    private static async Task<List<int>> Statuses(ReplicaHost replica, HttpClient http, int n)
    {
        var list = new List<int>();
        var origin = replica.Endpoints.Origin(OriginKind.Telegram);
        for (var i = 0; i < n; i++) list.Add((await ReplicaFixture.GetAsync(http, $"{origin}/s/infolibre")).Status);
        return list;
    }

    [Fact]
    public async Task Error_faults_are_deterministic_for_a_seed_and_the_request_sequence()
    {
        using var http = ReplicaFixture.Client();
        await using var a = await Start("error=0.3");
        await using var b = await Start("error=0.3");
        await using var c = await Start("error=0.3", seed: 2);

        var first = await Statuses(a, http, 40);
        var second = await Statuses(b, http, 40);
        var other = await Statuses(c, http, 40);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.InRange(first.Count(s => s != 200), 4, 24);
        Assert.All(first.Where(s => s != 200), s => Assert.Contains(s, new[] { 500, 502, 503 }));
        Assert.Equal(first.Count(s => s != 200), a.Log.Requests.Count(r => r.Fault == FaultKind.Error));
    }

    [Fact]
    public async Task Too_many_requests_come_with_retry_after_and_robots_is_never_faulted()
    {
        using var http = ReplicaFixture.Client();
        await using var replica = await Start("429=1");
        var origin = replica.Endpoints.Origin(OriginKind.Mastodon);

        var (status, _, headers) = await ReplicaFixture.GetAsync(http, $"{origin}/api/v1/accounts/lookup?acct=alice");
        var (robots, _, _) = await ReplicaFixture.GetAsync(http, $"{origin}/robots.txt");

        Assert.Equal(429, status);
        Assert.InRange(int.Parse(headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 3);
        Assert.Equal(200, robots);
    }

    [Fact]
    public async Task Resets_abort_the_connection()
    {
        using var http = ReplicaFixture.Client();
        await using var replica = await Start("reset=1");

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"{replica.Endpoints.Origin(OriginKind.Forum)}/forum/", TestContext.Current.CancellationToken));
        Assert.Equal(1, replica.Log.CountOfStatus(0));
    }

    [Fact]
    public async Task Latency_and_slow_bodies_delay_the_answer_but_not_its_bytes()
    {
        using var http = ReplicaFixture.Client();
        await using var plain = await Start("");
        await using var slow = await Start("latency=100ms,slow=1,slowdelay=10ms");
        var path = "/s/freepress";

        var expected = (await ReplicaFixture.GetAsync(http, plain.Endpoints.Origin(OriginKind.Telegram) + path)).Body;
        var clock = Stopwatch.StartNew();
        var (status, body, _) = await ReplicaFixture.GetAsync(http, slow.Endpoints.Origin(OriginKind.Telegram) + path);

        Assert.Equal(200, status);
        Assert.Equal(expected.Replace(plain.Endpoints.Origin(OriginKind.Telegram), "O"), body.Replace(slow.Endpoints.Origin(OriginKind.Telegram), "O"));
        Assert.True(clock.ElapsedMilliseconds >= 100 + 15 * 10, $"took {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task A_takedown_after_n_requests_answers_its_status_from_then_on()
    {
        using var http = ReplicaFixture.Client();
        await using var replica = await Start("takedown=infolibre@after:3@410");
        var origin = replica.Endpoints.Origin(OriginKind.Telegram);

        var statuses = new List<int>();
        for (var i = 0; i < 5; i++) statuses.Add((await ReplicaFixture.GetAsync(http, $"{origin}/s/infolibre")).Status);
        var other = (await ReplicaFixture.GetAsync(http, $"{origin}/s/freepress")).Status;
        var permalink = (await ReplicaFixture.GetAsync(http, $"{origin}/infolibre/1")).Status;

        Assert.Equal([200, 200, 200, 410, 410], statuses);
        Assert.Equal(200, other);
        Assert.Equal(410, permalink);
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task A_takedown_at_a_moment_starts_then()
    {
        using var http = ReplicaFixture.Client();
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions
        {
            Faults = FaultSettings.Parse("forum.takedown=1002@at:2026-03-01T13:00:00Z@404"),
            Time = clock,
        }, TestContext.Current.CancellationToken);
        var url = $"{replica.Endpoints.Origin(OriginKind.Forum)}/forum/t/1002";

        var before = (await ReplicaFixture.GetAsync(http, url)).Status;
        clock.Now = clock.Now.AddHours(2);
        var after = (await ReplicaFixture.GetAsync(http, url)).Status;
        var otherThread = (await ReplicaFixture.GetAsync(http, url.Replace("1002", "1001", StringComparison.Ordinal))).Status;

        Assert.Equal(200, before);
        Assert.Equal(404, after);
        Assert.Equal(200, otherThread);
    }

    [Fact]
    public async Task Takedowns_and_authentication_switch_at_run_time()
    {
        using var http = ReplicaFixture.Client();
        await using var replica = await Start("");
        var origin = replica.Endpoints.Origin(OriginKind.Mastodon);
        var lookup = $"{origin}/api/v1/accounts/lookup?acct=alice";

        var before = await ReplicaFixture.GetAsync(http, lookup);
        replica.SetAuthRequired(OriginKind.Mastodon, true);
        var refused = await ReplicaFixture.GetAsync(http, lookup);
        var withToken = await ReplicaFixture.GetAsync(http, lookup, bearer: "token");
        replica.SetAuthRequired(OriginKind.Mastodon, false);
        replica.TakeDown("alice", 404, OriginKind.Mastodon);
        var gone = await ReplicaFixture.GetAsync(http, lookup);
        var statuses = await ReplicaFixture.GetAsync(http, $"{origin}/api/v1/accounts/{replica.Network.AccountsOf(Flavor.Mastodon)[0].Id}/statuses");
        replica.ClearTakedowns();
        var back = await ReplicaFixture.GetAsync(http, lookup);

        Assert.Equal(200, before.Status);
        Assert.Equal(401, refused.Status);
        Assert.Equal("{\"error\":\"This API requires an authenticated user\"}", refused.Body);
        Assert.Equal(200, withToken.Status);
        Assert.Equal(404, gone.Status);
        Assert.Equal(404, statuses.Status);
        Assert.Equal(200, back.Status);
    }

    [Fact]
    public async Task Faults_can_target_one_origin()
    {
        using var http = ReplicaFixture.Client();
        await using var replica = await Start("gab.error=1");

        var gab = await ReplicaFixture.GetAsync(http, $"{replica.Endpoints.Origin(OriginKind.Gab)}/api/v1/instance");
        var mastodon = await ReplicaFixture.GetAsync(http, $"{replica.Endpoints.Origin(OriginKind.Mastodon)}/api/v1/instance");

        Assert.InRange(gab.Status, 500, 503);
        Assert.Equal(200, mastodon.Status);
    }

    [Fact]
    public async Task Version_2_serves_edits_and_deletions_after_a_switch()
    {
        using var http = ReplicaFixture.Client();
        await using var replica = await Start("");
        var origin = replica.Endpoints.Origin(OriginKind.Telegram);
        var v1 = replica.Truth(1).TelegramPosts().ToDictionary(p => p.NativeId);
        var v2 = replica.Truth(2).TelegramPosts().ToDictionary(p => p.NativeId);
        var deleted = v1.Keys.Except(v2.Keys).First();
        var edited = v1.Keys.Intersect(v2.Keys).First(k => v1[k].Text != v2[k].Text);

        var deletedBefore = await ReplicaFixture.GetAsync(http, $"{origin}/{deleted}");
        var editedBefore = await ReplicaFixture.GetAsync(http, $"{origin}/{edited}");
        replica.SetVersion(2);
        var deletedAfter = await ReplicaFixture.GetAsync(http, $"{origin}/{deleted}");
        var editedAfter = await ReplicaFixture.GetAsync(http, $"{origin}/{edited}");

        Assert.Equal(200, deletedBefore.Status);
        Assert.Equal(404, deletedAfter.Status);
        Assert.DoesNotContain("edited &nbsp;", editedBefore.Body);
        Assert.Contains("edited &nbsp;", editedAfter.Body);
        Assert.Contains(v2[edited].Html!, editedAfter.Body);
        Assert.Equal(2, replica.Version);
    }
}
