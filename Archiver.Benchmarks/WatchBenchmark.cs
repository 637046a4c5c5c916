using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Archiver.Cli;
using Archiver.Model;
using Archiver.Platforms;
using Archiver.Replica;
using Archiver.Watching;

namespace Archiver.Benchmarks;

/// <summary>
/// <c>Archiver.Benchmarks watch</c> (issue 17): a watch list of N Telegram channels of the replica, all due at once,
/// checked by a real <c>archiver watch run</c> child process. The replica runs in this process (its request log
/// counts exactly what the watcher asked of the host); the watcher's CPU and memory are its own process's (/proc).
/// Prints the pass's checks and pages a second against the politeness limit (<c>--rate</c>, per host: every channel
/// of the replica's Telegram origin is one host), the watcher's CPU while idle after the pass, its RSS (curve, peak,
/// idle), and the scheduler's own cost per check, measured by running <see cref="WatchScheduler"/> in this process
/// with a check that does nothing over the same entries.
/// </summary>
public static partial class WatchBenchmark
{
    public static Command Command(CommandRunner run)
    {
        var channels = new Option<int>("--channels") { Description = "Telegram channels watched (the replica is channels:N, 20 posts each)", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<ulong>("--seed") { Description = "Replica generator seed", DefaultValueFactory = _ => 1 };
        var rate = new Option<double>("--rate") { Description = "The watcher's --rate: requests a second per host (the politeness limit; 0: none)", DefaultValueFactory = _ => 20 };
        var every = new Option<string>("--every") { Description = "The entries' --every (the default 1d keeps them from falling due again during the idle phase)", DefaultValueFactory = _ => "1d" };
        var untilChecks = new Option<int?>("--until-checks") { Description = "Run until this many checks are done (default: one of each channel); more, with a short --every, to watch memory over many cycles" };
        var maxSeconds = new Option<double?>("--max-seconds") { Description = "Stop the checks after this long (the pass's figures are over the checks done; the entries not checked are then paused for the idle phase)" };
        var idle = new Option<int>("--idle-seconds") { Description = "After the checks, measure the watcher's CPU and RSS for this long (nothing due)", DefaultValueFactory = _ => 30 };
        var noIndex = new Option<bool>("--no-index") { Description = "Run the watcher with --no-index" };
        var unitEnv = new Option<bool>("--unit-env") { Description = "Run the watcher with the garbage-collector settings of docs/archiver-watch.service (default: as 'archiver watch run' runs from a shell)" };
        var overheadOnly = new Option<bool>("--overhead-only") { Description = "Only the scheduler's cost per check (no replica, no watcher)" };
        var dir = new Option<string?>("--dir") { Description = "Scratch archive directory (deleted first; default: a temp dir, deleted after)" };
        var command = new Command("watch", "Watcher on N channels of the replica, all due at once: checks/s vs the politeness limit, idle CPU, RSS, scheduling cost per check")
        {
            channels, seed, rate, every, untilChecks, maxSeconds, idle, noIndex, unitEnv, overheadOnly, dir,
        };
        run.Attach(command, async (context, parse, ct) =>
        {
            var n = parse.GetValue(channels);
            if (n <= 0) throw new UsageException("--channels must be positive.");
            var o = context.Out;
            var size = ReplicaSize.Channels(n);
            await using var replica = parse.GetValue(overheadOnly) ? null : await ReplicaHost.StartAsync(new ReplicaOptions { Seed = parse.GetValue(seed), Size = size, LogRequests = true }, ct);
            var seeds = replica is null
                ? new ReplicaNetwork(parse.GetValue(seed), size).Channels.Select(c => $"telegram:http://127.0.0.1:40000/s/{c.Name}").ToList()
                : replica.Seeds.Where(s => s.StartsWith("telegram:", StringComparison.Ordinal)).ToList();
            o.WriteLine($"bench watch: {seeds.Count:N0} Telegram channels of a {size.Name} replica (seed {parse.GetValue(seed)}); {Environment.ProcessorCount} cores, load average {LoadAverage()}");

            SchedulerOverhead(o, seeds, hosts: 1);
            SchedulerOverhead(o, Enumerable.Range(0, n).Select(i => $"mastodon:@user{i}@host{i % 100}.example").ToList(), hosts: 100);
            if (replica is null) return ExitCodes.Ok;

            var directory = parse.GetValue(dir) ?? Path.Combine(Path.GetTempPath(), $"archiver-bench-watch-{Environment.ProcessId}");
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            try
            {
                return await PassAsync(context, replica, seeds, directory, parse.GetValue(rate), parse.GetValue(every)!, parse.GetValue(untilChecks) ?? seeds.Count,
                    parse.GetValue(maxSeconds) ?? double.MaxValue, parse.GetValue(idle), parse.GetValue(noIndex), parse.GetValue(unitEnv), ct);
            }
            finally
            {
                if (parse.GetValue(dir) is null && Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            }
        });
        return command;
    }

    /// <summary>
    /// The scheduler alone: every entry due at once, a check that returns at once and a save that does nothing, on the
    /// real host function (the seed parsed by the platforms), 4 checks at once as <c>watch run</c> runs it. What a check
    /// costs here is what the scheduler adds to each real check: choosing it, starting and finishing its task, the
    /// cadence, the next wait.
    /// </summary>
    private static void SchedulerOverhead(TextWriter o, List<string> seeds, int hosts)
    {
        var registry = KnownPlatforms.Registry();
        var now = DateTime.UtcNow;
        var entries = seeds.Select((s, i) => new WatchEntry
        {
            Id = i.ToString("x8", CultureInfo.InvariantCulture),
            Seed = s,
            Platform = s[..s.IndexOf(':', StringComparison.Ordinal)],
            MinInterval = TimeSpan.FromHours(12),
            MaxInterval = TimeSpan.FromDays(2),
            Interval = TimeSpan.FromDays(1),
            CreatedAt = now,
            NextCheckAt = now.AddMilliseconds(-i),
        }).ToList();
        var read = new WatchCheckResult(WatchCheckKind.Read, "archived 0 posts (1 pages)");
        using var stop = new CancellationTokenSource();
        var scheduler = new WatchScheduler(entries, e => WatchCrawlCheck.HostOf(registry, e), (_, _) => Task.FromResult(read), (_, _) => Task.CompletedTask,
            TimeProvider.System, new WatchSchedulerOptions { MaxChecks = 4 });
        var done = 0;
        scheduler.Checked += (_, _) =>
        {
            if (++done == entries.Count) stop.Cancel();
        };
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var pass = scheduler.RunAsync(stop.Token).GetAwaiter().GetResult();
        watch.Stop();
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  scheduler  {pass.Checks:N0} no-op checks of {entries.Count:N0} entries on {hosts} host(s): {watch.Elapsed.TotalSeconds:0.000} s = {watch.Elapsed.TotalMilliseconds * 1000 / Math.Max(1, pass.Checks):0.0} µs a check " +
            $"({used.TotalMilliseconds * 1000 / Math.Max(1, pass.Checks):0.0} µs CPU)   (target <= 1 ms)"));
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ [0-9a-f]{8} ", RegexOptions.CultureInvariant)]
    private static partial Regex CheckLine();

    private sealed record Sample(double Seconds, int Checks, long RssBytes, long AnonBytes, TimeSpan Cpu);

    private static async Task<int> PassAsync(CliContext context, ReplicaHost replica, List<string> seeds, string directory, double rate, string every,
        int untilChecks, double maxSeconds, int idleSeconds, bool noIndex, bool unitEnv, CancellationToken ct)
    {
        var o = context.Out;
        var add = Stopwatch.StartNew();
        // In this process: its CPU over the add is the add's (the replica is idle meanwhile).
        var addCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var added = await CliApp.RunAsync(["-q", "watch", "add", .. seeds, "--every", every, "--data", directory], TextWriter.Null, context.Error, ct);
        if (added != ExitCodes.Ok) throw new ArchiverException($"watch add failed (exit {added})");
        addCpu = Process.GetCurrentProcess().TotalProcessorTime - addCpu;
        o.WriteLine($"  add        {seeds.Count:N0} entries (--every {every}) in {add.Elapsed.TotalSeconds:0.0} s ({addCpu.TotalSeconds:0.00} s CPU)");

        replica.Log.Clear();
        using var watcher = StartWatcher(["watch", "run", "--data", directory, "--allow-private", "--no-media", "--rate", rate.ToString(CultureInfo.InvariantCulture),
            .. noIndex ? new[] { "--no-index" } : []], unitEnv);
        o.WriteLine($"  watcher    pid {watcher.Id}; garbage-collector environment: {GcEnvironment(watcher)}");
        var stderr = watcher.StandardError.ReadToEndAsync(ct);
        var clock = Stopwatch.StartNew();
        var checks = 0;
        var failedLines = 0;
        var lineTimes = new List<double>();
        var lines = Task.Run(async () =>
        {
            while (await watcher.StandardOutput.ReadLineAsync(ct) is { } line)
            {
                if (!CheckLine().IsMatch(line)) continue;
                lock (lineTimes) lineTimes.Add(clock.Elapsed.TotalSeconds);
                if (!line.Contains(": archived ", StringComparison.Ordinal) && !line.Contains(": up to date", StringComparison.Ordinal) && !line.Contains(": pending", StringComparison.Ordinal)) Interlocked.Increment(ref failedLines);
                Interlocked.Increment(ref checks);
            }
        }, ct);

        var samples = new List<Sample>();
        Sample Take(Process p) => new(clock.Elapsed.TotalSeconds, Volatile.Read(ref checks), Rss(p), ReplicaServerProcess.ReadStatus(p.Id, "RssAnon:") ?? 0, Cpu(p));
        while (Volatile.Read(ref checks) < untilChecks && clock.Elapsed.TotalSeconds < maxSeconds)
        {
            if (watcher.HasExited) throw new ArchiverException($"the watcher ended (exit {watcher.ExitCode}): {await stderr}");
            samples.Add(Take(watcher));
            await Task.Delay(1000, ct);
        }
        var passEnd = Take(watcher);
        samples.Add(passEnd);
        var done = passEnd.Checks;
        var peak = ReplicaServerProcess.ReadStatus(watcher.Id, "VmHWM:") ?? 0;

        // What the host saw: pages (rate-limited) and robots.txt (asked once per check, not rate-limited, as in a crawl).
        var requests = replica.Log.Requests.Where(r => r.Origin == OriginKind.Telegram).ToList();
        var pages = requests.Where(r => r.PathAndQuery != "/robots.txt").OrderBy(r => r.At).ToList();
        var robots = requests.Count - pages.Count;
        double[] times;
        lock (lineTimes) times = [.. lineTimes];
        var first = times.Length > 0 ? times[0] : 0;
        var last = times.Length > 0 ? times[^1] : passEnd.Seconds;
        var span = pages.Count > 1 ? (pages[^1].At - pages[0].At).TotalSeconds : 0;
        var pageRate = span > 0 ? (pages.Count - 1) / span : 0;
        var maxWindow = MaxInWindow(pages.Select(p => p.At).ToList(), TimeSpan.FromSeconds(10)) / 10.0;
        var limit = rate > 0 ? string.Create(CultureInfo.InvariantCulture, $"=> {pageRate / rate:P0} of the limit (target: at the limit, never above)") : "(no limit)";
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  pass       {done:N0} of {untilChecks:N0} checks{(done < untilChecks ? $" (stopped after --max-seconds {maxSeconds:0})" : "")} ({Volatile.Read(ref failedLines):N0} not read) in {last - first:0.0} s from the first check line to the last = {(done - 1) / Math.Max(1e-9, last - first):0.00} checks/s (watcher started {first:0.0} s before its first check line); watcher CPU {passEnd.Cpu.TotalSeconds:0.0} s = {passEnd.Cpu.TotalMilliseconds / Math.Max(1, done):0} ms a check"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  host       {pages.Count:N0} pages + {robots:N0} robots.txt from the Telegram host; pages {pageRate:0.00}/s over {span:0.0} s, busiest 10 s {maxWindow:0.00}/s; politeness limit --rate {rate:0.##}/s per host {limit}"));
        o.WriteLine($"  RSS        every {Math.Max(1, done / 10):N0} checks (checks: MiB (of which anonymous, not file-mapped)): {RssCurve(samples, Math.Max(1, done / 10))}");
        o.WriteLine($"  peak RSS   {Format.Bytes(peak)}   (target <= 300 MB)");

