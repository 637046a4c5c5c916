using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Archiver.Crawling;

/// <summary>
/// The browser's only way out: a small HTTP proxy on 127.0.0.1 that Chromium is started with (loopback included,
/// <c>&lt;-loopback&gt;</c>). With an HTTP proxy Chromium resolves no target names itself; every request, every
/// redirect hop and every subresource arrives here as <c>GET http://…</c> or <c>CONNECT host:port</c>, is resolved
/// once by <see cref="PrivateAddressGuard"/>, and is connected only to the addresses the guard approved. So the
/// browser is pinned to what the guard checked, which a route handler cannot do (Playwright does not route
/// redirect hops, and a handler's DNS answer need not be the browser's). Refusals are answered 403 and
/// remembered, so the fetcher can name the refused address instead of archiving the 403.
/// With --proxy, approved requests are passed on to the user's proxy.
/// </summary>
public sealed class GuardedProxy : IAsyncDisposable
{
    private const int MaxHeadBytes = 64 * 1024;
    private const int MaxRemembered = 10_000;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, string> _refusals = new(StringComparer.OrdinalIgnoreCase);
    private readonly bool _allowPrivate;
    private readonly IReadOnlyList<IPAddress> _exceptions;
    private readonly Uri? _upstream;
    private Task _accept = Task.CompletedTask;

    private GuardedProxy(bool allowPrivate, IReadOnlyList<IPAddress> exceptions, Uri? upstream)
    {
        _allowPrivate = allowPrivate;
        _exceptions = exceptions;
        _upstream = upstream;
    }

    /// <summary>Where Chromium is pointed: http://127.0.0.1:PORT.</summary>
    public string Address => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public static GuardedProxy Start(CrawlOptions options)
    {
        var proxy = new GuardedProxy(options.AllowPrivate, options.AllowedPrivateAddresses, options.Proxy);
        proxy._listener.Start();
        proxy._accept = Task.Run(proxy.AcceptLoopAsync);
        return proxy;
    }

