using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Archiver.Cli;
using Archiver.Replica;

namespace Archiver.Benchmarks;

/// <summary>
/// <c>Archiver.Benchmarks serve</c> (issue 18): a real <c>archiver serve</c> child process over the shared corpus's
/// archive (imported once into <c>--archive</c> and reused), optionally watching Telegram channels of a replica
/// running in this process, so the figures are taken while the watcher works. It asks what the search page asks:
/// the exact total, the top 20, counts by 6 fields and a weekly histogram, for each of the 200 shared queries.
/// <list type="bullet">
/// <item>single client: every query once to warm up (each total checked against <c>expected-hits.tsv</c>), then
/// <c>--rounds</c> timed rounds: p50, p90, p99, max;</item>
/// <item>concurrent: <c>wrk</c> (Debian package) with <c>--connections</c> connections cycling through the 200 queries
/// for <c>--seconds</c>: requests/s and its latency percentiles;</item>
/// <item>the post page (HTML) and <c>/api/posts/KEY</c> for 200 posts from the answers: p50, p99;</item>
/// <item>the server's RSS now and at its peak (/proc), and its CPU time.</item>
/// </list>
/// </summary>
public static class ServeBenchmark
{
    private static readonly string[] Facets = ["platform", "channel", "author", "lang", "hashtag", "domain"];

