using Archiver.Storage;

namespace Archiver.Export;

/// <summary>
/// --platform and --channel name things the archive knows: a misspelt name is an error listing the known
/// ones, not an export of 0 posts that looks like a finding.
/// </summary>
public static class ExportNames
{
    private const int Listed = 20;

    public static void Check(ArchiveStore store, StoreFieldFilter filter)
    {
        if (filter.Platforms.Count > 0)
        {
            var known = new SortedSet<string>(Platforms.KnownPlatforms.All().Select(p => p.Name), StringComparer.OrdinalIgnoreCase);
            known.UnionWith(store.Counters.ByPlatform.Keys);
            var unknown = filter.Platforms.Where(p => !known.Contains(p)).ToList();
            if (unknown.Count > 0)
                throw new UsageException($"Unknown --platform {string.Join(", ", unknown.Select(u => $"'{u}'"))}; known platforms: {string.Join(", ", known)}.");
        }
        if (filter.Channels.Count > 0)
        {
            // Counted per "platform:channel" as posts are stored; an archive without these counts cannot be checked.
            var byChannel = store.Counters.ByChannel;
            if (byChannel.Count == 0) return;
            var known = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, count) in byChannel)
            {
                var colon = key.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0) continue;
                if (filter.Platforms.Count > 0 && !filter.Platforms.Contains(key[..colon])) continue;
                var name = key[(colon + 1)..].TrimStart('@');
                known[name] = known.GetValueOrDefault(name) + count;
            }
            var unknown = filter.Channels.Where(c => !known.ContainsKey(c)).ToList();
            if (unknown.Count > 0)
            {
                var closest = known.Keys.OrderBy(k => unknown.Min(u => Distance(u, k))).ThenBy(k => k, StringComparer.OrdinalIgnoreCase).Take(Listed).ToList();
                throw new UsageException($"Unknown --channel {string.Join(", ", unknown.Select(u => $"'{u}'"))}"
                    + (filter.Platforms.Count > 0 ? $" on {string.Join(", ", filter.Platforms)}" : "")
                    + $"; {(known.Count > Listed ? $"the closest of the {known.Count} known channels" : "known channels")}: {string.Join(", ", closest)}"
                    + ".");
            }
        }
    }

    /// <summary>Levenshtein distance, case-insensitive, to list the likeliest intended names first.</summary>
    private static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
