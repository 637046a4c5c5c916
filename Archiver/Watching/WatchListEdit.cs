using Archiver.Model;
using Archiver.Platforms;

namespace Archiver.Watching;

/// <summary>A change to the watch list: the entries to store (new or changed) and the ones to remove, as the list was when it was planned.</summary>
/// <param name="Already">Seeds asked for that were watched already (by the entry watching them): nothing to do.</param>
public sealed record WatchEdit(IReadOnlyList<WatchEntry> Upserts, IReadOnlyList<WatchEntry> Removed, IReadOnlyList<(string Seed, WatchEntry Entry)> Already)
{
    public static WatchEdit None { get; } = new([], [], []);

    public bool IsEmpty => Upserts.Count == 0 && Removed.Count == 0;
}

/// <summary>
/// The watch list's changes (add, pause, resume, remove) as pure plans over the list as it is: the CLI's
/// <c>watch add|pause|resume|remove</c> apply them to the stored list, <c>serve</c> to the running watcher's
/// (<see cref="WatchScheduler.EditAsync"/>), so both check and word them the same way.
/// </summary>
public static class WatchListEdit
{
    /// <summary>The seeds as a platform reads them; one no platform recognises refuses them all (nothing is added).</summary>
    public static IReadOnlyList<(string Text, Seed Seed)> ParseSeeds(PlatformRegistry registry, IEnumerable<string> seeds)
    {
        var parsed = new List<(string Text, Seed Seed)>();
        foreach (var text in seeds.Select(s => s.Trim()).Where(s => s.Length > 0))
        {
            if (!registry.TryParseSeed(text, out var seed, out _))
                throw new ArchiverException(
                    $"No platform recognises the seed '{text}'; nothing was added. Known platforms: {string.Join(", ", registry.All.Select(p => p.Name))}. " +
                    "Seeds look like PLATFORM:NAME (telegram:durov, mastodon:@user@host), a platform URL (https://t.me/s/durov), or PLATFORM:URL.");
            parsed.Add((text, seed));
        }
        return parsed;
    }

    /// <summary>New entries for the seeds not watched yet, due at once (<paramref name="now"/>), in the order given.</summary>
    public static WatchEdit Add(IReadOnlyList<WatchEntry> existing, IReadOnlyList<(string Text, Seed Seed)> seeds, WatchInterval every, string? tag, DateTime now)
    {
        // The store keeps milliseconds: an entry's due time reads back as it was planned.
        now = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
        var ids = existing.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var added = new List<WatchEntry>();
        var already = new List<(string, WatchEntry)>();
        // By seed, for one look-up a seed: scanning the list for each seed made adding 10,000 seeds quadratic.
        var watched = new Dictionary<string, WatchEntry>(StringComparer.Ordinal);
        foreach (var e in existing) watched.TryAdd(e.Seed, e);
        foreach (var (text, seed) in seeds)
        {
            if (watched.TryGetValue(text, out var entry))
            {
                already.Add((text, entry));
                continue;
            }
            // A millisecond apart (the store's precision): the list keeps the order they were given in.
            entry = WatchRecords.NewEntry(text, seed.Platform, every, tag, now.AddMilliseconds(added.Count), ids);
            added.Add(entry);
            watched.Add(text, entry);
        }
        return new WatchEdit(added, [], already);
    }

    /// <summary>The entries named, paused or resumed.</summary>
    public static WatchEdit SetPaused(IReadOnlyList<WatchEntry> existing, IEnumerable<string> targets, bool paused) =>
        new(Resolve(existing, targets).Select(e => e with { Paused = paused }).ToList(), [], []);

    /// <summary>The entries named, removed.</summary>
    public static WatchEdit Remove(IReadOnlyList<WatchEntry> existing, IEnumerable<string> targets) => new([], Resolve(existing, targets), []);

    /// <summary>The entries named by id or by seed as added; a name that matches none refuses them all.</summary>
    public static List<WatchEntry> Resolve(IReadOnlyList<WatchEntry> entries, IEnumerable<string> targets)
    {
        // One look-up a target (as WatchRecords.Find: by id, else by seed): scanning the list for each of 10,000 targets was quadratic.
        var byId = new Dictionary<string, WatchEntry>(StringComparer.OrdinalIgnoreCase);
        var bySeed = new Dictionary<string, WatchEntry>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            byId.TryAdd(e.Id, e);
            bySeed.TryAdd(e.Seed, e);
        }
        var found = new List<WatchEntry>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            var entry = (byId.TryGetValue(target, out var e) ? e : bySeed.GetValueOrDefault(target.Trim()))
                ?? throw new ArchiverException($"No watch entry '{target}': give an id or a seed as 'archiver watch list' shows them; nothing was changed.");
            if (ids.Add(entry.Id)) found.Add(entry);
        }
        return found;
    }

    /// <summary>The change as one store batch (one commit).</summary>
    public static Storage.StoreBatch Batch(WatchEdit edit) => new() { Watch = edit.Upserts.ToList(), WatchRemovals = edit.Removed.Select(e => e.Id).ToList() };

    /// <summary>Removed entries' own frontiers (what their checks fetched) go with them; the archive keeps every record.</summary>
    public static void DeleteFrontiers(Storage.ArchivePaths paths, IEnumerable<WatchEntry> removed)
    {
        var frontiers = WatchCrawlCheck.FrontierDirectory(paths);
        if (!Directory.Exists(frontiers)) return;
        foreach (var e in removed)
        {
            File.Delete(Path.Combine(frontiers, e.Id + ".frontier.db"));
            File.Delete(Path.Combine(frontiers, e.Id + ".frontier-log.db"));
        }
    }
}
