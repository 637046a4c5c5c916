using System.CommandLine;
using System.Diagnostics;
using Archiver.Cli;
using Archiver.Replica;

namespace Archiver.Benchmarks;

/// <summary>
/// <c>Archiver.Benchmarks replica</c>: how many Telegram pages and small API answers per second the replica
/// serves to an in-process load generator. The generator shares the cores with the server, so an
/// out-of-process tool (wrk against <c>archiver replica serve</c>) reports higher figures.
/// </summary>
public static class ReplicaBenchmark
{
    public sealed record Result(string Workload, long Requests, double Seconds, long Bytes, long Errors)
    {
        public double PerSecond => Requests / Seconds;
        public double MegabytesPerSecond => Bytes / Seconds / 1e6;
    }

    public static Command Command(CommandRunner run)
    {
        var seconds = new Option<double>("--seconds") { Description = "Duration of each workload", DefaultValueFactory = _ => 5 };
        var connections = new Option<int>("--connections") { Description = "Concurrent connections", DefaultValueFactory = _ => 32 };
        var size = new Option<string>("--size") { Description = "Replica size (small, medium, large, posts:N)", DefaultValueFactory = _ => "medium" };
        var command = new Command("replica", "Replica server throughput: Telegram pages/s (20 posts each) and small API answers/s") { seconds, connections, size };
        run.Attach(command, async (context, parse, ct) =>
        {
            var duration = TimeSpan.FromSeconds(parse.GetValue(seconds));
            var conns = parse.GetValue(connections);
            if (duration <= TimeSpan.Zero || conns <= 0) throw new UsageException("--seconds and --connections must be positive.");
            await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Size = ReplicaSize.Parse(parse.GetValue(size)!), LogRequests = false }, ct);
            context.Out.WriteLine($"bench replica: {replica.Network.Size} network, {conns} connections, {duration.TotalSeconds:0.#} s per workload (in-process client)");
            var results = new List<Result>();
            foreach (var (name, urls) in Workloads(replica))
            {
                var result = await RunAsync(name, urls, conns, duration, ct);
                results.Add(result);
                context.Out.WriteLine($"  {name,-34} {result.PerSecond,10:N0} req/s  {result.MegabytesPerSecond,8:N1} MB/s  ({result.Requests:N0} requests, {result.Errors} errors)");
            }
            context.Out.WriteLine($"  peak RSS {Format.Bytes(ProcessStats.PeakRssBytes())}");
            if (context.Json) context.WriteJson(results);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Telegram pages from the newest back through older ones (cached after the first visit), then small API answers.</summary>
    private static IEnumerable<(string, string[])> Workloads(ReplicaHost replica)
    {
        var network = replica.Network;
        var telegram = new TelegramGenerator(network);
        var tg = replica.Endpoints.Origin(OriginKind.Telegram);
        var pages = network.Channels.Where(c => c.Stream.BaseCount > 0)
            .SelectMany(c => Enumerable.Range(0, 50).Select(k => c.Stream.BaseCount - 1 - k * 20).Where(i => i > 0)
                .Select(i => $"{tg}/s/{c.Name}?before={telegram.IdOf(c, i)}"))
            .ToArray();
        yield return ("telegram /s/ pages (20 posts)", pages);
        var api = replica.Endpoints.Origin(OriginKind.Mastodon);
        var statuses = network.AccountsOf(Flavor.Mastodon)
            .SelectMany(a => Enumerable.Range(0, 100).Where(i => i < a.Stream.BaseCount).Select(i => $"{api}/api/v1/statuses/{MastodonGenerator.IdOf(a, i)}"))
            .ToArray();
        yield return ("mastodon /api/v1/statuses/:id", statuses);
        var lookups = network.AccountsOf(Flavor.Mastodon).Select(a => $"{api}/api/v1/accounts/lookup?acct={a.Username}").ToArray();
        yield return ("mastodon /api/v1/accounts/lookup", lookups);
    }

    private static async Task<Result> RunAsync(string name, string[] urls, int connections, TimeSpan duration, CancellationToken ct)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseCookies = false, AllowAutoRedirect = false });
        // Warm up: JIT and the page cache.
        foreach (var url in urls.Take(200)) await http.GetByteArrayAsync(url, ct);
        long requests = 0, bytes = 0, errors = 0, next = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            while (clock.Elapsed < duration && !ct.IsCancellationRequested)
            {
                var url = urls[(int)(Interlocked.Increment(ref next) % urls.Length)];
                using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
                await using var body = await response.Content.ReadAsStreamAsync(ct);
                int read;
                long n = 0;
                while ((read = await body.ReadAsync(buffer, ct)) > 0) n += read;
                Interlocked.Add(ref bytes, n);
                Interlocked.Increment(ref requests);
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
            }
        }, ct)).ToArray();
        await Task.WhenAll(workers);
        return new Result(name, requests, clock.Elapsed.TotalSeconds, bytes, errors);
    }
}
