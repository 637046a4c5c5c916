namespace Archiver.Platforms.Mastodon;

/// <summary>
/// One network that speaks the Mastodon client API: Mastodon itself (any host, <see cref="HomeHost"/> null), or a
/// fork with one home host (<see cref="MastodonForks"/>: Truth Social, Gab). What sets a fork apart is data here,
/// not a check of its name in the code: its name, its home host, and its quirks.
/// </summary>
public sealed record MastodonNetwork(string Name, string? HomeHost)
{
    public static readonly MastodonNetwork Mastodon = new("mastodon", null);

    /// <summary>Profiles at <c>/user</c> and statuses at <c>/user/posts/ID</c> besides Mastodon's <c>/@user</c> (Gab).</summary>
    public bool BareUserPaths { get; init; }

    /// <summary>Whether a plain URL on <paramref name="host"/> (lower-case) belongs to this network.</summary>
    public bool ClaimsHost(string host)
    {
        var bare = host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host;
        // The fork's hosts are its own; generic Mastodon does not claim them.
        return HomeHost is null ? !MastodonForks.IsForkHost(bare) && bare != "t.me" : bare == HomeHost;
    }

    /// <summary>The network whose captures and saved statuses come from <paramref name="host"/>: a fork's home, else Mastodon.</summary>
    public static MastodonNetwork OfHost(string host) => MastodonForks.All.FirstOrDefault(f => f.ClaimsHost(host)) ?? Mastodon;
}
