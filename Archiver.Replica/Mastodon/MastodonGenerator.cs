namespace Archiver.Replica;

/// <summary>
/// Derives status i of an account on a Mastodon-API origin. Ids are Mastodon snowflakes
/// (milliseconds &lt;&lt; 16, here with the account index in the low bits), so an id alone names its status.
/// Replies chain to the account's previous status, which makes threads computable in both directions.
/// </summary>
public sealed class MastodonGenerator
{
    // Per flavor and account: the other accounts of the origin and their usernames (built once).
    private readonly AllBut<ApiAccount>[][] others;
    private readonly AllBut<string>[][] otherNames;

    public MastodonGenerator(ReplicaNetwork network)
    {
        Network = network;
        // Account k sits at position k of its flavor's list (BuildAccounts), so "all but k" skips position k.
        others = Enum.GetValues<Flavor>().Select(f => network.AccountsOf(f).Select(a => new AllBut<ApiAccount>(network.AccountsOf(f), a.Index)).ToArray()).ToArray();
        otherNames = Enum.GetValues<Flavor>().Select(f =>
        {
            var names = network.AccountsOf(f).Select(o => o.Username).ToList();
            return network.AccountsOf(f).Select(a => new AllBut<string>(names, a.Index)).ToArray();
        }).ToArray();
    }

    public ReplicaNetwork Network { get; }

    public static long IdOf(ApiAccount a, long index) => (a.Stream.TimeMs(index) << 16) | (long)a.Index;

    /// <summary>The status an id names, if it exists in this version.</summary>
    public (ApiAccount Account, long Index)? Find(Flavor flavor, long id, ReplicaView version)
    {
        if (id <= 0) return null;
        var accounts = Network.AccountsOf(flavor);
        var k = (int)(id & 0xFFFF);
        if (k >= accounts.Count) return null;
        var a = accounts[k];
        var index = a.Stream.IndexAtOrBefore(id >> 16, version);
        return index >= 0 && IdOf(a, index) == id && a.Stream.Exists(index, version) ? (a, index) : null;
    }

    private static int Roll(ApiAccount a, long index) => (int)(Mix.Of(a.Stream.Key, (ulong)index, 0x57A7) % 100);

    public bool IsReblog(ApiAccount a, long index) => index > 0 && Roll(a, index) < 8 && Network.AccountsOf(a.Flavor).Count > 1;

    /// <summary>A reply to the account's previous status (a self-thread), whatever the version did to that one.</summary>
    public bool IsReply(ApiAccount a, long index) => index > 0 && Roll(a, index) is >= 8 and < 22 && !IsReblog(a, index - 1);

    /// <param name="beforeEdit">The status as first written: without its edit (for the edit history).</param>
    public ApiStatus? Status(ApiAccount a, long index, ReplicaView version, bool allowReblog = true, bool beforeEdit = false)
    {
        if (!a.Stream.Exists(index, version)) return null;
        var rng = new Rng(Mix.Of(a.Stream.Key, (ulong)index, 0x5747));
        var roll = Roll(a, index);
        var id = IdOf(a, index);
        var status = new ApiStatus
        {
            Account = a,
            Index = index,
            Id = id,
            CreatedAt = a.Stream.Time(index),
            Text = RichText.Empty,
            ReblogsCount = rng.Chance(0.5) ? rng.Int(40) : 0,
            FavouritesCount = rng.Chance(0.7) ? rng.Int(300) : 0,
            RepliesCount = IsReply(a, index + 1) && a.Stream.Exists(index + 1, version) ? 1 : 0,
        };
        if (allowReblog && IsReblog(a, index) && Original(a, index, version) is { } original)
            return status with { Reblog = original, ReblogsCount = 0, FavouritesCount = 0, RepliesCount = 0 };

        var others = this.others[(int)a.Flavor][a.Index];
        var text = TextComposer.Compose(ref rng, a.Language, rng.Chance(0.02) ? rng.Between(20, 30) : rng.Between(1, 3), otherNames[(int)a.Flavor][a.Index]);
        var edit = a.Stream.Edit(index, version);
        if (edit.ChangesText() && !beforeEdit) text = TextComposer.Edited(text, a.Language);
        status = status with
        {
            Text = text,
            EditedAt = beforeEdit ? null : a.Stream.EditedAt(index, version),
            Mentioned = text.Mentions.Select(m => others.First(o => o.Username == m)).ToList(),
            Visibility = rng.Chance(0.05) ? "unlisted" : "public",
        };
        if (IsReply(a, index)) status = status with { InReplyToId = IdOf(a, index - 1), InReplyToAccountId = a.Id };
        var key = Mix.Of(a.Stream.Key, (ulong)index, 0x3ED1A);
        return roll switch
        {
            >= 22 and < 26 => status with { Poll = MakePoll(a, index, ref rng) },
            >= 26 and < 40 => status with { Media = Images(key, rng.Between(1, 2), rng.Chance(0.5) ? a.Language.Sentence(ref rng) : null) },
            >= 40 and < 43 => status with { Media = [new ApiMedia("video", MediaFile.Video(key), null)] },
            >= 43 and < 45 => status with { Media = [new ApiMedia("audio", MediaFile.Voice(key), null)] },
            >= 45 and < 52 when text.Links.Count > 0 => status with { Card = new ApiCard(text.Links[0], a.Language.Phrase(ref rng), a.Language.Sentence(ref rng)) },
            >= 52 and < 55 => status with { SpoilerText = a.Language.Phrase(ref rng), Sensitive = true },
            >= 55 and < 60 when a.Flavor == Flavor.TruthSocial && others.Count > 0 => status with { QuoteId = Quoted(others[rng.Int(others.Count)], status.CreatedAt, a.Stream.AsWritten(index, version)) },
            _ => status,
        };
    }

