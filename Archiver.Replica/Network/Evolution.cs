using System.Globalization;
using Archiver.Model;

namespace Archiver.Replica;

/// <summary>
/// How a replica evolves after version 1 (<c>replica serve --evolve</c>): from <see cref="Start"/> for
/// <see cref="Days"/> simulated days it publishes, edits and deletes posts and takes channels and accounts down
/// (some come back). The schedule is a pure function of (seed, size, start, days).
/// </summary>
public sealed record EvolveSettings
{
    /// <summary>The earliest start: a day after the last version-1 post, so posts stay in time order.</summary>
    public static readonly DateTimeOffset Earliest = new(PostStream.Start + PostStream.Span + TimeSpan.FromDays(1));

    public required DateTimeOffset Start { get; init; }
    public double Days { get; init; } = 7;

    public DateTimeOffset End => Start + TimeSpan.FromDays(Days);

    public void Validate()
    {
        if (Start < Earliest)
            throw new UsageException($"--evolve-start must be {Earliest.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} or later (after the last version-1 post), not {Start.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}.");
        if (Days is not (> 0 and <= 366) || double.IsNaN(Days)) throw new UsageException($"--evolve-days must be more than 0 and at most 366, not {Days.ToString(CultureInfo.InvariantCulture)}.");
    }
}

/// <summary>A channel or account answering with a takedown status from <see cref="FromMs"/> until <see cref="UntilMs"/> (null: for good).</summary>
public readonly record struct GoneWindow(long FromMs, long? UntilMs, int Status)
{
    public bool Covers(long ms) => ms >= FromMs && (UntilMs is not { } until || ms < until);
}

/// <summary>
/// What an evolving replica does to one stream (channel, account, thread): when its new posts appear, when posts
/// are edited or deleted, and when the channel itself is gone. Filled once when the network is built, read-only after.
/// </summary>
public sealed class StreamSchedule
{
    private readonly Dictionary<long, long> editedAt = [];
    private readonly Dictionary<long, long> deletedAt = [];
    private readonly List<GoneWindow> gone = [];

    /// <summary>Unix milliseconds of the posts published after version 1, strictly increasing (post BaseCount + k at NewTimes[k]).</summary>
    public long[] NewTimes { get; internal set; } = [];
    /// <summary>Post index → the moment its text was edited.</summary>
    public IReadOnlyDictionary<long, long> EditedAt => editedAt;
    /// <summary>Post index → the moment it was deleted.</summary>
    public IReadOnlyDictionary<long, long> DeletedAt => deletedAt;
    public IReadOnlyList<GoneWindow> Gone => gone;

    internal void Edit(long index, long ms) => editedAt[index] = ms;
    internal void Delete(long index, long ms) => deletedAt[index] = ms;
    internal void TakeDown(GoneWindow window) => gone.Add(window);

    /// <summary>How many new posts are published at or before <paramref name="ms"/>.</summary>
    public long NewCountAt(long ms)
    {
        int lo = 0, hi = NewTimes.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (NewTimes[mid] <= ms) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    public int? GoneStatusAt(long ms)
    {
        foreach (var w in gone)
            if (w.Covers(ms)) return w.Status;
        return null;
    }
}

/// <summary>
/// One scheduled change: a post of a stream (<see cref="Index"/>) or the stream itself (channel gone or back, Index -1).
/// <see cref="Entity"/> is the index of the Telegram channel, of the account among its origin's, or of the forum thread.
/// </summary>
public sealed record ScheduledChange(long TimeMs, ArchiveEventType Type, OriginKind Origin, int Entity, long Index, int? Status = null);

/// <summary>
/// The schedule of an evolving replica, built from (seed, size, settings). Rates differ per stream: about a
/// fifth of the channels and accounts are busy (8-16 changes a simulated day), half ordinary (1-4), the rest
/// quiet (one every few days). Of the changes, ~55 % are new posts, ~23 % edits and ~22 % deletions; edits and
/// deletions touch one of the stream's <see cref="RecentWindow"/> latest visible posts. On each of Telegram,
/// Mastodon, Truth Social and Gab one channel or account is always taken down (and on two of them it comes
/// back); any other is taken down with a chance of 1 in 10. While a stream is gone nothing else happens to it.
/// </summary>
public sealed class ReplicaEvolution
{
    /// <summary>Edits and deletions pick among this many latest visible posts of the stream, as people change what they just wrote.</summary>
    public const int RecentWindow = 20;

    private readonly Dictionary<(OriginKind, string), StreamSchedule> byEntity = [];
    private readonly List<ScheduledChange> changes = [];
    private long[] changeTimes = [];

    private ReplicaEvolution(EvolveSettings settings) => Settings = settings;

