namespace Archiver.Replica;

/// <summary>How to start a replica: which network, which version, what goes wrong, where it listens.</summary>
public sealed record ReplicaOptions
{
    public ulong Seed { get; init; } = 1;
    public ReplicaSize Size { get; init; } = ReplicaSize.Small;
    /// <summary>1, or 2: some posts edited, some deleted, a few new ones.</summary>
    public int Version { get; init; } = 1;
    public FaultSettings Faults { get; init; } = FaultSettings.None;
    /// <summary>The first port (the origins take consecutive ports in <see cref="OriginKind"/> order), or 0 for free ports.</summary>
    public int Port { get; init; }
    /// <summary>API origins that answer 401 to requests without an Authorization header.</summary>
    public IReadOnlySet<OriginKind> AuthRequired { get; init; } = new HashSet<OriginKind>();
    /// <summary>Keep the list of served requests (counters are always kept).</summary>
    public bool LogRequests { get; init; } = true;
    /// <summary>The replica's clock: what it serves of an evolving network is the state at this clock's time (tests pass a fake one).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
    /// <summary>Evolve after version 1: publish, edit and delete posts and take channels down on a schedule (null: a static network).</summary>
    public EvolveSettings? Evolve { get; init; }

    public void Validate()
    {
        if (Version is not (1 or 2)) throw new UsageException($"--version must be 1 or 2, not {Version}.");
        if (Evolve is not null)
        {
            Evolve.Validate();
            if (Version != 1) throw new UsageException("--evolve starts from version 1: leave out --version 2.");
        }
        if (Port is < 0 or > 65535 - 7) throw new UsageException($"--port must be between 0 and {65535 - 7}.");
    }
}