    /// <summary>The latest non-reblog status of another account written before this one.</summary>
    private ApiStatus? Original(ApiAccount a, long index, ReplicaView version)
    {
        var others = Network.AccountsOf(a.Flavor);
        var step = 1 + (int)(Mix.Of(a.Stream.Key, (ulong)index, 0x0B) % (ulong)(others.Count - 1));
        var b = others[(a.Index + step) % others.Count];
        for (var j = b.Stream.IndexAtOrBefore(a.Stream.TimeMs(index) - 1, version); j >= 0; j--)
            if (!IsReblog(b, j) && b.Stream.Exists(j, version)) return Status(b, j, version, allowReblog: false);
        return null;
    }

    /// <summary>
    /// The status a reblog at <paramref name="index"/> embeds, chosen from the timelines alone (every earlier status
    /// present): what <see cref="Original"/> returns as long as that status is not deleted. An evolving replica never
    /// deletes these, so a reblog keeps embedding the same status.
    /// </summary>
    public (ApiAccount Account, long Index)? ReblogTarget(ApiAccount a, long index)
    {
        if (!IsReblog(a, index)) return null;
        var others = Network.AccountsOf(a.Flavor);
        var step = 1 + (int)(Mix.Of(a.Stream.Key, (ulong)index, 0x0B) % (ulong)(others.Count - 1));
        var b = others[(a.Index + step) % others.Count];
        for (var j = b.Stream.IndexAtOrBefore(a.Stream.TimeMs(index) - 1, 1); j >= 0; j--)
            if (!IsReblog(b, j)) return (b, j);
        return null;
    }

    private long? Quoted(ApiAccount b, DateTime before, ReplicaView version)
    {
        var ms = new DateTimeOffset(before).ToUnixTimeMilliseconds() - 1;
        for (var j = b.Stream.IndexAtOrBefore(ms, version); j >= 0; j--)
            if (b.Stream.Exists(j, version)) return IdOf(b, j);
        return null;
    }

    private static List<ApiMedia> Images(ulong key, int n, string? description)
    {
        var list = new List<ApiMedia>(n);
        for (var k = 0; k < n; k++) list.Add(new ApiMedia("image", MediaFile.Photo(Mix.Of(key, (ulong)k), (key >> 8) % 20 == 0), k == 0 ? description : null));
        return list;
    }

    private static ApiPoll MakePoll(ApiAccount a, long index, ref Rng rng)
    {
        var n = rng.Between(2, 4);
        var options = new List<(string, long)>(n);
        for (var k = 0; k < n; k++) options.Add((a.Language.PollOptions[k], rng.Int(500)));
        return new ApiPoll(a.Stream.TimeMs(index) % 1_000_000, a.Stream.Time(index).AddDays(1), rng.Chance(0.3), options);
    }

    /// <summary>Ancestors (oldest first) and descendants of a status: its self-thread.</summary>
    public (List<long> Ancestors, List<long> Descendants) Thread(ApiAccount a, long index, ReplicaView version)
    {
        var ancestors = new List<long>();
        for (var i = index; IsReply(a, i) && a.Stream.Exists(i - 1, version) && ancestors.Count < 200; i--) ancestors.Add(i - 1);
        ancestors.Reverse();
        var descendants = new List<long>();
        for (var i = index + 1; i < a.Stream.Count(version) && IsReply(a, i) && a.Stream.Exists(i, version) && descendants.Count < 200; i++) descendants.Add(i);
        return (ancestors, descendants);
    }
}
