using System.CommandLine;
using Archiver.Replica;

namespace Archiver.Cli;

/// <summary><c>archiver replica serve|truth</c>: run the offline replica network, or write what it serves.</summary>
public sealed class ReplicaCommand : ICliCommand
{
    private readonly Option<ulong> seed = new("--seed") { Description = "Generator seed: same seed, same network, same bytes", DefaultValueFactory = _ => 1 };
    private readonly Option<string> size = new("--size") { Description = "small | medium | large | posts:N", DefaultValueFactory = _ => "small" };
    private readonly Option<int> version = new("--version") { Description = "Network version: 1, or 2 (some posts edited, some deleted, a few new)", DefaultValueFactory = _ => 1 };
    private readonly Option<int> port = new("--port") { Description = "First port; the 7 origins take consecutive ports (0: free ports)", DefaultValueFactory = _ => 8470 };

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
        var command = new Command("serve", "Serve the replica until Ctrl-C; prints the origins and seeds to crawl") { seed, size, version, port, faults, auth };
        run.Attach(command, async (context, parse, ct) =>
        {
            var options = Options(parse) with
            {
                Faults = FaultSettings.Parse(parse.GetValue(faults)),
                AuthRequired = (parse.GetValue(auth) ?? []).Select(ParseOrigin).ToHashSet(),
                LogRequests = false,
            };
            await using var replica = await ReplicaHost.StartAsync(options, ct);
            var e = replica.Endpoints;
            context.Out.WriteLine($"Replica network: seed {options.Seed}, size {options.Size}, version {options.Version}, {options.Size.TotalPosts:N0} posts (version 1)");
            foreach (var kind in Enum.GetValues<OriginKind>()) context.Out.WriteLine($"  {kind,-12} {e.Origin(kind)}");
            var all = replica.Seeds.Count <= 40;
            context.Out.WriteLine(all ? "Seeds:" : "Example seeds:");
            foreach (var s in all ? replica.Seeds : ExampleSeeds(replica)) context.Out.WriteLine($"  {s}");
            context.Out.WriteLine($"  ({replica.Seeds.Count} seeds in all; robots.txt disallows /private/)");
            if (!options.Faults.All.IsNone || options.Faults.ByOrigin.Count > 0) context.Out.WriteLine($"Faults: {parse.GetValue(faults)}");
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
        var command = new Command("truth", "Write the ground truth (authors, posts, feed items, media, takedowns) the replica serves, as JSON lines") { seed, size, version, port, output, faults };
        command.Options.Single(o => o.Name == "--port").Description = "First port the replica is served on (hosts in records carry the port)";
        run.Attach(command, async (context, parse, ct) =>
        {
            var options = Options(parse);
            options.Validate();
            var network = new ReplicaNetwork(options.Seed, options.Size);
            var endpoints = ReplicaEndpoints.FromPort(options.Port == 0 ? 8470 : options.Port);
            var settings = FaultSettings.Parse(parse.GetValue(faults));
            var takedowns = settings.All.Takedowns.Select(t => ((OriginKind?)null, t))
                .Concat(settings.ByOrigin.SelectMany(p => p.Value.Takedowns.Select(t => ((OriginKind?)p.Key, t)))).ToList();
            var truth = new ReplicaTruth(network, endpoints, options.Version, takedowns);
            var path = parse.GetValue(output)!;
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

    private static OriginKind ParseOrigin(string name) =>
        Enum.TryParse<OriginKind>(name, ignoreCase: true, out var kind) && kind is OriginKind.Mastodon or OriginKind.TruthSocial or OriginKind.Gab
            ? kind : throw new UsageException($"--auth-required takes mastodon, truthsocial or gab, not '{name}'.");

    private static IEnumerable<string> ExampleSeeds(ReplicaHost replica) =>
        replica.Seeds.GroupBy(s => s[..s.IndexOf(':')]).Select(g => g.First());
}
