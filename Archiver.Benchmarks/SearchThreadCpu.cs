using System.Runtime.InteropServices;

namespace Archiver.Benchmarks;

/// <summary>
/// CPU time of the calling thread (Linux clock_gettime(CLOCK_THREAD_CPUTIME_ID), nanosecond resolution).
/// On a machine shared with other jobs the wall time of a query depends on the neighbours; the CPU time
/// it used does not.
/// </summary>
internal static class SearchThreadCpu
{
    private const int ClockThreadCpuTime = 3;

    public static bool Available { get; } = OperatingSystem.IsLinux() && TryRead(out _);

    /// <summary>CPU time of this thread so far, in milliseconds (0 where unsupported).</summary>
    public static double Milliseconds() => Available && TryRead(out var ms) ? ms : 0;

    private static bool TryRead(out double milliseconds)
    {
        // struct timespec on 64-bit Linux: seconds, nanoseconds.
        var time = new long[2];
        milliseconds = 0;
        try
        {
            if (ClockGetTime(ClockThreadCpuTime, time) != 0) return false;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
        milliseconds = (time[0] * 1000.0) + (time[1] / 1_000_000.0);
        return true;
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code enabled for the whole project; a plain array marshals fine.
    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, [Out] long[] time);
#pragma warning restore SYSLIB1054
}
