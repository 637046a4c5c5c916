using Archiver.Replica;

namespace Archiver.Tests.Replica;

public sealed class GeneratorTests
{
    private static readonly ReplicaEndpoints Ports = ReplicaEndpoints.FromPort(9000);

    private static async Task<string> TruthJsonl(ulong seed, ReplicaSize size, int version)
    {
        var writer = new StringWriter();
        await new ReplicaTruth(new ReplicaNetwork(seed, size), Ports, version).WriteJsonLinesAsync(writer, TestContext.Current.CancellationToken);
        return writer.ToString();
    }

    [Fact]
    public async Task Same_seed_generates_the_same_bytes_and_another_seed_does_not()
    {
        var first = await TruthJsonl(7, ReplicaSize.Small, 1);
        var second = await TruthJsonl(7, ReplicaSize.Small, 1);
        var other = await TruthJsonl(8, ReplicaSize.Small, 1);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Small_network_has_about_500_posts_in_five_languages_with_every_kind()
    {
        var network = new ReplicaNetwork(1, ReplicaSize.Small);
        var posts = new ReplicaTruth(network, Ports, 1).Posts().ToList();

        Assert.Equal(490, posts.Count);
        Assert.Equal(["ar", "de", "en", "fr", "ru"], network.Channels.Select(c => c.Language.Code).Distinct().Order());
        var telegram = posts.Where(p => p.Platform == "telegram").ToList();
        Assert.Equal(280, telegram.Count);
        foreach (var kind in new[] { "service", "forward", "reply", "post" }) Assert.Contains(telegram, p => p.Kind == kind);
        foreach (var media in new[] { "photo", "video", "round_video", "voice", "document", "link_preview" })
            Assert.Contains(telegram, p => p.Media.Any(m => m.Kind == media));
        Assert.Contains(telegram, p => p.Extra.ContainsKey("poll"));
        Assert.Contains(telegram, p => p.Text.Length > 2000);
        Assert.Contains(posts, p => p.Text.Contains('<') && p.Text.Contains('&'));
        Assert.Contains(posts, p => p.Hashtags.Count > 0 && p.Links.Count > 0);
        Assert.Contains(posts, p => p.Platform == "mastodon" && p.Kind == "reblog");
        Assert.Contains(posts, p => p.Platform == "gab" && p.Kind == "reply");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(12_345)]
    public void Posts_N_serves_exactly_N_posts_in_version_1(long n)
    {
        var posts = new ReplicaTruth(new ReplicaNetwork(3, ReplicaSize.Posts(n)), Ports, 1).Posts().Count();

        Assert.Equal(n, posts);
    }

    [Fact]
    public void Telegram_ids_have_gaps_and_map_back_to_their_posts()
    {
        var network = new ReplicaNetwork(5, ReplicaSize.Medium);
        var generator = new TelegramGenerator(network);
        var channel = network.Channels[0];
        var ids = Enumerable.Range(0, 500).Select(i => generator.IdOf(channel, i)).ToList();

        Assert.Equal(ids.Order(), ids);
        Assert.Equal(500, ids.Distinct().Count());
        Assert.Equal(1, ids[0]);
        Assert.Equal(Enumerable.Range(0, 500).Select(i => (long)i), ids.Select(id => generator.IndexOf(channel, id, 1)));
        var gaps = Enumerable.Range(1, (int)ids[^1]).Where(id => !ids.Contains(id)).ToList();
        Assert.Equal(ids[^1] - 500, gaps.Count);
        Assert.All(gaps, id => Assert.Equal(-1, generator.IndexOf(channel, id, 1)));
    }

    [Fact]
    public void Paging_before_an_id_returns_the_twenty_posts_just_below_it()
    {
        var network = new ReplicaNetwork(9, ReplicaSize.Small);
        var generator = new TelegramGenerator(network);
        foreach (var version in new[] { 1, 2 })
            foreach (var channel in network.Channels.Take(2))
            {
                var visible = Enumerable.Range(0, (int)channel.Stream.Count(version)).Select(i => (long)i).Where(i => channel.Stream.Exists(i, version)).ToList();
                for (long before = 1; before < generator.IdOf(channel, channel.Stream.Count(version) - 1) + 3; before++)
                {
                    var expected = visible.Where(i => generator.IdOf(channel, i) < before).TakeLast(20).ToList();
                    Assert.Equal(expected, generator.IndicesBefore(channel, before, version));
                }
            }
    }

    [Fact]
    public void Version_2_deletes_edits_and_adds_posts()
    {
        var network = new ReplicaNetwork(1, ReplicaSize.Medium);
        var v1 = new ReplicaTruth(network, Ports, 1).TelegramPosts(network.Channels[0]).ToDictionary(p => p.NativeId);
        var v2 = new ReplicaTruth(network, Ports, 2).TelegramPosts(network.Channels[0]).ToDictionary(p => p.NativeId);

        var deleted = v1.Keys.Except(v2.Keys).Count();
        var added = v2.Keys.Except(v1.Keys).Count();
        var edited = v1.Keys.Intersect(v2.Keys).Count(k => v1[k].Text != v2[k].Text);
        Assert.InRange(deleted, v1.Count * 2 / 100, v1.Count * 6 / 100);
        Assert.Equal(network.Channels[0].Stream.BaseCount / 20, added);
        Assert.InRange(edited, v1.Count * 3 / 100, v1.Count * 9 / 100);
        Assert.All(v1.Keys.Intersect(v2.Keys).Where(k => v1[k].Text != v2[k].Text), k => Assert.Equal("true", v2[k].Extra["edited"]));
    }

    [Fact]
    public void A_post_deep_in_a_large_network_is_derived_on_demand()
    {
        var network = new ReplicaNetwork(1, ReplicaSize.Large);
        var channel = network.Channels[3];
        var last = channel.Stream.BaseCount - 1;

        var post = new TelegramGenerator(network).Post(channel, last, 1);
        var mastodon = new MastodonGenerator(network);
        var account = network.AccountsOf(Flavor.Gab)[7];
        var id = MastodonGenerator.IdOf(account, account.Stream.BaseCount - 1);

        Assert.Equal(2_000_000, network.Channels.Sum(c => c.Stream.BaseCount));
        Assert.NotNull(post);
        Assert.InRange(post.Date, PostStream.Start, PostStream.Start + PostStream.Span);
        Assert.Equal((account, account.Stream.BaseCount - 1), mastodon.Find(Flavor.Gab, id, 1));
        Assert.Null(mastodon.Find(Flavor.Gab, id + 1 << 16, 1));
    }

    [Fact]
    public void Photos_are_valid_png_files_whose_pixels_depend_on_the_key()
    {
        var a = MediaBytes.Png(1, 32, 24);
        var b = MediaBytes.Png(2, 32, 24);

        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], a[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(a, 12, 4));
        Assert.Equal(32, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(a.AsSpan(16)));
        Assert.Equal(24, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(a.AsSpan(20)));
        Assert.Equal("IEND", System.Text.Encoding.ASCII.GetString(a, a.Length - 8, 4));
        Assert.NotEqual(a, b);
        Assert.Equal(a, MediaBytes.Png(1, 32, 24));
    }

