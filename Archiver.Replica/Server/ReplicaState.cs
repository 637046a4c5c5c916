namespace Archiver.Replica;

/// <summary>The settings a running replica reads on every request and tests switch at run time.</summary>
internal sealed class ReplicaState(ReplicaOptions options)
{
    private volatile int version = options.Version;
    private volatile FaultSettings faults = options.Faults;
    private volatile HashSet<OriginKind> authRequired = [.. options.AuthRequired];
    private volatile List<(OriginKind? Origin, Takedown Takedown)> extraTakedowns = [];

    public ulong Seed { get; } = options.Seed;
    /// <summary>Set once the origins listen: the network and where it is served (the truth endpoints need both).</summary>
    public ReplicaNetwork? Network { get; set; }
    public ReplicaEndpoints? Endpoints { get; set; }
    public ReplicaEvolution? Evolution => Network?.Evolution;
    public TimeProvider Time { get; } = options.Time;
    public RequestLog Log { get; } = new(options.LogRequests);

    public int Version { get => version; set => version = value; }
    public FaultSettings Faults { get => faults; set => faults = value; }
    public IReadOnlySet<OriginKind> AuthRequired => authRequired;

    /// <summary>What to serve at <paramref name="now"/>: the version, and for an evolving network the moment.</summary>
    public ReplicaView ViewAt(DateTimeOffset now) => Evolution is null ? Version : new ReplicaView(Version, now.ToUnixTimeMilliseconds());

    public void SetAuthRequired(OriginKind origin, bool required)
    {
        var copy = new HashSet<OriginKind>(authRequired);
        if (required) copy.Add(origin); else copy.Remove(origin);
        authRequired = copy;
    }

    public void AddTakedown(OriginKind? origin, Takedown takedown) => extraTakedowns = [.. extraTakedowns, (origin, takedown)];

    public void ClearTakedowns() => extraTakedowns = [];

    /// <summary>Every takedown in force, from the fault plans and from run-time switches, with the origin it is scoped to.</summary>
    public IReadOnlyList<(OriginKind? Origin, Takedown Takedown)> AllTakedowns() =>
    [
        .. faults.All.Takedowns.Select(t => ((OriginKind?)null, t)),
        .. faults.ByOrigin.SelectMany(p => p.Value.Takedowns.Select(t => ((OriginKind?)p.Key, t))),
        .. extraTakedowns,
    ];

    public IReadOnlyList<Takedown> TakedownsFor(OriginKind origin, FaultPlan plan)
    {
        var extra = extraTakedowns;
        if (extra.Count == 0) return plan.Takedowns;
        return [.. plan.Takedowns, .. extra.Where(e => e.Origin is null || e.Origin == origin).Select(e => e.Takedown)];
    }
}
