namespace Archiver.Platforms.Mastodon;

/// <summary>
/// The Mastodon forks Archiver knows, as data. Adding a fork is one record in <see cref="All"/>: it gets its seeds
/// (<c>NAME:@user</c>, its home host's URLs), its own platform in the registry (before generic Mastodon, which
/// stops claiming its host), its captures in imported WARCs and its saved statuses in imports.
/// </summary>
public static class MastodonForks
{
    public static readonly MastodonNetwork TruthSocial = new("truthsocial", "truthsocial.com");
    public static readonly MastodonNetwork Gab = new("gab", "gab.com") { BareUserPaths = true };

    public static readonly IReadOnlyList<MastodonNetwork> All = [TruthSocial, Gab];

    public static bool IsForkHost(string host)
    {
        foreach (var fork in All)
        {
            if (fork.HomeHost == host) return true;
        }
        return false;
    }
}