        var idler = watcher;
        Process? second = null;
        if (done < untilChecks)
        {
            // Some entries are still due: stop, pause those, and measure idle with a watcher that has nothing due.
            await StopAsync(watcher, ct);
            var list = new StringWriter();
            await CliApp.RunAsync(["watch", "list", "--json", "--data", directory], list, context.Error, ct);
            using var json = System.Text.Json.JsonDocument.Parse(list.ToString());
            var notChecked = json.RootElement.EnumerateArray().Where(e => e.GetProperty("checks").GetInt32() == 0).Select(e => e.GetProperty("id").GetString()!).ToList();
            if (notChecked.Count > 0) await CliApp.RunAsync(["-q", "watch", "pause", .. notChecked, "--data", directory], TextWriter.Null, context.Error, ct);
            second = StartWatcher(["watch", "run", "--data", directory, "--allow-private", "--no-media", "--rate", rate.ToString(CultureInfo.InvariantCulture), .. noIndex ? new[] { "--no-index" } : []], unitEnv);
            _ = second.StandardError.ReadToEndAsync(ct);
            while (await second.StandardOutput.ReadLineAsync(ct) is { } line && !line.Contains("due now", StringComparison.Ordinal)) { }
            _ = second.StandardOutput.BaseStream.CopyToAsync(Stream.Null, ct);
            await Task.Delay(2000, ct);
            o.WriteLine($"  idle       {notChecked.Count:N0} entries not checked were paused; a second watcher started on the list ({json.RootElement.GetArrayLength():N0} entries, none due)");
            idler = second;
        }

