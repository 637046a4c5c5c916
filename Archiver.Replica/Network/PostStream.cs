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

    public long Count(int version) => version >= 2 && BaseCount > 0 ? BaseCount + Math.Max(1, BaseCount / 20) : BaseCount;

    /// <summary>Milliseconds since the Unix epoch of post <paramref name="index"/>; strictly increasing.</summary>
    public long TimeMs(long index) => StartMs + index * StepMs + (long)(Mix.Of(Key, (ulong)index, 0x71AE) % (ulong)(StepMs / 2));

    public DateTime Time(long index) => DateTime.UnixEpoch.AddMilliseconds(TimeMs(index));

    /// <summary>The same moment truncated to whole seconds (Telegram and feeds show no milliseconds).</summary>
    public DateTime TimeSeconds(long index) => DateTime.UnixEpoch.AddSeconds(TimeMs(index) / 1000);

    private double Fate(long index) => Mix.Unit(Mix.Of(Key, (ulong)index, 0xDE1E7E));

    /// <summary>Whether the post exists in this version (version 2 deletes ~4 % of the older posts).</summary>
    public bool Exists(long index, int version) =>
        index >= 0 && index < Count(version) && !(version >= 2 && index > 0 && index < BaseCount && Fate(index) < 0.04);

    /// <summary>Edited already in version 1 (~2 %), or in version 2 (another ~6 % of the older posts, whose text changes).</summary>
    public EditState Edit(long index, int version)
    {
        if (index >= BaseCount) return EditState.None;
        var fate = Fate(index);
        if (fate is >= 0.04 and < 0.06) return EditState.EditedBefore;
        if (version >= 2 && fate is >= 0.06 and < 0.12) return EditState.EditedInVersion2;
        return EditState.None;
    }

    public DateTime? EditedAt(long index, int version) => Edit(index, version) switch
    {
        EditState.EditedBefore => Time(index).AddMinutes(5 + (long)(Mix.Of(Key, (ulong)index, 0xED17) % 2000)),
        EditState.EditedInVersion2 => Version2At.AddMinutes((long)(Mix.Of(Key, (ulong)index, 0xED17) % 5000)),
        _ => null,
    };

    /// <summary>Index of the latest post whose time is at or before <paramref name="ms"/>, or -1.</summary>
    public long IndexAtOrBefore(long ms, int version)
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

public enum EditState { None, EditedBefore, EditedInVersion2 }
