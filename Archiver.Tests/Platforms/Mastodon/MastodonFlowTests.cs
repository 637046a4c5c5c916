using Archiver.Platforms;
using Archiver.Platforms.Mastodon;

namespace Archiver.Tests.Platforms.Mastodon;

/// <summary>The crawl flow: lookup, statuses by Link header, threads, histories, refusals and rate limits; fork deviations.</summary>
public sealed class MastodonFlowTests
{
    [Fact]
    public void Looks_up_an_account_then_asks_for_its_statuses()
    {
        Assert.True(MastodonPlatform.Mastodon.TryParseSeed("mastodon:http://localhost:3000/@mastodonpy_test", out var seed));
        var lookup = Assert.Single(MastodonPlatform.Mastodon.Start(seed));
        Assert.Equal(("http://localhost:3000/api/v1/accounts/lookup?acct=mastodonpy_test", MastodonApi.Lookup), (lookup.Url.AbsoluteUri, lookup.Purpose));

        var result = MastodonPages.Parse("test_account__01_GET_api_v1_accounts_117020457910412882.json", lookup);

        var next = Assert.Single(result.Next);
        Assert.Equal(("http://localhost:3000/api/v1/accounts/117020457910412882/statuses?limit=40", MastodonApi.AccountStatuses, 1000), (next.Url.AbsoluteUri, next.Purpose, next.Priority));
        Assert.Equal("117020457910412882", next.Context["account_id"]);
        Assert.Equal("mastodonpy_test", next.Context["acct"]);
    }

    [Fact]
    public void Pages_a_timeline_only_by_the_link_header()
    {
        var request = MastodonPages.Request("http://localhost:3000/api/v1/timelines/tag/hoot", MastodonApi.TagTimeline, priority: 1000);
        var result = MastodonPages.Parse("test_hashtag_tl__02_GET_api_v1_timelines_tag_hoot.json", request);
        var next = Assert.Single(result.Next);
        Assert.Equal(("http://localhost:3000/api/v1/timelines/tag/hoot?max_id=117020593741189701", MastodonApi.TagTimeline, 999), (next.Url.AbsoluteUri, next.Purpose, next.Priority));

        var withoutLink = MastodonPlatform.Mastodon.Parse(MastodonPages.Json("http://localhost:3000/api/v1/timelines/tag/hoot", "[]", request: request, headers: ("Link", "<http://localhost:3000/api/v1/timelines/tag/hoot?max_id=1>; rel=\"next\"")));
        Assert.Empty(withoutLink.Next);
        Assert.Empty(withoutLink.Problems);
    }

    [Fact]
    public void Asks_for_threads_of_replied_statuses_and_history_of_edited_ones()
    {
        var json = """
            [{"id":"10","created_at":"2025-01-02T03:04:05Z","content":"<p>root</p>","replies_count":2,"account":{"id":"1","acct":"a"}},
             {"id":"9","created_at":"2025-01-02T03:00:00Z","content":"<p>re</p>","in_reply_to_id":"8","edited_at":"2025-01-03T00:00:00Z","account":{"id":"1","acct":"a"}},
             {"id":"7","created_at":"2025-01-01T00:00:00Z","content":"<p>quiet</p>","replies_count":0,"account":{"id":"1","acct":"a"}}]
            """;
        var request = MastodonPages.Request("https://m.example/api/v1/accounts/1/statuses?limit=40", MastodonApi.AccountStatuses, priority: 900);
        var result = MastodonPlatform.Mastodon.Parse(MastodonPages.Json("https://m.example/api/v1/accounts/1/statuses?limit=40", json, request: request));
        Assert.Equal(
            ["https://m.example/api/v1/statuses/10/context", "https://m.example/api/v1/statuses/9/context", "https://m.example/api/v1/statuses/9/history"],
            result.Next.Select(n => n.Url.AbsoluteUri));
        Assert.All(result.Next, n => Assert.Equal((898, 1), (n.Priority, n.Depth)));
        Assert.Equal(["10", "9", "7"], result.Posts.Select(p => p.NativeId));
    }