        // Idle: nothing is due; what the watcher does now is its timers, the notifier, the runtime.
        var idleSamples = new List<Sample> { Take(idler) };
        var checksBeforeIdle = Volatile.Read(ref checks);
        for (var i = 0; i < idleSeconds; i++)
        {
            await Task.Delay(1000, ct);
            idleSamples.Add(Take(idler));
        }
        var checksDuringIdle = Volatile.Read(ref checks) - checksBeforeIdle;
        var idleCpu = idleSamples[^1].Cpu - idleSamples[0].Cpu;
        var idleWall = idleSamples[^1].Seconds - idleSamples[0].Seconds;
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  idle       {idleWall:0.0} s with nothing due ({checksDuringIdle} checks in it): watcher CPU {idleCpu.TotalSeconds:0.000} s = {(idleWall > 0 ? idleCpu.TotalSeconds / idleWall : 0):P2} of one core   (target <= 5 %); RSS {Format.Bytes(idleSamples[^1].RssBytes)} (anonymous {Format.Bytes(idleSamples[^1].AnonBytes)}, the rest file-mapped: the search index, libraries)"));
        if (second is null) peak = ReplicaServerProcess.ReadStatus(watcher.Id, "VmHWM:") ?? peak;
        await StopAsync(idler, ct);
        await lines;
        o.WriteLine($"  stop       SIGTERM -> exit {idler.ExitCode}{(second is null ? "" : $" (first watcher: exit {watcher.ExitCode})")}; peak RSS {Format.Bytes(peak)}; load average now {LoadAverage()}");
        var ok = watcher.ExitCode == 0 && idler.ExitCode == 0;
        second?.Dispose();
        if (!ok) context.Error.WriteLine(await stderr);
        return ok ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static async Task StopAsync(Process p, CancellationToken ct)
    {
        using (var term = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", p.Id.ToString(CultureInfo.InvariantCulture) } })) term?.WaitForExit();
        await p.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromMinutes(2), ct);
    }

