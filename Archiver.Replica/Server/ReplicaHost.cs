namespace Archiver.Replica;

/// <summary>
/// A running replica network: one Kestrel origin per shape on 127.0.0.1, the seeds to crawl it, run-time
/// switches (version, faults, takedowns, authentication) and a log of what it served.
/// <code>await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 1 }, ct);</code>
/// </summary>
public sealed class ReplicaHost : IAsyncDisposable
{
    private readonly ReplicaState state;
    private readonly List<OriginServer> servers;

    private ReplicaHost(ReplicaNetwork network, ReplicaState state, List<OriginServer> servers, ReplicaEndpoints endpoints)
    {
        Network = network;
        this.state = state;
        this.servers = servers;
        Endpoints = endpoints;
        Seeds = BuildSeeds();
    }

    public ReplicaNetwork Network { get; }
    public ReplicaEndpoints Endpoints { get; }
    /// <summary>Seeds in the <c>PLATFORM:ABSOLUTE-URL</c> form every platform accepts (docs/records.md).</summary>
    public IReadOnlyList<string> Seeds { get; }
    public RequestLog Log => state.Log;
    public int Version => state.Version;
    public FaultSettings Faults => state.Faults;

    public static async Task<ReplicaHost> StartAsync(ReplicaOptions options, CancellationToken ct = default)
    {
        options.Validate();
        var network = new ReplicaNetwork(options.Seed, options.Size, options.Evolve);
        var state = new ReplicaState(options) { Network = network };
        var servers = new List<OriginServer>();
        try
        {
            foreach (var kind in Enum.GetValues<OriginKind>())
                servers.Add(await OriginServer.StartAsync(kind, options.Port == 0 ? 0 : options.Port + (int)kind, state, ct));
            var e = new ReplicaEndpoints(servers[0].Url, servers[1].Url, servers[2].Url, servers[3].Url, servers[4].Url, servers[5].Url, servers[6].Url);
            var telegram = new TelegramGenerator(network);
            var mastodon = new MastodonGenerator(network);
            servers[(int)OriginKind.Telegram].Attach(new TelegramOrigin(telegram, e.Origin(OriginKind.Telegram)));
            foreach (var flavor in Enum.GetValues<Flavor>())
            {
                var kind = ReplicaEndpoints.OriginOf(flavor);
                servers[(int)kind].Attach(new MastodonOrigin(mastodon, flavor, e.Origin(kind)));
            }
            servers[(int)OriginKind.Feeds].Attach(new FeedsOrigin(network,
                new FeedRenderer(telegram, e.Origin(OriginKind.Telegram), e.Origin(OriginKind.Feeds)), e.Origin(OriginKind.Feeds)));
            servers[(int)OriginKind.Forum].Attach(new ForumOrigin(network));
            servers[(int)OriginKind.Js].Attach(new JsOrigin(network));
            state.Endpoints = e;
            return new ReplicaHost(network, state, servers, e);
        }
        catch
        {
            // A constructor that fails disposes what it built.
            foreach (var s in servers) await s.DisposeAsync();
            throw;
        }
    }

    /// <summary>Serve version 1 or 2 from now on (re-crawl tests); cached pages are dropped.</summary>
    public void SetVersion(int version)
    {
        if (version is not (1 or 2)) throw new UsageException($"The replica has versions 1 and 2, not {version}.");
        if (version != 1 && Network.Evolution is not null) throw new UsageException("An evolving replica serves version 1 and its changes; it has no version 2.");
        state.Version = version;
        foreach (var s in servers) s.Reset(counters: false);
    }

    /// <summary>Replace the fault plans; request and takedown counters start again, so draws repeat from the start.</summary>
    public void SetFaults(FaultSettings faults)
    {
        state.Faults = faults;
        foreach (var s in servers) s.Reset(counters: true);
    }

    /// <summary>Take a channel, account, thread or page down from now on (on one origin, or wherever the name exists).</summary>
    public void TakeDown(string target, int status = 451, OriginKind? origin = null) =>
        state.AddTakedown(origin, new Takedown(target, status));

    /// <summary>
    /// Take it down once it has answered <paramref name="afterRequests"/> more requests about it (an account taken down
    /// in the middle of a crawl: its lookup and timeline answer, its statuses asked next do not). The takedown counters
    /// of <paramref name="origin"/> start again from now. Not in the truth's takedowns (those in force from the first request).
    /// </summary>
    public void TakeDown(string target, int status, OriginKind origin, long afterRequests)
    {
        foreach (var s in servers.Where(s => s.Kind == origin)) s.ResetTakedownCounters();
        state.AddTakedown(origin, new Takedown(target, status, afterRequests));
    }

    public void ClearTakedowns() => state.ClearTakedowns();

    /// <summary>Make an API origin refuse requests without an Authorization header (401), or accept them again.</summary>
    public void SetAuthRequired(OriginKind origin, bool required)
    {
        state.SetAuthRequired(origin, required);
        foreach (var s in servers) s.Reset(counters: false);
    }

    /// <summary>The ground truth of what this replica serves (of the current version unless given).</summary>
    /// Takedowns in force from the first request (switched on with <see cref="TakeDown"/> or in the faults) are part of it.
    /// An evolving replica's truth is that of its clock's current time.
    public ReplicaTruth Truth(int? version = null) => new(Network, Endpoints, state.ViewAt(Now) with { Version = version ?? Version }, state.AllTakedowns());

    /// <summary>The truth of an evolving replica at <paramref name="at"/>: what it serves when its clock reads that time.</summary>
    public ReplicaTruth TruthAt(DateTimeOffset at) => new(Network, Endpoints, new ReplicaView(Version, at.ToUnixTimeMilliseconds()), state.AllTakedowns());

    /// <summary>Every change of an evolving replica up to <paramref name="until"/> (all of them when null), in time order.</summary>
    public IEnumerable<ReplicaChange> Changes(DateTimeOffset? until = null) =>
        Truth().Changes(until?.ToUnixTimeMilliseconds() ?? long.MaxValue);

    /// <summary>The replica's clock: an evolving replica serves the state at this time.</summary>
    public DateTimeOffset Now => state.Time.GetUtcNow();

    private List<string> BuildSeeds()
    {
        var seeds = new List<string>();
        var tg = Endpoints.Origin(OriginKind.Telegram);
        seeds.AddRange(Network.Channels.Select(c => $"telegram:{tg}/s/{c.Name}"));
        foreach (var flavor in Enum.GetValues<Flavor>())
        {
            var origin = Endpoints.Origin(ReplicaEndpoints.OriginOf(flavor));
            seeds.AddRange(Network.AccountsOf(flavor).Select(a => $"{ReplicaEndpoints.PlatformOf(flavor)}:{origin}/@{a.Username}"));
        }
        var feeds = Endpoints.Origin(OriginKind.Feeds);
        seeds.AddRange(Network.Channels.Where(c => c.Stream.BaseCount > 0).Select(c => $"feed:{feeds}/feeds/{c.Name}.rss"));
        seeds.Add($"site:replica-forum:{Endpoints.Origin(OriginKind.Forum)}/forum/");
        var js = Endpoints.Origin(OriginKind.Js);
        seeds.AddRange(Network.JsPages.Select(p => $"site:replica-js:{js}/js/{p.Slug}"));
        return seeds;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in servers) await s.DisposeAsync();
    }
}
