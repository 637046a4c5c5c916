namespace Archiver.Replica;

/// <summary>
/// The timeline of one channel, account or thread: how many posts each version has, when post i was
/// written, and which posts a version deletes or edits. Everything is computed from the key and the
/// index, so a stream of millions of posts costs a few fields.
/// </summary>
public sealed class PostStream
{
    /// <summary>The first moment the network covers; fixed so output never depends on the clock.</summary>
    public static readonly DateTime Start = new(2025, 3, 3, 6, 0, 0, DateTimeKind.Utc);
    public static readonly TimeSpan Span = TimeSpan.FromDays(183);
    /// <summary>When version 2 was "taken": after every version-1 post.</summary>
    public static readonly DateTime Version2At = Start + Span + TimeSpan.FromDays(14);

    public PostStream(ulong key, long baseCount, long offsetMs)
    {
        Key = key;
        BaseCount = baseCount;
        StartMs = new DateTimeOffset(Start).ToUnixTimeMilliseconds() + offsetMs;
        // At least 4 ms between posts keeps ids strictly increasing after the jitter.
        StepMs = Math.Max(4, (long)(Span.TotalMilliseconds - offsetMs) / Math.Max(1, baseCount));
    }

    public ulong Key { get; }
    public long BaseCount { get; }
    public long StartMs { get; }
    public long StepMs { get; }

    /// <summary>What an evolving replica does to this stream after version 1 (null: the stream never changes over time).</summary>
    public StreamSchedule? Schedule { get; internal set; }

    public long Count(ReplicaView version)
    {
        if (Schedule is { } s) return BaseCount + s.NewCountAt(version.AtMs);
        return version.Version >= 2 && BaseCount > 0 ? BaseCount + Math.Max(1, BaseCount / 20) : BaseCount;
    }

    /// <summary>Milliseconds since the Unix epoch of post <paramref name="index"/>; strictly increasing.</summary>
    /// Posts an evolving replica publishes take the moment of their publication.
    public long TimeMs(long index) =>
        Schedule is { } s && index >= BaseCount && index - BaseCount < s.NewTimes.Length
            ? s.NewTimes[index - BaseCount]
            : StartMs + index * StepMs + (long)(Mix.Of(Key, (ulong)index, 0x71AE) % (ulong)(StepMs / 2));

    /// <summary>The time a reply, reblog or quote was written: what it refers to is chosen as the network stood then.</summary>
    public ReplicaView AsWritten(long index, ReplicaView version) => Schedule is null ? version : version.At(TimeMs(index));

    public DateTime Time(long index) => DateTime.UnixEpoch.AddMilliseconds(TimeMs(index));

    /// <summary>The same moment truncated to whole seconds (Telegram and feeds show no milliseconds).</summary>
    public DateTime TimeSeconds(long index) => DateTime.UnixEpoch.AddSeconds(TimeMs(index) / 1000);

    private double Fate(long index) => Mix.Unit(Mix.Of(Key, (ulong)index, 0xDE1E7E));

    /// <summary>Whether the post exists in this version (version 2 deletes ~4 % of the older posts).</summary>
    public bool Exists(long index, ReplicaView version)
    {
        if (Schedule is { } s)
            return index >= 0 && index < Count(version) && !(s.DeletedAt.TryGetValue(index, out var deleted) && deleted <= version.AtMs);
        return index >= 0 && index < Count(version) && !(version.Version >= 2 && index > 0 && index < BaseCount && Fate(index) < 0.04);
    }

    /// <summary>Edited already in version 1 (~2 %), or in version 2 (another ~6 % of the older posts, whose text changes).</summary>
    public EditState Edit(long index, ReplicaView version)
    {
        if (Schedule is { } s && s.EditedAt.TryGetValue(index, out var edited) && edited <= version.AtMs) return EditState.EditedLater;
        if (index >= BaseCount) return EditState.None;
        var fate = Fate(index);
        if (fate is >= 0.04 and < 0.06) return EditState.EditedBefore;
        if (Schedule is null && version.Version >= 2 && fate is >= 0.06 and < 0.12) return EditState.EditedInVersion2;
        return EditState.None;
    }

    public DateTime? EditedAt(long index, ReplicaView version) => Edit(index, version) switch
    {
        EditState.EditedBefore => Time(index).AddMinutes(5 + (long)(Mix.Of(Key, (ulong)index, 0xED17) % 2000)),
        EditState.EditedInVersion2 => Version2At.AddMinutes((long)(Mix.Of(Key, (ulong)index, 0xED17) % 5000)),
        EditState.EditedLater => DateTime.UnixEpoch.AddMilliseconds(Schedule!.EditedAt[index]),
        _ => null,
    };

    /// <summary>Index of the latest post whose time is at or before <paramref name="ms"/>, or -1.</summary>
    public long IndexAtOrBefore(long ms, ReplicaView version)
    {
        long lo = 0, hi = Count(version) - 1, found = -1;
        while (lo <= hi)
        {
            var mid = lo + (hi - lo) / 2;
            if (TimeMs(mid) <= ms) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found;
    }
}

/// <summary>
/// How a post stands: never edited, edited before version 1 was taken (label and date only), edited by version 2
/// or by an evolving replica (the text changes: a note is appended).
/// </summary>
public enum EditState { None, EditedBefore, EditedInVersion2, EditedLater }

public static class EditStates
{
    /// <summary>Whether the edit changed the text (version 2's and an evolving replica's do; earlier ones only left the label).</summary>
    public static bool ChangesText(this EditState state) => state is EditState.EditedInVersion2 or EditState.EditedLater;
}