    private static string RssCurve(List<Sample> samples, int step)
    {
        var points = new List<string>();
        for (var at = 0; ; at += step)
        {
            var s = samples.FirstOrDefault(x => x.Checks >= at);
            if (s is null) break;
            points.Add(string.Create(CultureInfo.InvariantCulture, $"{s.Checks}: {s.RssBytes / (1024.0 * 1024):0} ({s.AnonBytes / (1024.0 * 1024):0})"));
        }
        return string.Join(", ", points);
    }

    private static int MaxInWindow(List<DateTimeOffset> times, TimeSpan window)
    {
        var best = 0;
        for (int i = 0, j = 0; i < times.Count; i++)
        {
            while (times[i] - times[j] >= window) j++;
            best = Math.Max(best, i - j + 1);
        }
        return best;
    }

    private static long Rss(Process p) => ReplicaServerProcess.ReadStatus(p.Id, "VmRSS:") ?? 0;

    private static TimeSpan Cpu(Process p)
    {
        p.Refresh();
        return p.TotalProcessorTime;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    /// <summary>The DOTNET_GC* / COMPlus_GC* variables the watcher runs with, from its /proc environ.</summary>
    private static string GcEnvironment(Process p)
    {
        try
        {
            var vars = File.ReadAllText($"/proc/{p.Id}/environ").Split('\0')
                .Where(v => v.StartsWith("DOTNET_GC", StringComparison.OrdinalIgnoreCase) || v.StartsWith("COMPlus_GC", StringComparison.OrdinalIgnoreCase)).ToList();
            return vars.Count == 0 ? "none (as 'archiver watch run' from a shell)" : string.Join(' ', vars);
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static Process StartWatcher(string[] args, bool unitEnv)
    {
        var info = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var assembly = typeof(CliApp).Assembly.Location;
        var muxer = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        info.FileName = assembly.Length > 0 ? muxer : Path.Combine(AppContext.BaseDirectory, "archiver");
        if (assembly.Length > 0) info.ArgumentList.Add(assembly);
        foreach (var a in args) info.ArgumentList.Add(a);
        // --unit-env: as the systemd unit (docs/archiver-watch.service) runs the watcher, unless the caller set them otherwise.
        if (unitEnv)
        {
            info.Environment.TryAdd("DOTNET_GCConserveMemory", "7");
            info.Environment.TryAdd("DOTNET_GCgen0size", "0x1000000");
        }
        return Process.Start(info) ?? throw new ArchiverException("Could not start 'archiver watch run'.");
    }
}
