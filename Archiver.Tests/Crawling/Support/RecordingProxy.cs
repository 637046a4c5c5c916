using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Archiver.Tests.Crawling.Support;

/// <summary>
/// Test double of a user's HTTP proxy on 127.0.0.1: records every request line it receives and forwards
/// absolute-form GETs to their target, which must be on 127.0.0.1 (tests never send traffic elsewhere).
/// One request per connection (it answers with Connection: close).
/// </summary>
public sealed class RecordingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private Task _accept = Task.CompletedTask;

    public ConcurrentQueue<string> RequestLines { get; } = new();

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public static Task<RecordingProxy> StartAsync()
    {
        var proxy = new RecordingProxy();
        proxy._listener.Start();
        proxy._accept = Task.Run(proxy.AcceptLoopAsync);
        return Task.FromResult(proxy);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var head = await ReadHeadAsync(stream);
            if (head is null) return;
            var lines = head.Split("\r\n");
            RequestLines.Enqueue(lines[0]);
            var parts = lines[0].Split(' ');
            if (parts.Length != 3 || !Uri.TryCreate(parts[1], UriKind.Absolute, out var target) || target.Host != "127.0.0.1")
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                return;
            }
            using var upstream = new TcpClient();
            await upstream.ConnectAsync(IPAddress.Loopback, target.Port);
            var request = new StringBuilder($"{parts[0]} {target.PathAndQuery} {parts[2]}\r\n");
            foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
            {
                if (line.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase) || line.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase)) continue;
                request.Append(line).Append("\r\n");
            }
            request.Append("Connection: close\r\n\r\n");
            var up = upstream.GetStream();
            await up.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()));
            await up.CopyToAsync(stream);
        }
    }

    private static async Task<string?> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 65536)
        {
            if (await stream.ReadAsync(one) == 0) return null;
            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^1] == '\n' && buffer[^2] == '\r' && buffer[^3] == '\n' && buffer[^4] == '\r')
                return Encoding.ASCII.GetString(buffer.ToArray(), 0, buffer.Count - 4);
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept;
        _stop.Dispose();
    }
}
