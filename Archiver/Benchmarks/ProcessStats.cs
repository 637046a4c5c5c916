namespace Archiver.Benchmarks;

/// <summary>Memory figures of this process as the kernel reports them (Linux /proc).</summary>
public static class ProcessStats
{
    /// <summary>Peak resident set size in bytes (VmHWM), or the current working set where /proc is absent.</summary>
    public static long PeakRssBytes() => ReadStatus("VmHWM:") ?? Environment.WorkingSet;

    public static long CurrentRssBytes() => ReadStatus("VmRSS:") ?? Environment.WorkingSet;

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
