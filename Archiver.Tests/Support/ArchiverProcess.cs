using System.Diagnostics;

namespace Archiver.Tests.Support;

/// <summary>Starts the real <c>archiver</c> program as a child process (for crash and end-to-end tests).</summary>
public static class ArchiverProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "archiver.dll");

    public static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info) ?? throw new InvalidOperationException("could not start archiver");
    }

    /// <summary>SIGKILL: no chance to flush, dispose or save anything.</summary>
    public static void KillHard(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        process.WaitForExit(TimeSpan.FromSeconds(30));
    }
}
