namespace Archiver.Storage;

public sealed partial record StoreCounters
{
    /// <summary>Adds the post counters of the segments to the archive-wide ones (authors, media).</summary>
    internal static StoreCounters Combine(StoreCounters main, IEnumerable<StoreCounters> segments)
    {
        var result = main;
        var platforms = new Dictionary<string, long>(StringComparer.Ordinal);
        var channels = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var s in segments)
        {
            result = result with
            {
                Posts = result.Posts + s.Posts,
                PostsDeleted = result.PostsDeleted + s.PostsDeleted,
                Versions = result.Versions + s.Versions,
            };
            foreach (var (k, v) in s.ByPlatform) platforms[k] = platforms.GetValueOrDefault(k) + v;
            foreach (var (k, v) in s.ByChannel) channels[k] = channels.GetValueOrDefault(k) + v;
        }
        return result with { ByPlatform = platforms, ByChannel = channels };
    }
}