    public EvolveSettings Settings { get; }
    public long StartMs => Settings.Start.ToUnixTimeMilliseconds();
    public long EndMs => Settings.End.ToUnixTimeMilliseconds();
    /// <summary>Every change, in time order (ties in a fixed order).</summary>
    public IReadOnlyList<ScheduledChange> Changes => changes;

    /// <summary>How many changes have happened at <paramref name="ms"/>: served pages are cached per epoch.</summary>
    public int Epoch(long ms)
    {
        int lo = 0, hi = changeTimes.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (changeTimes[mid] <= ms) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>The takedown status the entity a request concerns answers at <paramref name="ms"/>, or null.</summary>
    /// A Telegram channel's feed is gone (404) while the channel is.
    public int? GoneStatus(OriginKind origin, string entity, long ms)
    {
        if (origin == OriginKind.Feeds)
            return byEntity.TryGetValue((OriginKind.Telegram, entity.ToLowerInvariant()), out var channel) && channel.GoneStatusAt(ms) is not null ? 404 : null;
        return byEntity.TryGetValue((origin, entity.ToLowerInvariant()), out var s) ? s.GoneStatusAt(ms) : null;
    }

    internal static ReplicaEvolution Build(ReplicaNetwork network, EvolveSettings settings)
    {
        settings.Validate();
        var streams = new List<(OriginKind Origin, int Entity, string Name, PostStream Stream)>();
        foreach (var c in network.Channels.Where(c => c.Stream.BaseCount > 0)) streams.Add((OriginKind.Telegram, c.Index, c.Name, c.Stream));
        foreach (var flavor in Enum.GetValues<Flavor>())
            foreach (var a in network.AccountsOf(flavor).Where(a => a.Stream.BaseCount > 0))
                streams.Add((ReplicaEndpoints.OriginOf(flavor), a.Index, a.Username, a.Stream));
        for (var k = 0; k < network.Threads.Count; k++)
            if (network.Threads[k].Stream.BaseCount > 0) streams.Add((OriginKind.Forum, k, network.Threads[k].Id.ToString(CultureInfo.InvariantCulture), network.Threads[k].Stream));

        var start = settings.Start.ToUnixTimeMilliseconds();
        var end = settings.End.ToUnixTimeMilliseconds();
        var dayMs = TimeSpan.FromDays(1).TotalMilliseconds;
        var evolution = new ReplicaEvolution(settings);
        var changes = evolution.changes;
        var plans = new List<(OriginKind Origin, int Entity, PostStream Stream, List<(long Ms, ArchiveEventType Type)> Events)>();

        // 1. Per stream: its rate, its takedown, the moments of its changes and which are new posts.
        foreach (var group in streams.GroupBy(s => s.Origin))
        {
            var list = group.ToList();
            var forced = (int)(Mix.Of(network.Seed, 0x60E, (ulong)group.Key) % (ulong)list.Count);
            for (var n = 0; n < list.Count; n++)
            {
                var (origin, entity, name, stream) = list[n];
                var rng = new Rng(Mix.Of(network.Seed, 0xE7017E, (ulong)origin, (ulong)entity));
                var schedule = new StreamSchedule();
                var activity = rng.Unit();
                var perDay = activity < 0.2 ? 8 + rng.Unit() * 8 : activity < 0.7 ? 1 + rng.Unit() * 3 : 0.1 + rng.Unit() * 0.4;
                if (origin != OriginKind.Forum && (n == forced || rng.Chance(0.1)))
                {
                    var from = start + (long)((end - start) * (0.15 + 0.6 * rng.Unit()));
                    var back = n == forced ? (network.Seed + (ulong)origin) % 2 == 0 : rng.Chance(0.5);
                    long? until = back ? from + (long)(dayMs * (0.3 + 1.7 * rng.Unit())) : null;
                    if (until >= end) until = null;
                    var status = origin switch
                    {
                        OriginKind.Telegram => rng.Chance(0.5) ? 451 : 404,
                        OriginKind.Gab => 404,
                        _ => 410,
                    };
                    schedule.TakeDown(new GoneWindow(from, until, status));
                    changes.Add(new ScheduledChange(from, ArchiveEventType.ChannelGone, origin, entity, -1, status));
                    if (until is { } u) changes.Add(new ScheduledChange(u, ArchiveEventType.ChannelBack, origin, entity, -1));
                }
                var events = new List<(long, ArchiveEventType)>();
                var newTimes = new List<long>();
                var t = (double)start;
                while (true)
                {
                    t += -Math.Log(1 - rng.Unit()) / perDay * dayMs;
                    var ms = (long)t;
                    if (ms >= end) break;
                    if (schedule.GoneStatusAt(ms) is not null) continue;
                    var roll = rng.Unit();
                    var type = roll < 0.55 ? ArchiveEventType.NewPost : roll < 0.78 ? ArchiveEventType.Edited : ArchiveEventType.Deleted;
                    if (type == ArchiveEventType.NewPost)
                    {
                        // Strictly increasing: Mastodon ids are the millisecond, Telegram's follow the index.
                        if (newTimes.Count > 0 && ms <= newTimes[^1]) ms = newTimes[^1] + 1;
                        newTimes.Add(ms);
                    }
                    events.Add((ms, type));
                }
                schedule.NewTimes = [.. newTimes];
                stream.Schedule = schedule;
                evolution.byEntity[(origin, name.ToLowerInvariant())] = schedule;
                plans.Add((origin, entity, stream, events));
            }
        }

        // 2. Statuses that reblog wrappers embed are never deleted (Mastodon deletes the reblogs with them, which
        // would be changes of their own); with every new post known, the wrappers' choices are fixed.
        var mastodon = new MastodonGenerator(network);
        var telegram = new TelegramGenerator(network);
        var reblogged = new HashSet<(Flavor, int, long)>();
        foreach (var flavor in Enum.GetValues<Flavor>())
            foreach (var a in network.AccountsOf(flavor))
                for (long i = 0; i < a.Stream.Count(1); i++)
                    if (mastodon.ReblogTarget(a, i) is { } target) reblogged.Add((flavor, target.Account.Index, target.Index));

        // 3. Which post each edit and deletion touches, walking each stream's changes in time order.
        foreach (var (origin, entity, stream, events) in plans)
        {
            var rng = new Rng(Mix.Of(network.Seed, 0x7A46E7, (ulong)origin, (ulong)entity));
            var schedule = stream.Schedule!;
            long published = stream.BaseCount;
            foreach (var (ms, type) in events)
            {
                if (type == ArchiveEventType.NewPost)
                {
                    changes.Add(new ScheduledChange(ms, type, origin, entity, published++));
                    continue;
                }
                var view = new ReplicaView(1, ms);
                var recent = new List<long>(RecentWindow);
                for (var i = published - 1; i >= 0 && recent.Count < RecentWindow; i--)
                    if (stream.Exists(i, view)) recent.Add(i);
                // In a random order, the first post this change can touch (checking one generates the post: check few).
                var index = -1L;
                for (int k = 0, first = rng.Int(recent.Count); k < recent.Count && index < 0; k++)
                {
                    var i = recent[(first + k) % recent.Count];
                    var fits = type == ArchiveEventType.Edited
                        ? !schedule.EditedAt.ContainsKey(i) && Editable(network, telegram, mastodon, origin, entity, i, view)
                        : i > 0 && !(origin is OriginKind.Mastodon or OriginKind.TruthSocial or OriginKind.Gab && reblogged.Contains((FlavorOf(origin), entity, i)));
                    if (fits) index = i;
                }
                if (index < 0) continue;
                if (type == ArchiveEventType.Edited) schedule.Edit(index, ms);
                else schedule.Delete(index, ms);
                changes.Add(new ScheduledChange(ms, type, origin, entity, index));
            }
        }
        changes.Sort((x, y) => x.TimeMs != y.TimeMs ? x.TimeMs.CompareTo(y.TimeMs)
            : x.Origin != y.Origin ? x.Origin.CompareTo(y.Origin)
            : x.Entity != y.Entity ? x.Entity.CompareTo(y.Entity)
            : x.Index.CompareTo(y.Index));
        evolution.changeTimes = changes.Select(c => c.TimeMs).ToArray();
        return evolution;
    }

    private static Flavor FlavorOf(OriginKind origin) => origin switch
    {
        OriginKind.TruthSocial => Flavor.TruthSocial,
        OriginKind.Gab => Flavor.Gab,
        _ => Flavor.Mastodon,
    };

    /// <summary>Whether an edit shows: not a service message or a reblog (they have no text of their own), not edited before.</summary>
    private static bool Editable(ReplicaNetwork network, TelegramGenerator telegram, MastodonGenerator mastodon, OriginKind origin, int entity, long index, ReplicaView view)
    {
        switch (origin)
        {
            case OriginKind.Telegram:
                var c = network.Channels[entity];
                return c.Stream.Edit(index, view) == EditState.None && telegram.Post(c, index, view) is { Kind: not TgKind.Service };
            case OriginKind.Forum:
                return network.Threads[entity].Stream.Edit(index, view) == EditState.None;
            default:
                var a = network.AccountsOf(FlavorOf(origin))[entity];
                return a.Stream.Edit(index, view) == EditState.None && !mastodon.IsReblog(a, index);
        }
    }
}
