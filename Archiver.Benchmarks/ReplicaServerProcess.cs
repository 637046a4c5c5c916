using System.Diagnostics;
using System.Globalization;
using Archiver.Cli;
using Archiver.Replica;

namespace Archiver.Benchmarks;

/// <summary>
/// The replica served by a child <c>archiver replica serve</c>, so the crawler's peak RSS and CPU time are
/// measured apart from the server's (both still share the machine's cores).
/// </summary>
internal sealed class ReplicaServerProcess : IAsyncDisposable
{
    private readonly Process process;

    private ReplicaServerProcess(Process process, ReplicaEndpoints endpoints)
    {
        this.process = process;
        Endpoints = endpoints;
    }

    public ReplicaEndpoints Endpoints { get; }

    /// <summary>CPU time (user + system) the server has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    /// <summary>The server's peak resident set size (VmHWM), when /proc has it.</summary>
    public long? PeakRssBytes => ReadStatus(process.Id, "VmHWM:");

    public static async Task<ReplicaServerProcess> StartAsync(ulong seed, string size, string? faults, CancellationToken ct)
    {
        var info = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // The archiver program (archiver.dll, copied beside the benchmarks and the tests); this process may be
        // hosted by `dotnet`, an apphost or a test runner.
        var assembly = typeof(CliApp).Assembly.Location;
        var muxer = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        info.FileName = assembly.Length > 0 ? muxer : Path.Combine(AppContext.BaseDirectory, "archiver");
        if (assembly.Length > 0) info.ArgumentList.Add(assembly);
        foreach (var a in new[] { "-q", "replica", "serve", "--seed", seed.ToString(CultureInfo.InvariantCulture), "--size", size, "--port", "0" })
            info.ArgumentList.Add(a);
        if (!string.IsNullOrEmpty(faults))
        {
            info.ArgumentList.Add("--faults");
            info.ArgumentList.Add(faults);
        }
        var process = Process.Start(info) ?? throw new ArchiverException("Could not start 'archiver replica serve'.");
        var stderr = process.StandardError.ReadToEndAsync(ct);
        var origins = new Dictionary<string, Uri>(StringComparer.Ordinal);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("Serving until", StringComparison.Ordinal)) break;
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 2 && Enum.TryParse<OriginKind>(parts[0], out _) && Uri.TryCreate(parts[1], UriKind.Absolute, out var uri))
                    origins[parts[0]] = uri;
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Reported below as a server that did not come up.
        }
        if (origins.Count != Enum.GetValues<OriginKind>().Length)
        {
            Stop(process);
            throw new ArchiverException($"'archiver replica serve' did not come up: {(await stderr).Trim()}");
        }
        // Keep draining its output so the child never blocks on a full pipe.
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
        Uri At(OriginKind k) => origins[k.ToString()];
        return new ReplicaServerProcess(process, new ReplicaEndpoints(At(OriginKind.Telegram), At(OriginKind.Mastodon), At(OriginKind.TruthSocial),
            At(OriginKind.Gab), At(OriginKind.Feeds), At(OriginKind.Forum), At(OriginKind.Js)));
    }

    private static void Stop(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        process.WaitForExit(TimeSpan.FromSeconds(10));
    }

    internal static long? ReadStatus(int pid, string field)
    {
        var path = $"/proc/{pid}/status";
        if (!File.Exists(path)) return null;
        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith(field, StringComparison.Ordinal)) continue;
            var parts = line[field.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(parts[0], CultureInfo.InvariantCulture) * 1024;
        }
        return null;
    }

    public ValueTask DisposeAsync()
    {
        Stop(process);
        process.Dispose();
        return ValueTask.CompletedTask;
    }
}