    /// <summary>Why a request for <paramref name="url"/> was refused (by its URL, or by host:port for a tunnel), if it was.</summary>
    public string? RefusalFor(Uri url) =>
        _refusals.TryGetValue(url.AbsoluteUri, out var reason) || _refusals.TryGetValue($"{url.Host}:{url.Port}", out reason) ? reason : null;

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var clientStream = new NetworkStream(client, ownsSocket: true);
        try
        {
            var (head, rest) = await ReadHeadAsync(clientStream, _stop.Token).ConfigureAwait(false);
            if (head is null) return;
            var lines = head.Split("\r\n");
            var request = lines[0].Split(' ');
            if (request.Length != 3)
            {
                await ReplyAsync(clientStream, 400, "Bad Request", "malformed request line").ConfigureAwait(false);
                return;
            }
            if (request[0] == "CONNECT") await TunnelAsync(clientStream, request[1], rest).ConfigureAwait(false);
            else await ForwardAsync(clientStream, request, lines, rest).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The browser or the server went away; the browser sees a closed connection.
        }
    }

    private async Task TunnelAsync(NetworkStream client, string authority, byte[] early)
    {
        var colon = authority.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            await ReplyAsync(client, 400, "Bad Request", "CONNECT needs host:port").ConfigureAwait(false);
            return;
        }
        var host = authority[..colon];
        using var server = await ConnectCheckedAsync(client, host, port, $"{host.Trim('[', ']')}:{port}").ConfigureAwait(false);
        if (server is null) return;
        if (_upstream is not null)
        {
            await server.WriteAsync(Encoding.ASCII.GetBytes($"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n{UpstreamAuthorization()}\r\n"), _stop.Token).ConfigureAwait(false);
            var (answer, _) = await ReadHeadAsync(server, _stop.Token).ConfigureAwait(false);
            if (answer is null || answer.Split(' ').ElementAtOrDefault(1) != "200")
            {
                await ReplyAsync(client, 502, "Bad Gateway", "the upstream proxy refused the tunnel").ConfigureAwait(false);
                return;
            }
        }
        await client.WriteAsync("HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray(), _stop.Token).ConfigureAwait(false);
        if (early.Length > 0) await server.WriteAsync(early, _stop.Token).ConfigureAwait(false);
        await PipeAsync(client, server).ConfigureAwait(false);
    }

    private async Task ForwardAsync(NetworkStream client, string[] request, string[] lines, byte[] early)
    {
        if (!Uri.TryCreate(request[1], UriKind.Absolute, out var target) || target.Scheme != "http")
        {
            await ReplyAsync(client, 400, "Bad Request", "only absolute http:// URLs and CONNECT are proxied").ConfigureAwait(false);
            return;
        }
        using var server = await ConnectCheckedAsync(client, target.Host, target.Port, target.AbsoluteUri).ConfigureAwait(false);
        if (server is null) return;
        // One request per connection: the next request may be for another host, and must be checked again.
        var head = new StringBuilder();
        head.Append(request[0]).Append(' ').Append(_upstream is null ? target.PathAndQuery : target.AbsoluteUri).Append(' ').Append(request[2]).Append("\r\n");
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0 || line.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase) || line.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase)
                || line.StartsWith("Keep-Alive:", StringComparison.OrdinalIgnoreCase)) continue;
            head.Append(line).Append("\r\n");
        }
        head.Append(UpstreamAuthorization()).Append("Connection: close\r\n\r\n");
        await server.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()), _stop.Token).ConfigureAwait(false);
        if (early.Length > 0) await server.WriteAsync(early, _stop.Token).ConfigureAwait(false);
        await PipeAsync(client, server).ConfigureAwait(false);
    }

    /// <summary>Resolves and checks the target, then connects to an approved address (or to the user's proxy); null after answering a refusal.</summary>
    private async Task<NetworkStream?> ConnectCheckedAsync(NetworkStream client, string host, int port, string key)
    {
        IPAddress[] approved;
        try
        {
            approved = await PrivateAddressGuard.ResolveApprovedAsync(host, _allowPrivate, _exceptions, _stop.Token).ConfigureAwait(false);
        }
        catch (PrivateAddressException e)
        {
            if (_refusals.Count >= MaxRemembered) _refusals.Clear();
            _refusals[key] = e.Message;
            await ReplyAsync(client, 403, "Forbidden", e.Message).ConfigureAwait(false);
            return null;
        }
        catch (HttpRequestException e)
        {
            await ReplyAsync(client, 502, "Bad Gateway", e.Message).ConfigureAwait(false);
            return null;
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        try
        {
            if (_upstream is { } upstream)
                await socket.ConnectAsync(await PrivateAddressGuard.ResolveAsync(upstream.Host, timeout.Token).ConfigureAwait(false), upstream.Port, timeout.Token).ConfigureAwait(false);
            else
                await socket.ConnectAsync(approved, port, timeout.Token).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or HttpRequestException)
        {
            socket.Dispose();
            await ReplyAsync(client, 502, "Bad Gateway", $"cannot connect to {host}:{port}: {e.Message}").ConfigureAwait(false);
            return null;
        }
    }

    private string UpstreamAuthorization()
    {
        if (_upstream?.UserInfo is not { Length: > 0 } info) return "";
        return "Proxy-Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(info))) + "\r\n";
    }

    private async Task PipeAsync(NetworkStream client, NetworkStream server)
    {
        var up = client.CopyToAsync(server, _stop.Token);
        var down = server.CopyToAsync(client, _stop.Token);
        // When the server has answered and closed, the exchange is over (one request per connection).
        await Task.WhenAny(up, down).ConfigureAwait(false);
        if (down.IsCompleted) return;
        try
        {
            server.Socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
        }
        await down.ConfigureAwait(false);
    }

    private async Task ReplyAsync(NetworkStream client, int status, string phrase, string message)
    {
        var body = Encoding.UTF8.GetBytes(message + "\n");
        var head = $"HTTP/1.1 {status} {phrase}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await client.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token).ConfigureAwait(false);
        await client.WriteAsync(body, _stop.Token).ConfigureAwait(false);
    }

    /// <summary>The request (or response) head up to the blank line, and any bytes read past it; null head if the peer closed first.</summary>
    private static async Task<(string? Head, byte[] Early)> ReadHeadAsync(NetworkStream stream, CancellationToken ct)
    {
        var buffer = new byte[MaxHeadBytes];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(filled), ct).ConfigureAwait(false);
            if (n == 0) return (null, []);
            var from = Math.Max(0, filled - 3);
            filled += n;
            var end = buffer.AsSpan(from, filled - from).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                end += from;
                return (Encoding.Latin1.GetString(buffer, 0, end), buffer[(end + 4)..filled]);
            }
        }
        return (null, []);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accept.ConfigureAwait(false);
        _stop.Dispose();
    }
}
