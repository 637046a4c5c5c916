namespace Archiver.Replica;

/// <summary>The origins of a running replica, one per shape.</summary>
public sealed record ReplicaEndpoints(Uri Telegram, Uri Mastodon, Uri TruthSocial, Uri Gab, Uri Feeds, Uri Forum, Uri Js)
{
    public Uri Get(OriginKind kind) => kind switch
    {
        OriginKind.Telegram => Telegram,
        OriginKind.Mastodon => Mastodon,
        OriginKind.TruthSocial => TruthSocial,
        OriginKind.Gab => Gab,
        OriginKind.Feeds => Feeds,
        OriginKind.Forum => Forum,
        _ => Js,
    };

    /// <summary>Endpoints on consecutive ports from <paramref name="firstPort"/>, for ground truth without a server.</summary>
    public static ReplicaEndpoints FromPort(int firstPort)
    {
        Uri At(OriginKind k) => new($"http://127.0.0.1:{firstPort + (int)k}");
        return new(At(OriginKind.Telegram), At(OriginKind.Mastodon), At(OriginKind.TruthSocial), At(OriginKind.Gab),
            At(OriginKind.Feeds), At(OriginKind.Forum), At(OriginKind.Js));
    }

    /// <summary><c>scheme://authority</c> without a trailing slash, as pages write links.</summary>
    public string Origin(OriginKind kind) => Get(kind).GetLeftPart(UriPartial.Authority);

    /// <summary>The record host: authority, lower-case, with the port (see docs/records.md).</summary>
    public string Host(OriginKind kind) => Get(kind).Authority.ToLowerInvariant();

    public static string PlatformOf(Flavor flavor) => flavor switch
    {
        Flavor.TruthSocial => "truthsocial",
        Flavor.Gab => "gab",
        _ => "mastodon",
    };

    public static OriginKind OriginOf(Flavor flavor) => flavor switch
    {
        Flavor.TruthSocial => OriginKind.TruthSocial,
        Flavor.Gab => OriginKind.Gab,
        _ => OriginKind.Mastodon,
    };
}
