using System.CommandLine;
using System.Globalization;
using System.Net;
using Archiver.Cli;
using Archiver.Indexing;
using Archiver.Storage;

namespace Archiver.Serve;

/// <summary>
/// <c>archiver serve</c>: the archive in a browser (search, posts, channels, events) and its JSON API, from one
/// archive session that holds the writer, so the index it searches is the one it keeps up to date.
/// </summary>
public sealed class ServeCommand : ICliCommand
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
        var command = new Command("serve", "Search and browse the archive in a web browser, with a JSON API (/api/search, /api/posts/KEY, /api/channels, /api/events)") { listen, token, replayWeb, replayPort };
        run.Attach(command, async (context, parse, ct) =>
        {
            var endpoint = Endpoint(parse.GetValue(listen)!);
            var given = parse.GetValue(token);
            if (given is { Length: < 12 }) throw new UsageException("--token must be at least 12 characters.");
            var secret = given ?? (IPAddress.IsLoopback(endpoint.Address) ? null : ServeSecurity.NewToken());
            await using var session = ArchiveSession.Open(context.DataDir, new ArchiveSessionOptions
            {
                Follower = (store, c) => IndexFollower.Open(store, new IndexFollowerOptions(), c),
            }, ct);
            var follower = (IndexFollower)session.Follower!;
            var replay = new ReplayOptions(ReplayOptions.Find(parse.GetValue(replayWeb)), parse.GetValue(replayPort));
            if (parse.GetValue(replayWeb) is { } dir && replay.PackageDir is null) throw new UsageException($"--replayweb {dir} has no ui.js and sw.js of ReplayWeb.page ({ReplayOptions.Install}).");
            await using var host = await ServeHost.StartAsync(endpoint, secret, session.Store, follower.Index, ct, replay);
            context.Out.WriteLine($"Archiver serves {session.Paths.Root} at {host.Url} (Ctrl-C to stop).");
            if (secret is not null && given is null)
                context.Out.WriteLine($"Listening beyond this machine: log in with the token {secret} (or send 'Authorization: Bearer {secret}').");
            context.Out.WriteLine(host.ReplayPort is { } port ? $"Original captures are replayed by ReplayWeb.page from {replay.PackageDir} on port {port}."
                : $"ReplayWeb.page not found: original captures cannot be replayed ({ReplayOptions.Install}, then --replayweb node_modules/replaywebpage).");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
            }
            return ExitCodes.Ok;
        });
        return command;
    }

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
