using Archiver.Replica;

namespace Archiver.Tests.Support;

/// <summary>
/// The takedown scenario the truth tests share: the replica moves to version 2 and takes down one Telegram channel
/// (451), one Mastodon account (410) and one Gab account (404). Seed 16 leaves deletions and edits on every
/// platform once these are down.
/// </summary>
internal static class ReplicaTakedowns
{
    /// <summary>Applies the scenario; returns the keys of the version-1 posts of what was taken down.</summary>
    public static HashSet<string> ApplyVersion2WithTakedowns(ReplicaHost replica, ReplicaTruth v1Truth)
    {
        var channel = replica.Network.Channels.First(c => c.Stream.BaseCount > 0);
        var mastodonAccount = replica.Network.AccountsOf(Flavor.Mastodon)[0];
        var gabAccount = replica.Network.AccountsOf(Flavor.Gab)[1];
        var takenDownPosts = v1Truth.TelegramPosts(channel).Concat(v1Truth.ApiPosts(mastodonAccount)).Concat(v1Truth.ApiPosts(gabAccount))
            .Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        replica.SetVersion(2);
        replica.TakeDown(channel.Name, 451, OriginKind.Telegram);
        replica.TakeDown(mastodonAccount.Username, 410, OriginKind.Mastodon);
        replica.TakeDown(gabAccount.Username, 404, OriginKind.Gab);
        return takenDownPosts;
    }
}
