using System.CommandLine;
using Archiver.Replica;

namespace Archiver.Cli;

/// <summary><c>archiver replica serve|truth</c>: run the offline replica network, or write what it serves.</summary>
public sealed class ReplicaCommand : ICliCommand
{
    private readonly Option<ulong> seed = new("--seed") { Description = "Generator seed: same seed, same network, same bytes", DefaultValueFactory = _ => 1 };
    private readonly Option<string> size = new("--size") { Description = "small | medium | large | posts:N | channels:N (N Telegram channels of 20 posts)", DefaultValueFactory = _ => "small" };
    private readonly Option<int> version = new("--version") { Description = "Network version: 1, or 2 (some posts edited, some deleted, a few new)", DefaultValueFactory = _ => 1 };
    private readonly Option<int> port = new("--port") { Description = "First port; the 7 origins take consecutive ports (0: free ports)", DefaultValueFactory = _ => 8470 };
    private readonly Option<bool> evolve = new("--evolve") { Description = "Change over time after version 1: new posts, edits, deletions, channels and accounts taken down and back, on a schedule from the seed" };
    private readonly Option<string?> evolveStart = new("--evolve-start") { Description = "Simulated time the changes start (ISO 8601, UTC; 2025-09-03 or later); serve: default now, to the minute" };
    private readonly Option<double> evolveDays = new("--evolve-days") { Description = "Simulated days of changes after --evolve-start", DefaultValueFactory = _ => 7 };

    public Command Build(CommandRunner run)
    {
        var command = new Command("replica", "The offline replica network: a fictional Telegram, Mastodon, Truth Social, Gab, feeds and forum on 127.0.0.1");
        command.Subcommands.Add(Serve(run));
        command.Subcommands.Add(Truth(run));
        return command;
    }