    [Fact]
    public void Stops_a_timeline_at_since_and_keeps_only_statuses_in_range()
    {
        var json = """
            [{"id":"3","created_at":"2025-03-01T00:00:00Z","content":"new","account":{"id":"1","acct":"a"}},
             {"id":"2","created_at":"2025-02-01T00:00:00Z","content":"mid","account":{"id":"1","acct":"a"}},
             {"id":"1","created_at":"2025-01-01T00:00:00Z","content":"old","account":{"id":"1","acct":"a"}}]
            """;
        var request = MastodonPages.Request("https://m.example/api/v1/accounts/1/statuses", MastodonApi.AccountStatuses, context: [("since", "2025-01-15"), ("until", "2025-02-15")]);
        var result = MastodonPlatform.Mastodon.Parse(MastodonPages.Json("https://m.example/api/v1/accounts/1/statuses", json, request: request,
            headers: ("Link", "<https://m.example/api/v1/accounts/1/statuses?max_id=1>; rel=\"next\"")));
        Assert.Equal(["2"], result.Posts.Select(p => p.NativeId));
        Assert.Empty(result.Next);
    }

    [Theory]
    [InlineData(401, """{"error":"This API requires an authenticated user"}""", "This API requires an authenticated user")]
    [InlineData(403, """{"error":"Public timeline preview is disabled"}""", "Public timeline preview is disabled")]
    [InlineData(403, "<html>Forbidden</html>", "<html>Forbidden</html>")]
    [InlineData(401, "", "no reason given")]
    public void Reports_a_refusal_as_fatal_naming_the_host_and_reason(int status, string body, string reason)
    {
        var result = MastodonPlatform.TruthSocial.Parse(MastodonPages.Json("https://truthsocial.com/api/v1/accounts/lookup?acct=x", body, status));
        var problem = Assert.Single(result.Problems);
        Assert.True(problem.Fatal);
        Assert.Equal($"truthsocial.com refuses unauthenticated access to /api/v1/accounts/lookup (HTTP {status}: {reason}); the server's public API or public preview is switched off, so it cannot be archived without an account.", problem.Reason);
        Assert.Empty(result.Posts);
    }

