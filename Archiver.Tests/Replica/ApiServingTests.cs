using System.Text.Json;
using Archiver.Replica;

namespace Archiver.Tests.Replica;

public sealed class ApiServingTests(ReplicaFixture fixture) : IClassFixture<ReplicaFixture>
{
    private static string? NextLink(System.Net.Http.Headers.HttpResponseHeaders headers, string rel)
    {
        if (!headers.TryGetValues("Link", out var values)) return null;
        foreach (var part in string.Join(",", values).Split(','))
            if (part.Contains($"rel=\"{rel}\"", StringComparison.Ordinal)) return part.Trim()[1..part.Trim().IndexOf('>')];
        return null;
    }

    private static string Id(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture) : e.GetString()!;

    [Theory]
    [InlineData(Flavor.Mastodon)]
    [InlineData(Flavor.TruthSocial)]
    [InlineData(Flavor.Gab)]
    public async Task Link_headers_chain_through_all_statuses_of_every_account(Flavor flavor)
    {
        var origin = fixture.Replica.Endpoints.Origin(ReplicaEndpoints.OriginOf(flavor));
        foreach (var account in fixture.Replica.Network.AccountsOf(flavor))
        {
            var (status, body, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{origin}/api/v1/accounts/lookup?acct={account.Username}");
            Assert.Equal(200, status);
            var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString();
            var ids = new List<string>();
            string? url = $"{origin}/api/v1/accounts/{id}/statuses?limit=7";
            while (url is not null)
            {
                Assert.True(ids.Count < 1000, "paging did not end");
                var (s, page, headers) = await ReplicaFixture.GetAsync(fixture.Http, url);
                Assert.Equal(200, s);
                Assert.Equal("300", headers.GetValues("X-RateLimit-Limit").Single());
                Assert.True(headers.Contains("X-RateLimit-Remaining") && headers.Contains("X-RateLimit-Reset"));
                var statuses = JsonDocument.Parse(page).RootElement.EnumerateArray().ToList();
                ids.AddRange(statuses.Select(x => x.GetProperty("id").GetString()!));
                url = NextLink(headers, "next");
                // Like Mastodon, a full page links to a next one, which may be empty and then ends the chain.
                Assert.Equal(statuses.Count == 7, url is not null);
                Assert.Equal(statuses.Count > 0, NextLink(headers, "prev") is not null);
            }
            var truth = fixture.Replica.Truth().ApiPosts(account).Select(p => p.NativeId).Reverse().ToList();
            Assert.Equal(truth, ids);
        }
    }

    [Fact]
    public async Task Statuses_have_the_mastodon_fields_and_match_the_ground_truth()
    {
        var account = fixture.Replica.Network.AccountsOf(Flavor.Mastodon)[0];
        var origin = fixture.Replica.Endpoints.Origin(OriginKind.Mastodon);
        var truth = fixture.Replica.Truth().ApiPosts(account).ToDictionary(p => p.NativeId);
        var (_, body, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{origin}/api/v1/accounts/{account.Id}/statuses?limit=40");

        foreach (var s in JsonDocument.Parse(body).RootElement.EnumerateArray())
        {
            foreach (var field in new[] { "id", "created_at", "in_reply_to_id", "sensitive", "spoiler_text", "visibility", "uri", "url", "replies_count", "reblogs_count", "favourites_count", "edited_at", "content", "reblog", "account", "media_attachments", "mentions", "tags", "emojis", "card", "poll" })
                Assert.True(s.TryGetProperty(field, out _), field);
            var expected = truth[s.GetProperty("id").GetString()!];
            Assert.Equal(expected.Url, s.GetProperty("url").GetString());
            Assert.Equal(expected.Html ?? "", s.GetProperty("content").GetString());
            Assert.Equal(expected.Likes, s.GetProperty("favourites_count").GetInt64());
            Assert.Equal(expected.Shares, s.GetProperty("reblogs_count").GetInt64());
            Assert.Equal(expected.ReplyTo, s.GetProperty("in_reply_to_id").ValueKind == JsonValueKind.Null ? null : s.GetProperty("in_reply_to_id").GetString());
            Assert.Equal(expected.AuthorHandle, s.GetProperty("account").GetProperty("acct").GetString());
            Assert.Equal(expected.CreatedAt, s.GetProperty("created_at").GetDateTime().ToUniversalTime());
            Assert.Equal(expected.Kind == "reblog", s.GetProperty("reblog").ValueKind == JsonValueKind.Object);
            Assert.Equal(expected.Media.Where(m => m.Kind != "link_preview").Select(m => m.Url), s.GetProperty("media_attachments").EnumerateArray().Select(m => m.GetProperty("url").GetString()));
            Assert.Equal(expected.Hashtags, s.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        }
    }

    [Fact]
    public async Task Gab_sends_embedded_ids_as_numbers_and_extra_fields()
    {
        var origin = fixture.Replica.Endpoints.Origin(OriginKind.Gab);
        var statuses = new List<JsonElement>();
        foreach (var a in fixture.Replica.Network.AccountsOf(Flavor.Gab))
        {
            var (_, body, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{origin}/api/v1/accounts/{a.Id}/statuses?limit=40");
            statuses.AddRange(JsonDocument.Parse(body).RootElement.EnumerateArray());
        }

        Assert.Contains(statuses, s => s.GetProperty("in_reply_to_id").ValueKind == JsonValueKind.Number);
        Assert.Contains(statuses, s => s.GetProperty("reblog").ValueKind == JsonValueKind.Object && s.GetProperty("reblog").GetProperty("id").ValueKind == JsonValueKind.Number);
        Assert.All(statuses, s => Assert.Equal(JsonValueKind.String, s.GetProperty("id").ValueKind));
        Assert.All(statuses, s => Assert.True(s.TryGetProperty("plain_markdown", out _)));
        Assert.All(statuses, s => Assert.Equal(JsonValueKind.String, s.GetProperty("account").GetProperty("id").ValueKind));
    }

    [Fact]
    public async Task Context_returns_the_whole_self_thread()
    {
        var generator = new MastodonGenerator(fixture.Replica.Network);
        var (account, index) = fixture.Replica.Network.AccountsOf(Flavor.Mastodon)
            .SelectMany(a => Enumerable.Range(1, (int)a.Stream.BaseCount - 1).Select(i => (a, (long)i)))
            .First(x => generator.IsReply(x.a, x.Item2));
        var origin = fixture.Replica.Endpoints.Origin(OriginKind.Mastodon);
        var id = MastodonGenerator.IdOf(account, index);

        var (status, body, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{origin}/api/v1/statuses/{id}/context");
        var (single, one, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{origin}/api/v1/statuses/{id}");
        var context = JsonDocument.Parse(body).RootElement;

        Assert.Equal(200, status);
        Assert.Equal(200, single);
        var ancestors = context.GetProperty("ancestors").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.Equal(MastodonJson.Id(MastodonGenerator.IdOf(account, index - 1)), ancestors[^1]);
        Assert.Equal(ancestors[^1], JsonDocument.Parse(one).RootElement.GetProperty("in_reply_to_id").GetString());
        var (_, rootContext, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{origin}/api/v1/statuses/{ancestors[0]}/context");
        Assert.Contains(MastodonJson.Id(id), JsonDocument.Parse(rootContext).RootElement.GetProperty("descendants").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Hashtag_timelines_page_through_every_tagged_status()
    {
        var origin = fixture.Replica.Endpoints.Origin(OriginKind.Mastodon);
        var truth = fixture.Replica.Truth().ApiPosts(Flavor.Mastodon).Where(p => p.Kind != "reblog").ToList();
        var tag = truth.SelectMany(p => p.Hashtags).GroupBy(t => t.ToLowerInvariant()).OrderByDescending(g => g.Count()).First().Key;
        var expected = truth.Where(p => p.Hashtags.Any(h => h.Equals(tag, StringComparison.OrdinalIgnoreCase)))
            .OrderByDescending(p => long.Parse(p.NativeId, System.Globalization.CultureInfo.InvariantCulture)).Select(p => p.NativeId).ToList();

        var ids = new List<string>();
        string? url = $"{origin}/api/v1/timelines/tag/{Uri.EscapeDataString(tag)}?limit=3";
        while (url is not null && ids.Count < 500)
        {
            var (status, body, headers) = await ReplicaFixture.GetAsync(fixture.Http, url);
            Assert.Equal(200, status);
            ids.AddRange(JsonDocument.Parse(body).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()!));
            url = NextLink(headers, "next");
        }

        Assert.True(expected.Count >= 2);
        Assert.Equal(expected, ids);
    }

    [Fact]
    public async Task Since_and_min_id_return_newer_statuses()
    {
        var account = fixture.Replica.Network.AccountsOf(Flavor.TruthSocial)[0];
        var origin = fixture.Replica.Endpoints.Origin(OriginKind.TruthSocial);
        var all = fixture.Replica.Truth().ApiPosts(account).Select(p => p.NativeId).Reverse().ToList();
        var pivot = all[10];

        var (_, since, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{origin}/api/v1/accounts/{account.Id}/statuses?since_id={pivot}&limit=40");
        var (_, min, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{origin}/api/v1/accounts/{account.Id}/statuses?min_id={pivot}&limit=3");

        Assert.Equal(all.Take(10), JsonDocument.Parse(since).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.Equal(all.Skip(7).Take(3), JsonDocument.Parse(min).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Account_filters_apply_and_links_keep_them()
    {
        var account = fixture.Replica.Network.AccountsOf(Flavor.Mastodon)[1];
        var origin = fixture.Replica.Endpoints.Origin(OriginKind.Mastodon);
        var truth = fixture.Replica.Truth().ApiPosts(account).Reverse().ToList();

        var (_, body, headers) = await ReplicaFixture.GetAsync(fixture.Http, $"{origin}/api/v1/accounts/{account.Id}/statuses?exclude_reblogs=true&exclude_replies=true&limit=2");
        var (_, media, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{origin}/api/v1/accounts/{account.Id}/statuses?only_media=true&limit=40");
        var (_, pinned, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{origin}/api/v1/accounts/{account.Id}/statuses?pinned=true");

        Assert.Equal(truth.Where(p => p.Kind == "post").Take(2).Select(p => p.NativeId), JsonDocument.Parse(body).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.StartsWith($"{origin}/api/v1/accounts/{account.Id}/statuses?exclude_reblogs=true&exclude_replies=true&limit=2&max_id=", NextLink(headers, "next"));
        Assert.Equal(truth.Where(p => p.Media.Count > 0).Select(p => p.NativeId), JsonDocument.Parse(media).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.Equal("[]", pinned);
    }

    [Fact]
    public async Task Unknown_accounts_and_statuses_answer_record_not_found()
    {
        var origin = fixture.Replica.Endpoints.Origin(OriginKind.Mastodon);

        var (lookup, body, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{origin}/api/v1/accounts/lookup?acct=nobody");
        var (status, _, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{origin}/api/v1/statuses/12345");

        Assert.Equal(404, lookup);
        Assert.Equal("{\"error\":\"Record not found\"}", body);
        Assert.Equal(404, status);
    }
}
