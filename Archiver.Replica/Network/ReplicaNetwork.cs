namespace Archiver.Replica;

/// <summary>The shapes the replica serves, one origin each.</summary>
public enum OriginKind { Telegram, Mastodon, TruthSocial, Gab, Feeds, Forum, Js }

/// <summary>The three Mastodon-API servers the replica imitates.</summary>
public enum Flavor { Mastodon, TruthSocial, Gab }

/// <summary>A Telegram channel: its header and its post stream.</summary>
public sealed record TelegramChannel(int Index, string Name, string Title, string Description, Lexicon Language,
    long Subscribers, bool Signed, PostStream Stream);

/// <summary>An account on one of the Mastodon-API origins.</summary>
public sealed record ApiAccount(Flavor Flavor, int Index, long Id, string Username, string DisplayName, string Note,
    Lexicon Language, long Followers, long Following, DateTime CreatedAt, PostStream Stream);

/// <summary>A forum thread (or a JavaScript-rendered page, which uses the same post shape).</summary>
public sealed record ForumThread(int Id, string Slug, string Title, Lexicon Language, PostStream Stream);

/// <summary>
/// The fictional network as a function of (seed, size): the lists of channels, accounts and threads are
/// small and built eagerly; posts are derived on demand by the generators.
/// </summary>
public sealed class ReplicaNetwork
{
    private static readonly string[] Usernames =
        ["alice", "bruno", "chloe", "dmitri", "emma", "farid", "greta", "hugo", "ines", "jonas", "karim", "lena",
         "marc", "nadia", "olga", "pavel", "rania", "sven", "tariq", "yasmin"];

    public ReplicaNetwork(ulong seed, ReplicaSize size, EvolveSettings? evolve = null)
    {
        Seed = seed;
        Size = size;
        Channels = BuildChannels();
        Accounts = [BuildAccounts(Flavor.Mastodon), BuildAccounts(Flavor.TruthSocial), BuildAccounts(Flavor.Gab)];
        Threads = BuildThreads(size.ForumThreads, size.ForumPosts, 0x70_0000, 1001);
        JsPages = BuildThreads(size.JsPages, size.JsPosts, 0x75_0000, 9001);
        ChannelByName = Channels.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        // Last: the schedule reads the finished lists and the generators.
        if (evolve is not null) Evolution = ReplicaEvolution.Build(this, evolve);
    }

    /// <summary>The changes over time of an evolving network (<c>replica serve --evolve</c>), or null for a static one.</summary>
    public ReplicaEvolution? Evolution { get; }

    public ulong Seed { get; }
    public ReplicaSize Size { get; }
    /// <summary>Telegram channels; the last one is always empty (the "No posts found" page).</summary>
    public IReadOnlyList<TelegramChannel> Channels { get; }
    public IReadOnlyDictionary<string, TelegramChannel> ChannelByName { get; }
    private IReadOnlyList<ApiAccount>[] Accounts { get; }
    public IReadOnlyList<ForumThread> Threads { get; }
    public IReadOnlyList<ForumThread> JsPages { get; }

    public IReadOnlyList<ApiAccount> AccountsOf(Flavor flavor) => Accounts[(int)flavor];

    public ApiAccount? FindAccount(Flavor flavor, string usernameOrId)
    {
        var name = usernameOrId.TrimStart('@');
        var at = name.IndexOf('@');
        if (at > 0) name = name[..at];
        foreach (var a in AccountsOf(flavor))
            if (string.Equals(a.Username, name, StringComparison.OrdinalIgnoreCase) || a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == name)
                return a;
        return null;
    }

    public ulong Key(ulong kind, long index) => Mix.Of(Seed, kind, (ulong)index);