    [Theory]
    [InlineData("small", 490)]
    [InlineData("posts:2000", 2000)]
    [InlineData("POSTS:1_000", 1000)]
    public void Sizes_parse_by_name(string text, long total) => Assert.Equal(total, ReplicaSize.Parse(text).TotalPosts);

    [Theory]
    [InlineData("huge")]
    [InlineData("posts:0")]
    [InlineData("posts:many")]
    public void Bad_sizes_are_usage_errors(string text) =>
        Assert.Contains("small, medium, large or posts:N", Assert.Throws<UsageException>(() => ReplicaSize.Parse(text)).Message);

    [Fact]
    public void Fault_specs_parse_into_plans_per_origin()
    {
        var faults = FaultSettings.Parse("latency=50ms,error=0.1,reset=0.02,429=0.05,slow=0.01,takedown=chan@after:100,gab.error=0.5,takedown=bob@410@at:2026-01-01T00:00:00Z");

        Assert.Equal(TimeSpan.FromMilliseconds(50), faults.All.Latency);
        Assert.Equal(0.1, faults.All.Error);
        Assert.Equal(0.02, faults.All.Reset);
        Assert.Equal(0.05, faults.All.TooMany);
        Assert.Equal(0.01, faults.All.Slow);
        Assert.Equal([new Takedown("chan", 451, 100), new Takedown("bob", 410, null, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))], faults.All.Takedowns);
        Assert.Equal(0.5, faults.For(OriginKind.Gab).Error);
        Assert.Equal(0.1, faults.For(OriginKind.Mastodon).Error);
    }

    [Theory]
    [InlineData("error=2")]
    [InlineData("latency=fast")]
    [InlineData("takedown=x@after:soon")]
    [InlineData("myspace.error=0.1")]
    [InlineData("boom")]
    public void Bad_fault_specs_are_usage_errors(string spec) =>
        Assert.StartsWith("Bad fault", Assert.Throws<UsageException>(() => FaultSettings.Parse(spec)).Message);
}