    [Fact]
    public void Reads_rate_limit_headers_on_answers_and_refusals()
    {
        (string, string)[] headers = [("X-RateLimit-Limit", "300"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "2026-08-01T14:05:00.123456Z")];
        var limited = MastodonPlatform.Mastodon.Parse(MastodonPages.Json("https://m.example/api/v1/timelines/tag/x", """{"error":"Too many requests"}""", 429, headers: headers));
        Assert.Equal(new RateLimitInfo(300, 0, new DateTime(2026, 8, 1, 14, 5, 0, 123, DateTimeKind.Utc).AddTicks(4560)), limited.RateLimit);
        Assert.Equal("m.example is rate limiting (HTTP 429: Too many requests); retry after 2026-08-01T14:05:00.1234560Z", Assert.Single(limited.Problems).Reason);
        Assert.False(limited.Problems[0].Fatal);

        var ok = MastodonPlatform.Gab.Parse(MastodonPages.Json("https://gab.com/api/v1/timelines/tag/x", "[]", headers: [("x-ratelimit-limit", "100"), ("x-ratelimit-remaining", "99"), ("x-ratelimit-reset", "1767225600")]));
        Assert.Equal(new RateLimitInfo(100, 99, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)), ok.RateLimit);
        Assert.Null(MastodonPlatform.Gab.Parse(MastodonPages.Json("https://gab.com/api/v1/timelines/tag/x", "[]")).RateLimit);
    }

    [Fact]
    public void Marks_a_missing_account_or_status_as_gone()
    {
        var request = MastodonPages.Request("https://m.example/api/v1/accounts/lookup?acct=ghost", MastodonApi.Lookup, context: [("acct", "ghost")]);
        var account = MastodonPlatform.Mastodon.Parse(MastodonPages.Json(request.Url.AbsoluteUri, """{"error":"Record not found"}""", 404, request));
        Assert.Equal(new GoneEntity("mastodon:m.example:ghost", "account", 404, "m.example: Record not found"), Assert.Single(account.Gone));
        var status = MastodonPlatform.Mastodon.Parse(MastodonPages.Json("https://m.example/api/v1/statuses/55", """{"error":"Record not found"}""", 410));
        Assert.Equal(new GoneEntity("mastodon:m.example:55", "post", 410, "m.example: Record not found"), Assert.Single(status.Gone));
    }

    [Fact]
    public void An_account_answered_with_suspended_true_is_gone_and_its_emptied_profile_is_not_stored()
    {
        // Mastodon's answer for a suspended account: 200, the profile emptied, "suspended": true.
        var request = MastodonPages.Request("https://m.example/api/v1/accounts/7", MastodonApi.Account, context: [("account_id", "7")]);
        var json = """{"id":"7","username":"alice","acct":"alice","display_name":"","note":"","suspended":true,"followers_count":0}""";

        var result = MastodonPlatform.Mastodon.Parse(MastodonPages.Json(request.Url.AbsoluteUri, json, 200, request));

        Assert.Equal(new GoneEntity("mastodon:m.example:7", "account", 200, "m.example: the account is suspended"), Assert.Single(result.Gone));
        Assert.Empty(result.Authors);
        Assert.Empty(result.Next);
    }

    [Theory]
    [InlineData(410, "This account has been suspended")]
    [InlineData(404, "Your account is suspended")]
    [InlineData(451, "This account has been suspended")]
    public void A_status_unavailable_because_its_account_is_suspended_is_no_deletion(int status, string error)
    {
        // The takedown of the account, not a deletion by its author: the account's own answer records the takedown.
        var result = MastodonPlatform.TruthSocial.Parse(MastodonPages.Json("https://truth.example/api/v1/statuses/55", $$"""{"error":"{{error}}"}""", status));

        Assert.Empty(result.Gone);
        Assert.Empty(result.Posts);
        Assert.Contains("not recorded as deleted", Assert.Single(result.Problems).Reason);
    }

    [Theory]
    [InlineData("https://m.example/api/v1/statuses/55/history", "https://m.example/api/v1/statuses/55")]
    [InlineData("https://m.example/api/v1/statuses/55/context", "https://m.example/api/v1/statuses/55")]
    [InlineData("https://m.example/api/v1/accounts/7/statuses?limit=40", "https://m.example/api/v1/accounts/7")]
    public void A_404_on_a_sub_resource_is_no_deletion_and_asks_the_resource_itself(string url, string asked)
    {
        // Servers answer 404 for "no edit history" or an endpoint they lack: only the status or account itself is evidence.
        var result = MastodonPlatform.Mastodon.Parse(MastodonPages.Json(url, """{"error":"Record not found"}""", 404));

        Assert.Empty(result.Gone);
        Assert.Empty(result.Problems);
        Assert.Equal(asked, Assert.Single(result.Next).Url.AbsoluteUri);
    }

    [Fact]
    public void Tolerates_fork_deviations_in_statuses()
    {
        // Numbers for ids and counts, Gab's revised_at and quote_of_id, a quote given directly as a status, a null
        // account, camelCase keys, unknown extra fields and a missing content.
        var json = """
            [{"id":114241306148201991,"created_at":"2025-03-28T19:36:07.570Z","content":"<p>Truth!</p>","account":null,
              "favourites_count":"17","reblogs_count":3.0,"replies_count":null,"revised_at":"2025-03-28T20:00:00+02:00",
              "quote_of_id":42,"quote":{"id":42,"content":"<p>quoted</p>","account":{"id":7,"username":"q"}},"group":{"id":"1"},"tv":null},
             {"id":"2","createdAt":"2025-03-28T10:00:00Z","spoilerText":"cw","mediaAttachments":[{"type":"gifv","url":"https://g/1.mp4","meta":{"original":{"width":"640","duration":2.5}}}],"account":{"id":"5","acct":"x","displayName":"X"}},
             {"id":"3"},
             "not a status",
             {"content":"no id"}]
            """;
        var result = MastodonPlatform.Gab.Parse(MastodonPages.Json("https://gab.com/api/v1/accounts/5/statuses", json));

        Assert.Equal(["42", "114241306148201991", "2", "3"], result.Posts.Select(p => p.NativeId));
        var truth = result.Posts[1];
        Assert.Equal(("gab", "gab.com", "Truth!", "42"), (truth.Platform, truth.Host, truth.Text, truth.Extra["quote_id"]));
        Assert.Equal((17L, 3L, (long?)null), (truth.Likes!.Value, truth.Shares!.Value, truth.Replies));
        Assert.Equal(new DateTime(2025, 3, 28, 18, 0, 0, DateTimeKind.Utc), truth.EditedAt);
        Assert.Null(truth.AuthorId);
        var camel = result.Posts[2];
        Assert.Equal((new DateTime(2025, 3, 28, 10, 0, 0, DateTimeKind.Utc), "cw", "X"), (camel.CreatedAt!.Value, camel.Extra["spoiler_text"], camel.AuthorName!));
        Assert.Equal(new Archiver.Model.MediaRef { Kind = "gif", Url = "https://g/1.mp4", Width = 640, DurationSeconds = 2.5 }, Assert.Single(camel.Media));
        Assert.Equal("", result.Posts[3].Text);
        Assert.Equal(["7", "5"], result.Authors.Select(a => a.NativeId));
    }

    [Fact]
    public void Reports_invalid_json_and_unknown_answers_with_the_reason()
    {
        var broken = MastodonPlatform.Mastodon.Parse(MastodonPages.Json("https://m.example/api/v1/statuses/1", "{\"id\": "));
        Assert.StartsWith("invalid JSON from m.example: ", Assert.Single(broken.Problems).Reason);
        var unknown = MastodonPlatform.Mastodon.Parse(MastodonPages.Json("https://m.example/api/v9/other", "{\"x\":1}"));
        Assert.Equal("m.example: /api/v9/other is not a Mastodon API answer Archiver reads (Object)", Assert.Single(unknown.Problems).Reason);
        var wrongShape = MastodonPlatform.Mastodon.Parse(MastodonPages.Json("https://m.example/api/v1/timelines/tag/x", "{\"id\":\"1\"}"));
        Assert.Equal("m.example: a timeline answer must be a JSON array, got Object", Assert.Single(wrongShape.Problems).Reason);
    }

    [Fact]
    public void Starts_hashtag_and_status_seeds_with_their_requests()
    {
        Assert.True(MastodonPlatform.Mastodon.TryParseSeed("mastodon:#Fediverse@mastodon.social", out var tag));
        Assert.Equal("https://mastodon.social/api/v1/timelines/tag/Fediverse?limit=40", Assert.Single(MastodonPlatform.Mastodon.Start(tag)).Url.AbsoluteUri);
        Assert.True(MastodonPlatform.TruthSocial.TryParseSeed("https://truthsocial.com/@realDonaldTrump/posts/114241306148201991", out var status));
        Assert.Equal(
            [("https://truthsocial.com/api/v1/statuses/114241306148201991", MastodonApi.Status), ("https://truthsocial.com/api/v1/statuses/114241306148201991/context", MastodonApi.Context)],
            MastodonPlatform.TruthSocial.Start(status).Select(r => (r.Url.AbsoluteUri, r.Purpose)));
    }
}