    private Command Serve(CommandRunner run)
    {
        var faults = new Option<string?>("--faults") { Description = "e.g. latency=50ms,error=0.1,reset=0.02,429=0.05,slow=0.01,takedown=chan@after:100 (prefix a key with an origin: gab.error=0.5)" };
        var auth = new Option<string[]>("--auth-required") { Description = "API origins that answer 401 without an Authorization header (mastodon, truthsocial, gab)", AllowMultipleArgumentsPerToken = true };
        var timeScale = new Option<double?>("--time-scale") { Description = "With --evolve: simulated seconds per real second (3600: an hour a second; default 1)" };
        var command = new Command("serve", "Serve the replica until Ctrl-C; prints the origins and seeds to crawl") { seed, size, version, port, faults, auth, evolve, evolveStart, evolveDays, timeScale };
        run.Attach(command, async (context, parse, ct) =>
        {
            var evolution = Evolution(parse, defaultStart: DateTimeOffset.UtcNow);
            if (evolution is null && parse.GetValue(timeScale) is not null) throw new UsageException("--time-scale needs --evolve: a static replica does not change over time.");
            var options = Options(parse) with
            {
                Faults = FaultSettings.Parse(parse.GetValue(faults)),
                AuthRequired = (parse.GetValue(auth) ?? []).Select(ParseOrigin).ToHashSet(),
                LogRequests = false,
                Evolve = evolution,
            };
            // The simulated clock starts at --evolve-start when the origins start and runs --time-scale times real time.
            if (evolution is not null) options = options with { Time = new ScaledTimeProvider(evolution.Start, parse.GetValue(timeScale) ?? 1) };
            await using var replica = await ReplicaHost.StartAsync(options, ct);
            var e = replica.Endpoints;
            context.Out.WriteLine($"Replica network: seed {options.Seed}, size {options.Size}, version {options.Version}, {options.Size.TotalPosts:N0} posts (version 1)");
            foreach (var kind in Enum.GetValues<OriginKind>()) context.Out.WriteLine($"  {kind,-12} {e.Origin(kind)}");
            var all = replica.Seeds.Count <= 40;
            context.Out.WriteLine(all ? "Seeds:" : "Example seeds:");
            foreach (var s in all ? replica.Seeds : ExampleSeeds(replica)) context.Out.WriteLine($"  {s}");
            context.Out.WriteLine($"  ({replica.Seeds.Count} seeds in all; robots.txt disallows /private/)");
            if (!options.Faults.All.IsNone || options.Faults.ByOrigin.Count > 0) context.Out.WriteLine($"Faults: {parse.GetValue(faults)}");
            if (replica.Network.Evolution is { } ev)
            {
                var start = Iso(ev.Settings.Start);
                context.Out.WriteLine($"Evolving: {ev.Changes.Count:N0} changes from {start} to {Iso(ev.Settings.End)} (simulated), clock x{parse.GetValue(timeScale) ?? 1}; now {Iso(replica.Now)}");
                context.Out.WriteLine($"  truth: archiver replica truth --evolve --seed {options.Seed} --size {options.Size} --port {e.Get(OriginKind.Telegram).Port} --evolve-start {start} --evolve-days {ev.Settings.Days.ToString(System.Globalization.CultureInfo.InvariantCulture)} --out changes.jsonl");
                context.Out.WriteLine($"  live: {e.Origin(OriginKind.Telegram)}/__replica/changes (up to now), /__replica/now");
            }
            context.Out.WriteLine("Serving until Ctrl-C.");
            await context.Out.FlushAsync(ct);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                context.Out.WriteLine($"Stopped after {replica.Log.Total:N0} requests.");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private Command Truth(CommandRunner run)
    {
        var output = new Option<string>("--out") { Description = "JSONL file to write ('-' for standard output)", Required = true };
        var faults = new Option<string?>("--faults") { Description = "The faults 'serve' runs with: takedowns in force from the first request become 'takedown' lines and their posts are left out" };
        var at = new Option<string?>("--at") { Description = "With --evolve: write the state at this simulated time (ISO 8601) instead of the changes" };
        var until = new Option<string?>("--until") { Description = "With --evolve: write the changes up to this simulated time (default: all)" };
        var command = new Command("truth", "Write the ground truth (authors, posts, feed items, media, takedowns) the replica serves, as JSON lines; with --evolve, every change with its time ({time, type: new_post|edited|deleted|channel_gone|channel_back, platform, host, channel, channel_key, key, native_id, url, status, text})") { seed, size, version, port, output, faults, evolve, evolveStart, evolveDays, at, until };
        command.Options.Single(o => o.Name == "--port").Description = "First port the replica is served on (hosts in records carry the port)";
        run.Attach(command, async (context, parse, ct) =>
        {
            var evolution = Evolution(parse, defaultStart: null);
            if (evolution is null && (parse.GetValue(at) is not null || parse.GetValue(until) is not null)) throw new UsageException("--at and --until need --evolve.");
            var options = Options(parse) with { Evolve = evolution };
            options.Validate();
            var network = new ReplicaNetwork(options.Seed, options.Size, evolution);
            var endpoints = ReplicaEndpoints.FromPort(options.Port == 0 ? 8470 : options.Port);
            var settings = FaultSettings.Parse(parse.GetValue(faults));
            var takedowns = settings.All.Takedowns.Select(t => ((OriginKind?)null, t))
                .Concat(settings.ByOrigin.SelectMany(p => p.Value.Takedowns.Select(t => ((OriginKind?)p.Key, t)))).ToList();
            var atTime = parse.GetValue(at) is { } atText ? Time(atText, "--at") : (DateTimeOffset?)null;
            var truth = new ReplicaTruth(network, endpoints, atTime is { } t ? new ReplicaView(options.Version, t.ToUnixTimeMilliseconds()) : options.Version, takedowns);
            var path = parse.GetValue(output)!;
            if (evolution is not null && atTime is null)
            {
                var untilMs = parse.GetValue(until) is { } u ? Time(u, "--until").ToUnixTimeMilliseconds() : long.MaxValue;
                if (path == "-")
                {
                    await truth.WriteChangesAsync(context.Out, untilMs, ct);
                    return ExitCodes.Ok;
                }
                await using var changes = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
                var n = await truth.WriteChangesAsync(changes, untilMs, ct);
                context.Error.WriteLine($"Wrote {n:N0} changes to {path}");
                return ExitCodes.Ok;
            }
            (long Authors, long Posts, long Media) counts;
            if (path == "-") counts = await truth.WriteJsonLinesAsync(context.Out, ct);
            else
            {
                await using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
                counts = await truth.WriteJsonLinesAsync(writer, ct);
                context.Error.WriteLine($"Wrote {counts.Authors:N0} authors, {counts.Posts:N0} posts and {counts.Media:N0} media files to {path}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private ReplicaOptions Options(ParseResult parse) => new()
    {
        Seed = parse.GetValue(seed),
        Size = ReplicaSize.Parse(parse.GetValue(size) ?? "small"),
        Version = parse.GetValue(version),
        Port = parse.GetValue(port),
    };

    /// <summary>The evolution settings of --evolve, or null; without --evolve-start, <paramref name="defaultStart"/> to the minute (or an error).</summary>
    private EvolveSettings? Evolution(ParseResult parse, DateTimeOffset? defaultStart)
    {
        if (!parse.GetValue(evolve))
        {
            if (parse.GetValue(evolveStart) is not null) throw new UsageException("--evolve-start needs --evolve.");
            return null;
        }
        DateTimeOffset start;
        if (parse.GetValue(evolveStart) is { } text) start = Time(text, "--evolve-start");
        else if (defaultStart is { } d) start = new DateTimeOffset(d.UtcTicks - d.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
        else throw new UsageException("--evolve needs --evolve-start here: the time 'replica serve --evolve' printed (its schedule depends on it).");
        var settings = new EvolveSettings { Start = start, Days = parse.GetValue(evolveDays) };
        settings.Validate();
        return settings;
    }

    private static DateTimeOffset Time(string text, string option) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUniversalTime() : throw new UsageException($"{option} takes an ISO 8601 time such as 2025-09-15T00:00:00Z, not '{text}'.");

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static OriginKind ParseOrigin(string name) =>
        Enum.TryParse<OriginKind>(name, ignoreCase: true, out var kind) && kind is OriginKind.Mastodon or OriginKind.TruthSocial or OriginKind.Gab
            ? kind : throw new UsageException($"--auth-required takes mastodon, truthsocial or gab, not '{name}'.");

    private static IEnumerable<string> ExampleSeeds(ReplicaHost replica) =>
        replica.Seeds.GroupBy(s => s[..s.IndexOf(':')]).Select(g => g.First());
}