    public static Command Command(CommandRunner run)
    {
        var corpus = new Option<string>("--corpus") { Description = "The shared JSONL corpus (../shared/bench/gen_corpus.py)", DefaultValueFactory = _ => "/tmp/corpus.jsonl" };
        var archive = new Option<string>("--archive") { Description = "The archive to serve: imported from the corpus when it does not hold it yet, kept for the next run", DefaultValueFactory = _ => "/tmp/archiver-bench-serve" };
        var bench = new Option<string>("--bench") { Description = "The shared benchmark folder (queries.txt, expected-hits.tsv)", DefaultValueFactory = _ => "../shared/bench" };
        var rounds = new Option<int>("--rounds") { Description = "Timed single-client rounds over the 200 queries", DefaultValueFactory = _ => 3 };
        var connections = new Option<int>("--connections") { Description = "wrk's connections", DefaultValueFactory = _ => 16 };
        var seconds = new Option<int>("--seconds") { Description = "wrk's duration", DefaultValueFactory = _ => 30 };
        var channels = new Option<int>("--watch-channels") { Description = "Telegram channels of a replica the server's watcher checks meanwhile (0: serve --no-watch)", DefaultValueFactory = _ => 100 };
        var rate = new Option<double>("--watch-rate") { Description = "The watcher's requests a second to the replica's host", DefaultValueFactory = _ => 5 };
        var command = new Command("serve", "archiver serve on the 1M-post archive: /api/search single client and under wrk, post pages, RSS, with the watcher running")
        {
            corpus, archive, bench, rounds, connections, seconds, channels, rate,
        };
        run.Attach(command, async (context, parse, ct) =>
        {
            var o = context.Out;
            var benchDir = parse.GetValue(bench)!;
            var queries = SearchCorpus.ReadQueries(Path.Combine(benchDir, "queries.txt"));
            var expected = SearchCorpus.ReadExpected(Path.Combine(benchDir, "expected-hits.tsv"));
            var data = Path.GetFullPath(parse.GetValue(archive)!);
            await EnsureArchiveAsync(context, parse.GetValue(corpus)!, data, ct);

            var n = parse.GetValue(channels);
            await using var replica = n > 0 ? await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 1, Size = ReplicaSize.Channels(n), LogRequests = true }, ct) : null;
            var serveArgs = new List<string> { "serve", "--listen", "127.0.0.1:0", "--data", data };
            if (replica is not null)
            {
                await ReplaceWatchListAsync(context, data, replica.Seeds.Where(s => s.StartsWith("telegram:", StringComparison.Ordinal)).ToList(), ct);
                serveArgs.AddRange(["--allow-private", "--no-media", "--rate", parse.GetValue(rate).ToString(CultureInfo.InvariantCulture), "--notify-atom", "none"]);
            }
            else
            {
                serveArgs.Add("--no-watch");
            }
            o.WriteLine($"bench serve: {data}, {queries.Count} queries; watcher {(replica is null ? "off" : $"on, {n} Telegram channels of the replica at --rate {parse.GetValue(rate)}")}; " +
                $"{Environment.ProcessorCount} cores, load average {LoadAverage()}");

            var started = Stopwatch.StartNew();
            using var server = StartServer(serveArgs);
            var lines = new List<string>();
            var errors = new StringBuilder();
            var url = await ReadUrlAsync(server, lines, errors, ct);
            o.WriteLine($"  started    {url} in {started.Elapsed.TotalSeconds:0.0} s, RSS {Format.Bytes(Rss(server, "VmRSS:"))}");
            var requestsBefore = replica?.Log.Total ?? 0;
            try
            {
                using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
                var paths = queries.Select(q => SearchPath(q.Text)).ToList();

                // Warm-up round: every total checked, and post keys collected for the post pages.
                var keys = new List<string>();
                var wrong = 0;
                for (var i = 0; i < queries.Count; i++)
                {
                    using var doc = JsonDocument.Parse(await http.GetStringAsync(paths[i], ct));
                    var total = doc.RootElement.GetProperty("total").GetInt64();
                    if (expected.TryGetValue(queries[i].Id, out var want) && want != total)
                    {
                        wrong++;
                        context.Error.WriteLine($"  {queries[i].Id} {queries[i].Text}: total {total:N0}, expected {want:N0}");
                    }
                    foreach (var hit in doc.RootElement.GetProperty("hits").EnumerateArray().Take(1)) keys.Add(hit.GetProperty("key").GetString()!);
                }
                o.WriteLine($"  totals     {queries.Count - wrong} of {queries.Count} equal to expected-hits.tsv{(wrong > 0 ? " (the watcher adds replica posts: only queries its posts match may differ)" : "")}");

                var single = new List<double>();
                for (var r = 0; r < parse.GetValue(rounds); r++)
                    foreach (var path in paths) single.Add(await TimeAsync(http, path, ct));
                o.WriteLine($"  single     /api/search (count, top 20, {Facets.Length} facets, weekly histogram), {single.Count} requests: {Percentiles(single)}   (target p50 <= 30 ms, p99 <= 200 ms)");
                // Where a mix's time goes: the rate under wrk is set by the few queries that match most of the archive.
                var byQuery = Enumerable.Range(0, queries.Count)
                    .Select(i => (Query: queries[i], Ms: Enumerable.Range(0, single.Count / queries.Count).Sum(r => single[r * queries.Count + i])))
                    .OrderByDescending(q => q.Ms).ToList();
                var all = byQuery.Sum(q => q.Ms);
                o.WriteLine($"  slowest    10 of {queries.Count} queries take {byQuery.Take(10).Sum(q => q.Ms) / all:P0} of the single-client time: " +
                    string.Join(", ", byQuery.Take(10).Select(q => $"{q.Query.Text} {q.Ms / (single.Count / queries.Count):0.0} ms")));

                var wrk = await WrkAsync(context, url, paths, parse.GetValue(connections), parse.GetValue(seconds), server, ct);
                o.WriteLine($"  wrk        {wrk}   (target >= 150 requests/s)");

                var postPages = new List<double>();
                var postApi = new List<double>();
                for (var r = 0; r < 2; r++)
                    foreach (var key in keys)
                    {
                        postPages.Add(await TimeAsync(http, "/posts/" + Uri.EscapeDataString(key), ct));
                        postApi.Add(await TimeAsync(http, "/api/posts/" + Uri.EscapeDataString(key), ct));
                    }
                o.WriteLine($"  post page  /posts/KEY, {postPages.Count} requests: {Percentiles(postPages)}   (target p50 <= 10 ms)");
                o.WriteLine($"  post API   /api/posts/KEY, {postApi.Count} requests: {Percentiles(postApi)}");
                o.WriteLine($"  server     RSS {Format.Bytes(Rss(server, "VmRSS:"))}, peak {Format.Bytes(Rss(server, "VmHWM:"))}   (target <= 800 MB); " +
                    $"CPU {Cpu(server).TotalSeconds:0.0} s over {started.Elapsed.TotalSeconds:0} s");
                if (replica is not null)
                {
                    var checks = lines.Count(l => l.Contains(" next check ", StringComparison.Ordinal));
                    o.WriteLine($"  watcher    {replica.Log.Total - requestsBefore:N0} requests to the replica, {checks:N0} checks reported while measuring");
                }
            }
            finally
            {
                using (var term = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", server.Id.ToString(CultureInfo.InvariantCulture) } })) term?.WaitForExit();
                await server.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromMinutes(2), ct);
                // What the server wrote to stderr (a failed request's stack): a benchmark that hid it would hide a bug.
                lock (errors)
                    if (errors.Length > 0) context.Error.WriteLine($"  server stderr:\n{(errors.Length > 4000 ? errors.ToString(0, 4000) + " ..." : errors)}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string SearchPath(string query)
    {
        var path = new StringBuilder("/api/search?q=").Append(Uri.EscapeDataString(query)).Append("&limit=20&histogram=week");
        foreach (var f in Facets) path.Append("&by=").Append(f);
        return path.ToString();
    }

    /// <summary>The corpus imported by <c>archiver import</c> once; a marker file says it finished.</summary>
    private const string IndexWithHitDetails = "index: hit details";

    private static async Task EnsureArchiveAsync(CliContext context, string corpus, string data, CancellationToken ct)
    {
        var marker = Path.Combine(data, "bench-serve-imported.txt");
        var source = new FileInfo(corpus);
        if (!source.Exists) throw new UsageException($"Corpus not found: {corpus} (generate it with ../shared/bench/gen_corpus.py 1000000 /tmp/corpus.jsonl).");
        var stamp = $"{source.FullName} {source.Length}";
        // Hits are shown from what the index keeps of each post (HitDetails): an index built before it would be
        // measured reading every hit from the store instead.
        var current = stamp + " " + IndexWithHitDetails;
        var found = File.Exists(marker) ? File.ReadAllText(marker) : null;
        if (found == current) return;
        if (found == stamp)
        {
            context.Out.WriteLine($"bench serve: rebuilding the index of {data} (it predates hit details; once)");
            var rebuild = Stopwatch.StartNew();
            if (await CliApp.RunAsync(["-q", "index", "--rebuild", "--data", data], context.Out, context.Error, ct) != ExitCodes.Ok)
                throw new ArchiverException("index --rebuild failed");
            File.WriteAllText(marker, current);
            context.Out.WriteLine($"  rebuilt in {rebuild.Elapsed.TotalSeconds:0} s");
            return;
        }
        if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        context.Out.WriteLine($"bench serve: importing {corpus} into {data} (once; later runs reuse it)");
        var watch = Stopwatch.StartNew();
        var code = await CliApp.RunAsync(["-q", "import", corpus, "--data", data], context.Out, context.Error, ct);
        if (code != ExitCodes.Ok) throw new ArchiverException($"import failed (exit {code})");
        File.WriteAllText(marker, current);
        context.Out.WriteLine($"  imported in {watch.Elapsed.TotalSeconds:0} s");
    }

    /// <summary>The replica's port changes from run to run: the list holds this run's channels only.</summary>
    private static async Task ReplaceWatchListAsync(CliContext context, string data, List<string> seeds, CancellationToken ct)
    {
        var list = new StringWriter();
        if (await CliApp.RunAsync(["--json", "watch", "list", "--data", data], list, context.Error, ct) != ExitCodes.Ok) throw new ArchiverException("watch list failed");
        using var doc = JsonDocument.Parse(list.ToString());
        var ids = doc.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
        if (ids.Count > 0 && await CliApp.RunAsync(["-q", "watch", "remove", .. ids, "--data", data], TextWriter.Null, context.Error, ct) != ExitCodes.Ok)
            throw new ArchiverException("watch remove failed");
        // Short intervals, so the watcher is at work all through the measurement.
        if (await CliApp.RunAsync(["-q", "watch", "add", .. seeds, "--every", "2m", "--data", data], TextWriter.Null, context.Error, ct) != ExitCodes.Ok)
            throw new ArchiverException("watch add failed");
    }

    private static Process StartServer(List<string> args)
    {
        var info = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var assembly = typeof(CliApp).Assembly.Location;
        var muxer = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        info.FileName = muxer;
        info.ArgumentList.Add(assembly);
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info) ?? throw new ArchiverException("Could not start 'archiver serve'.");
    }

    /// <summary>Waits for "Archiver serves DIR at URL"; then keeps reading its output (the watcher's lines) into <paramref name="lines"/>.</summary>
    private static async Task<Uri> ReadUrlAsync(Process server, List<string> lines, StringBuilder errors, CancellationToken ct)
    {
        var url = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(async () =>
        {
            while (await server.StandardOutput.ReadLineAsync(ct) is { } line)
            {
                lock (lines) lines.Add(line);
                var at = line.IndexOf(" at http://", StringComparison.Ordinal);
                if (line.StartsWith("Archiver serves ", StringComparison.Ordinal) && at > 0)
                    url.TrySetResult(new Uri(line[(at + 4)..].Split(' ')[0]));
            }
            url.TrySetException(new ArchiverException($"archiver serve exited before listening: {errors}"));
        }, ct);
        _ = Task.Run(async () =>
        {
            while (await server.StandardError.ReadLineAsync(ct) is { } line) lock (errors) errors.AppendLine(line);
        }, ct);
        return await url.Task.WaitAsync(TimeSpan.FromMinutes(5), ct);
    }

    private static async Task<double> TimeAsync(HttpClient http, string path, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, ct);
        var ms = watch.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode) throw new ArchiverException($"GET {path}: {(int)response.StatusCode}");
        return ms;
    }

