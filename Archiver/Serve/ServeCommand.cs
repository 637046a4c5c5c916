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
        var command = new Command("serve", "Search and browse the archive in a web browser, with a JSON API (/api/search, /api/posts/KEY, /api/channels, /api/events)") { listen, token };
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
            await using var host = await ServeHost.StartAsync(endpoint, secret, session.Store, follower.Index, ct);
            context.Out.WriteLine($"Archiver serves {session.Paths.Root} at {host.Url} (Ctrl-C to stop).");
            if (secret is not null && given is null)
                context.Out.WriteLine($"Listening beyond this machine: log in with the token {secret} (or send 'Authorization: Bearer {secret}').");
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
