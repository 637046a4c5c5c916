namespace Archiver.Platforms.Mastodon;

/// <summary>
/// One network that speaks the Mastodon client API: Mastodon itself (any host), or a fork with one home host
/// (Truth Social, Gab). The fork's hosts are its own; generic Mastodon does not claim them.
/// </summary>
public sealed record MastodonNetwork(string Name, string? HomeHost)
{
    public static readonly MastodonNetwork Mastodon = new("mastodon", null);
    public static readonly MastodonNetwork TruthSocial = new("truthsocial", "truthsocial.com");
    public static readonly MastodonNetwork Gab = new("gab", "gab.com");

    private static readonly string[] ForkHosts = ["truthsocial.com", "gab.com"];

    /// <summary>Whether a plain URL on <paramref name="host"/> (lower-case) belongs to this network.</summary>
    public bool ClaimsHost(string host)
    {
        var bare = host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host;
        return HomeHost is null ? !ForkHosts.Contains(bare) && bare != "t.me" : bare == HomeHost;
    }
}
