using System.CommandLine;
using System.Globalization;
using System.Net;
using Archiver.Cli;
using Archiver.Indexing;
using Archiver.Platforms;
using Archiver.Storage;
using Archiver.Watching;

namespace Archiver.Serve;

/// <summary>
/// <c>archiver serve</c>: the archive in a browser (search, posts, channels, events) and its JSON API, from one
/// archive session that holds the writer, so the index it searches is the one it keeps up to date.
/// </summary>
public sealed class ServeCommand(IReadOnlyList<IPlatform> platforms) : ICliCommand
{
    public const string DefaultListen = "127.0.0.1:8470";

    public Command Build(CommandRunner run)
    {
        var listen = new Option<string>("--listen")
        {
            Description = "Address and port to listen on (127.0.0.1 by default: only this machine; another address needs a token; port 0 picks a free one)",
            DefaultValueFactory = _ => DefaultListen,
            HelpName = "HOST:PORT",
        };
        var token = new Option<string?>("--token") { Description = "Token the browser (login page) or API client (Authorization: Bearer) must give; generated and printed when listening beyond loopback without one", HelpName = "TOKEN" };
        var replayWeb = new Option<string?>("--replayweb") { Description = "Folder of ReplayWeb.page (npm install replaywebpage: node_modules/replaywebpage) to replay original captures; else $ARCHIVER_REPLAYWEB, or replaywebpage next to the executable", HelpName = "DIR" };
        var replayPort = new Option<int?>("--replay-port") { Description = "Port of the replay origin, where original captures are replayed apart from the app (default: the --listen port + 1; 0 picks a free one)", HelpName = "PORT" };
        var noWatch = new Option<bool>("--no-watch") { Description = "Do not run the watcher inside the server (the watch list can still be changed; 'archiver watch run' checks it)" };
        var readOnly = new Option<bool>("--read-only")
        {
            Description = "For sharing: serve a snapshot of the archive, reopened when another process (a watcher, a crawl) has committed more (see --refresh), and change nothing (no watcher, no watch list changes, nothing written to the archive, no writer lock)",
        };
        var refresh = new Option<string?>("--refresh")
        {
            Description = $"With --read-only: how often to look for what the archive's writer committed since, and show it (default {WatchInterval.Format(SnapshotFollower.DefaultRefresh)})",
            HelpName = "INTERVAL",
        };
        var watchOptions = new WatchRunOptions();
        var command = new Command("serve", "Search and browse the archive in a web browser, with a JSON API (/api/search, /api/posts/KEY, /api/channels, /api/events, /api/watch), and run the watcher beside it (docs/serve.md)")
        {
            listen, token, noWatch, readOnly, refresh, replayWeb, replayPort,
        };
        foreach (var option in watchOptions.All) command.Options.Add(option);
        run.Attach(command, async (context, parse, ct) =>
        {
            var endpoint = Endpoint(parse.GetValue(listen)!);
            var given = parse.GetValue(token);
            if (given is { Length: < 12 }) throw new UsageException("--token must be at least 12 characters.");
            var secret = given ?? (IPAddress.IsLoopback(endpoint.Address) ? null : ServeSecurity.NewToken());
            var registry = new PlatformRegistry(platforms);
            // Not LiteFiles.UseSmallPageCaches (the watcher's): measured under 16 concurrent searches, LiteDB's reads
            // then failed now and then (IndexOutOfRange in its query executor) and the server went down.
            var refreshText = parse.GetValue(refresh);
            if (parse.GetValue(readOnly))
            {
                var every = refreshText is null ? SnapshotFollower.DefaultRefresh : WatchInterval.ParseDuration(refreshText, "--refresh");
                await ServeReadOnlyAsync(context, endpoint, secret, given is null, registry, every, ct);
                return ExitCodes.Ok;
            }
            if (refreshText is not null) throw new UsageException("--refresh is for --read-only: a serve that writes the archive searches its live index.");
            // The watcher's options are checked before the archive is opened (a usage error locks nothing).
            var watch = parse.GetValue(noWatch) ? null : watchOptions.Build(parse, context.DataDir, Path.GetFullPath(context.DataDir), stdout: false);
            if (watch is not null) await CrawlNetworkOptions.NoteProxyVariableAsync(context, watch.Crawl);
            await using var session = ArchiveSession.Open(context.DataDir, new ArchiveSessionOptions
            {
                Follower = (store, c) => IndexFollower.Open(store, ServeIndex, c),
            }, ct);
            var follower = (IndexFollower)session.Follower!;
            var replay = new ReplayOptions(ReplayOptions.Find(parse.GetValue(replayWeb)), parse.GetValue(replayPort));
            if (parse.GetValue(replayWeb) is { } dir && replay.PackageDir is null) throw new UsageException($"--replayweb {dir} has no ui.js and sw.js of ReplayWeb.page ({ReplayOptions.Install}).");
            // The watcher of this session: its events go to the webhook and the feed (serve's stdout has a line per check).
            await using var watcher = watch is null ? null : Watcher.Open(session, registry, watch, context.Out, context.Error);
            if (watcher is not null) watcher.Scheduler.Checked += (e, r) => WatchCommand.Report(context, e, r);
            var list = watcher is null ? ServeWatch.NotRunning(session, registry) : ServeWatch.Running(session, watcher, registry);
            await using var host = await ServeHost.StartAsync(endpoint, secret, ServeViews.Fixed(session.Store, follower.Index), list, ct, replay);
            context.Out.WriteLine($"Archiver serves {session.Paths.Root} at {host.Url} (Ctrl-C to stop).");
            PrintToken(context, secret, given is null);
            context.Out.WriteLine(host.ReplayPort is { } port ? $"Original captures are replayed by ReplayWeb.page from {replay.PackageDir} on port {port}."
                : $"ReplayWeb.page not found: original captures cannot be replayed ({ReplayOptions.Install}, then --replayweb node_modules/replaywebpage).");
            var entries = list.Entries();
            context.Out.WriteLine(watcher is null
                ? $"watch: off (--no-watch); {entries.Count:N0} entries in the list"
                : $"watch: {entries.Count:N0} entries, {entries.Count(e => !e.Paused && e.NextCheckAt <= watch!.Clock.GetUtcNow().UtcDateTime):N0} due now; add more on {host.Url}watch");
            try
            {
                // An empty list is no reason to stop: the watcher waits for entries added on the watch page.
                if (watcher is not null) await watcher.RunAsync(null, ct);
                else await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// <c>--read-only</c>: a snapshot of the store and the index's last commit, neither written (no catch-up, no
    /// watcher, no notifier cursors), so the archive on disk is left as it is and another process may write it meanwhile.
    /// Every <paramref name="every"/> the view is reopened if that writer committed more (<see cref="SnapshotFollower"/>).
    /// </summary>
    private static async Task ServeReadOnlyAsync(CliContext context, IPEndPoint endpoint, string? secret, bool generated, PlatformRegistry registry, TimeSpan every, CancellationToken ct)
    {
        var paths = new ArchivePaths(Path.GetFullPath(context.DataDir));
        var seen = SnapshotFollower.Mark(paths);
        using var views = ServeViews.Following(SnapshotFollower.Open(context.DataDir));
        await using var host = await ServeHost.StartAsync(endpoint, secret, views, ServeWatch.ReadOnly(views, registry), ct);
        context.Out.WriteLine($"Archiver serves {views.Paths.Root} read-only at {host.Url} (Ctrl-C to stop).");
        PrintToken(context, secret, generated);
        using (var first = views.Acquire())
        {
            context.Out.WriteLine($"Serving archive batch {first.Store.Sequence}; what its writer commits is shown within {WatchInterval.Format(every)} (--refresh).");
            if (SnapshotFollower.Behind(first.View) is { } note) context.Out.WriteLine($"note: {note}.");
        }
        await SnapshotFollower.FollowAsync(views, seen, context.DataDir, every, context.Out, context.Error, ct);
    }

    private static void PrintToken(CliContext context, string? secret, bool generated)
    {
        if (secret is not null && generated)
            context.Out.WriteLine($"Listening beyond this machine: log in with the token {secret} (or send 'Authorization: Bearer {secret}').");
    }

    /// <summary>
    /// The index while serving: what the watcher archives is searchable within 5 s (refreshed at most every 5 s, committed
    /// every 5 s), with the watcher's small buffer: its writes are few, and every megabyte counts against the server's memory.
    /// </summary>
    private static readonly IndexFollowerOptions ServeIndex = new() { RamBufferMB = 16, RefreshInterval = TimeSpan.FromSeconds(5) };

    /// <summary>"127.0.0.1:8470", "[::1]:8470", "0.0.0.0:80" or ":8470" (loopback).</summary>
    public static IPEndPoint Endpoint(string text)
    {
        var value = text.Trim();
        if (value.StartsWith(':')) value = "127.0.0.1" + value;
        if (value.Equals("localhost", StringComparison.OrdinalIgnoreCase) || value.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase))
            value = "127.0.0.1" + value["localhost".Length..];
        if (IPEndPoint.TryParse(value, out var endpoint) && value.Contains(':', StringComparison.Ordinal) && endpoint.Port is >= 0 and <= 65535)
            return endpoint;
        throw new UsageException($"--listen '{text}': expected HOST:PORT with an IP address, e.g. {DefaultListen}, [::1]:8470 or 0.0.0.0:8470.");
    }

}