    private List<TelegramChannel> BuildChannels()
    {
        var counts = Spread(Size.TelegramPosts, Size.TelegramChannels, 0x7E1E);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<TelegramChannel>(counts.Length + 1);
        for (var k = 0; k <= counts.Length; k++)
        {
            var lex = Lexicon.All[k % Lexicon.All.Count];
            var rng = new Rng(Key(0x7E1E, k));
            var empty = k == counts.Length;
            var name = empty ? "quiet_corner" : Unique(used, lex.HandleStems[(k / Lexicon.All.Count) % lex.HandleStems.Length]);
            var title = empty ? "Quiet corner" : $"{rng.Pick(lex.TitleWords)} {rng.Pick(lex.Places)} {rng.Pick(Lexicon.Emoji)}";
            var description = empty ? "Nothing posted here yet." : $"{lex.Sentence(ref rng)} Contact: tips@{name.Replace('_', '-')}.example & more.";
            var subscribers = empty ? 3 : (long)Math.Pow(10, 2 + rng.Unit() * 4.5);
            var stream = new PostStream(Key(0x7E15, k), empty ? 0 : counts[k], rng.Int(3_600_000));
            list.Add(new TelegramChannel(k, name, title, description, lex, subscribers, Signed: k % 3 == 1, stream));
        }
        return list;
    }

    private List<ApiAccount> BuildAccounts(Flavor flavor)
    {
        var n = Size.AccountsPerFlavor;
        var counts = Spread(Size.PostsPerFlavor, n, 0xACC0 + (ulong)flavor);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<ApiAccount>(n);
        for (var k = 0; k < n; k++)
        {
            var lex = Lexicon.All[(k + (int)flavor * 2) % Lexicon.All.Count];
            var rng = new Rng(Key(0xACC1 + (ulong)flavor, k));
            var username = Unique(used, Usernames[(k + (int)flavor * 7) % Usernames.Length]);
            var created = PostStream.Start.AddDays(-30 - rng.Int(900)).Date;
            var createdMs = new DateTimeOffset(created).ToUnixTimeMilliseconds();
            // Mastodon-style snowflakes (milliseconds << 16); Gab's older accounts have short numeric ids.
            var id = flavor == Flavor.Gab ? 1_000_000 + k * 7919L : (createdMs << 16) | (long)k;
            var stream = new PostStream(Key(0xACC5 + (ulong)flavor, k), counts[k], rng.Int(3_600_000));
            list.Add(new ApiAccount(flavor, k, id, username, lex.PersonName(ref rng), lex.Sentence(ref rng),
                lex, (long)Math.Pow(10, 1 + rng.Unit() * 4), rng.Between(0, 900), created, stream));
        }
        return list;
    }

    private List<ForumThread> BuildThreads(int count, long posts, ulong kind, int firstId)
    {
        var counts = Spread(posts, count, kind);
        var list = new List<ForumThread>(count);
        for (var k = 0; k < count; k++)
        {
            var lex = Lexicon.All[k % Lexicon.All.Count];
            var rng = new Rng(Key(kind + 1, k));
            var title = lex.Phrase(ref rng);
            list.Add(new ForumThread(firstId + k, $"{lex.HandleStems[k % lex.HandleStems.Length]}-{k + 1}", title, lex,
                new PostStream(Key(kind + 2, k), counts[k], rng.Int(3_600_000))));
        }
        return list;
    }

    /// <summary>Splits <paramref name="total"/> over <paramref name="parts"/> with uneven but exact shares.</summary>
    private long[] Spread(long total, int parts, ulong kind)
    {
        var weights = new double[parts];
        double sum = 0;
        for (var k = 0; k < parts; k++) sum += weights[k] = 0.5 + Mix.Unit(Key(kind, k));
        var counts = new long[parts];
        long assigned = 0;
        for (var k = 0; k < parts; k++) assigned += counts[k] = (long)(total * weights[k] / sum);
        for (var k = 0; assigned < total; k = (k + 1) % parts, assigned++) counts[k]++;
        return counts;
    }

    private static string Unique(HashSet<string> used, string stem)
    {
        var name = stem;
        for (var n = 2; !used.Add(name); n++) name = $"{stem}{n}";
        return name;
    }
}
