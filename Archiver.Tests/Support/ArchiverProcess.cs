using System.Diagnostics;

namespace Archiver.Tests.Support;

/// <summary>Starts the real <c>archiver</c> program as a child process (for crash and end-to-end tests).</summary>
public static class ArchiverProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "archiver.dll");

    /// <summary>The benchmark program, which also carries the tests' hidden <c>debug write-loop</c> writer.</summary>
    public static string BenchDll => Path.Combine(AppContext.BaseDirectory, "Archiver.Benchmarks.dll");

    public static Process Start(params string[] args) => StartDll(Dll, args);

    /// <summary>
    /// <c>debug write-loop</c> as a second process: it writes numbered batches of posts to an archive and prints
    /// "committed N FIRST COUNT" after each commit, until killed (crash and lock tests).
    /// </summary>
    public static Process StartWriteLoop(params string[] args) => StartDll(BenchDll, ["debug", "write-loop", .. args]);

    /// <summary>Starts the benchmark program (its hidden <c>debug</c> commands) with these arguments.</summary>
    public static Process StartBench(params string[] args) => StartDll(BenchDll, args);

    private static Process StartDll(string dll, string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {Path.GetFileName(dll)}");
    }

    /// <summary>
    /// A stop as people and services send it (<c>TERM</c>: systemd, <c>kill</c>; <c>INT</c>: Ctrl-C), then up to a minute
    /// for the process to exit by itself; its exit code.
    /// </summary>
    public static async Task<int> StopAsync(Process process, string signal = "TERM")
    {
        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!)
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
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

    /// <summary>A test's server, if it started one: killed (it is not under test any more) and released.</summary>
    public static void KillAndDispose(Process? process)
    {
        if (process is null) return;
        KillHard(process);
        process.Dispose();
    }
}
