using System.Security.Cryptography;
using Archiver.Model;
using Archiver.Storage;

namespace Archiver.Watching;

/// <summary>The watch list's changes as store batches (every write goes through the archive session's writer).</summary>
public static class WatchRecords
{
    /// <summary>A new entry, due at once; its id is 8 random hex digits not used yet.</summary>
    public static WatchEntry NewEntry(string seed, string platform, WatchInterval every, string? tag, DateTime now, ICollection<string> usedIds)
    {
        string id;
        do id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        while (usedIds.Contains(id));
        usedIds.Add(id);
        return new WatchEntry
        {
            Id = id,
            Seed = seed,
            Platform = platform,
            Tag = string.IsNullOrWhiteSpace(tag) ? null : tag.Trim(),
            MinInterval = every.Min,
            MaxInterval = every.Max,
            Interval = every.Start,
            CreatedAt = now,
            NextCheckAt = now,
        };
    }

    /// <summary>The entry named by its id or by its seed as it was added; null when none is.</summary>
    public static WatchEntry? Find(IReadOnlyList<WatchEntry> entries, string idOrSeed) =>
        entries.FirstOrDefault(e => string.Equals(e.Id, idOrSeed, StringComparison.OrdinalIgnoreCase))
        ?? entries.FirstOrDefault(e => string.Equals(e.Seed, idOrSeed.Trim(), StringComparison.Ordinal));

    /// <summary>
    /// What a check leaves in the archive, in one commit: the entry's new schedule and, for a failed check, its
    /// <see cref="ArchiveEventType.CheckFailed"/> event. The event's id names the entry and the check's number, so a
    /// batch committed twice (never, but a replay) records it once, and a check cut short by a kill (not saved) is no event.
    /// </summary>
    public static StoreBatch AfterCheck(WatchEntry updated, WatchCheckResult result, string channel) => new()
    {
        Watch = [updated],
        WatchId = updated.Id,
        Events = result.Kind == WatchCheckKind.Failed
            ?
            [
                new ArchiveEvent
                {
                    Id = $"check_failed:{updated.Id}:{updated.Checks}",
                    Type = ArchiveEventType.CheckFailed,
                    ObservedAt = updated.LastCheckAt ?? updated.CreatedAt,
                    Platform = updated.Platform,
                    Channel = channel,
                    Detail = result.Error,
                    WatchId = updated.Id,
                },
            ]
            : [],
    };
}
