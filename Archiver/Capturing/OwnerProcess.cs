using System.Diagnostics;

namespace Archiver.Capturing;

/// <summary>Whether the process that named a temporary file or folder after itself is still running.</summary>
internal static class OwnerProcess
{
    public static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