    /// <summary>wrk cycling through the paths (each of its threads from its own starting point), the server's RSS sampled meanwhile.</summary>
    private static async Task<string> WrkAsync(CliContext context, Uri url, List<string> paths, int connections, int seconds, Process server, CancellationToken ct)
    {
        if (!File.Exists("/usr/bin/wrk")) return "skipped: wrk not installed (apt-get install wrk)";
        var script = Path.Combine(Path.GetTempPath(), $"archiver-bench-serve-{Environment.ProcessId}.lua");
        var lua = new StringBuilder("local paths = {\n");
        foreach (var p in paths) lua.Append("  \"").Append(p.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\",\n");
        lua.Append("""
            }
            local counter = 0
            function setup(thread)
              thread:set("start", counter * 97)
              counter = counter + 1
            end
            local i = 0
            function init(args)
              i = start or 0
            end
            request = function()
              i = i + 1
              return wrk.format("GET", paths[(i % #paths) + 1])
            end
            """);
        File.WriteAllText(script, lua.ToString());
        try
        {
            var info = new ProcessStartInfo("/usr/bin/wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-t", "2", "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", $"{seconds}s", "--timeout", "10s", "--latency", "-s", script, url.ToString() })
                info.ArgumentList.Add(a);
            var cpu = Cpu(server);
            long peak = 0;
            using var wrk = Process.Start(info)!;
            var output = wrk.StandardOutput.ReadToEndAsync(ct);
            while (!wrk.HasExited)
            {
                peak = Math.Max(peak, Rss(server, "VmRSS:"));
                await Task.Delay(250, ct);
            }
            await wrk.WaitForExitAsync(ct);
            var text = await output;
            string Line(string start) => text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(start, StringComparison.Ordinal)) ?? "";
            var errors = Line("Non-2xx") is { Length: > 0 } bad ? $"; {bad}" : "";
            var socket = Line("Socket errors") is { Length: > 0 } se ? $"; {se}" : "";
            return $"{connections} connections, {seconds} s: {Line("Requests/sec:")}; latency {Line("50%")}, {Line("90%")}, {Line("99%")}{errors}{socket}; " +
                $"server CPU {(Cpu(server) - cpu).TotalSeconds / seconds:0.00} cores, RSS up to {Format.Bytes(peak)}";
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static string Percentiles(List<double> ms)
    {
        var sorted = ms.Order().ToList();
        double At(double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"p50 {At(0.50):0.00} ms, p90 {At(0.90):0.00} ms, p99 {At(0.99):0.00} ms, max {sorted[^1]:0.00} ms");
    }

    private static long Rss(Process p, string field) => (ReplicaServerProcess.ReadStatus(p.Id, field) ?? 0);

    private static TimeSpan Cpu(Process p)
    {
        try
        {
            p.Refresh();
            return p.TotalProcessorTime;
        }
        catch (InvalidOperationException)
        {
            return TimeSpan.Zero;
        }
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
