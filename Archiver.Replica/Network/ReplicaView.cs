namespace Archiver.Replica;

/// <summary>
/// Which state of the network a page or record shows: a version (1 or 2) and, for an evolving network
/// (<c>replica serve --evolve</c>), the simulated moment in Unix milliseconds. A static network ignores the
/// moment; an evolving one shows version 1 with every change scheduled at or before it. An <c>int</c> converts
/// to the view of that version at the end of time, so callers that know only versions stay as they were.
/// </summary>
public readonly record struct ReplicaView(int Version, long AtMs = long.MaxValue)
{
    public static implicit operator ReplicaView(int version) => new(version);

    public ReplicaView At(long ms) => this with { AtMs = ms };

    public ReplicaView At(DateTimeOffset time) => At(time.ToUnixTimeMilliseconds());
}
