using Archiver.Replica;

namespace Archiver.Tests.Replica;

public sealed class DeterminismTests
{
    private static async Task<List<string>> Fetch(ReplicaHost replica, HttpClient http)
    {
        var e = replica.Endpoints;
        var account = replica.Network.AccountsOf(Flavor.Gab)[1];
        var paths = new[]
        {
            (OriginKind.Telegram, "/s/infolibre"),
            (OriginKind.Telegram, "/s/sawt_alnas?before=20"),
            (OriginKind.Mastodon, "/api/v1/accounts/lookup?acct=alice"),
            (OriginKind.Gab, $"/api/v1/accounts/{account.Id}/statuses?limit=40"),
            (OriginKind.Feeds, "/feeds/freepress.atom"),
            (OriginKind.Forum, "/forum/t/1002?page=1"),
            (OriginKind.Js, $"/js/{replica.Network.JsPages[0].Slug}/data.json"),
            (OriginKind.Telegram, replica.Truth().Media().First(m => m.Mime == "image/png").Url[e.Origin(OriginKind.Telegram).Length..]),
        };
        var bodies = new List<string>();
        foreach (var (kind, path) in paths)
        {
            var bytes = await http.GetByteArrayAsync(e.Origin(kind) + path, TestContext.Current.CancellationToken);
            if (path.StartsWith("/media/", StringComparison.Ordinal))
            {
                bodies.Add(Convert.ToBase64String(bytes));
                continue;
            }
            // Pages name their own origins; the ports differ between two replicas, nothing else may.
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            foreach (var k in Enum.GetValues<OriginKind>()) text = text.Replace(e.Origin(k), $"ORIGIN-{k}", StringComparison.Ordinal);
            bodies.Add(text);
        }
        return bodies;
    }

    [Fact]
    public async Task Two_replicas_with_the_same_seed_serve_the_same_bytes()
    {
        using var http = ReplicaFixture.Client();
        await using var a = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 42 }, TestContext.Current.CancellationToken);
        await using var b = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 42 }, TestContext.Current.CancellationToken);
        await using var c = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 43 }, TestContext.Current.CancellationToken);

        var first = await Fetch(a, http);
        var second = await Fetch(b, http);
        var other = await Fetch(c, http);

        Assert.Equal(first, second);
        Assert.All(first.Zip(other), pair => Assert.NotEqual(pair.First, pair.Second));
    }
}
