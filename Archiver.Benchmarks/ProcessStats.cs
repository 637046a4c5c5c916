namespace Archiver.Benchmarks;

/// <summary>Memory figures of this process as the kernel reports them (Linux /proc).</summary>
public static class ProcessStats
{
    /// <summary>Peak resident set size in bytes (VmHWM), or the current working set where /proc is absent.</summary>
    public static long PeakRssBytes() => ReadStatus("VmHWM:") ?? Environment.WorkingSet;

    public static long CurrentRssBytes() => ReadStatus("VmRSS:") ?? Environment.WorkingSet;

    /// <summary>Garbage collections so far and the time the runtime paused for them: allocation shows up here first.</summary>
    public static string Collections() =>
        $"GCs gen0 {GC.CollectionCount(0):N0}, gen1 {GC.CollectionCount(1):N0}, gen2 {GC.CollectionCount(2):N0}, paused {GC.GetTotalPauseDuration().TotalSeconds:0.00} s, allocated {GC.GetTotalAllocatedBytes() / (1024.0 * 1024 * 1024):0.0} GiB";

    private static long? ReadStatus(string field)
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path)) return null;
        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith(field, StringComparison.Ordinal)) continue;
            var parts = line[field.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        return null;
    }
}
