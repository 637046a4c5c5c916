using System.Net;
using System.Net.Sockets;

namespace Archiver.Crawling;

/// <summary>The crawler refused to connect to an address inside a private network.</summary>
public sealed class PrivateAddressException(string host, IPAddress address)
    : HttpRequestException($"Refused to connect to {host} ({address}): a loopback, private, link-local or metadata address. Pass --allow-private to crawl such hosts (e.g. a local replica).")
{
    public string Host { get; } = host;
    public IPAddress Address { get; } = address;
}

/// <summary>
/// Decides which addresses the crawler may connect to, and connects: DNS is resolved here, at connect time,
/// so neither a redirect nor a DNS answer can lead the crawler into the local network.
/// </summary>
public static class PrivateAddressGuard
{
    public static bool IsForbidden(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return true;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 or 10 or 127 => true,                          // "this" network, private, loopback
                100 => b[1] is >= 64 and <= 127,                 // carrier-grade NAT
                169 => b[1] == 254,                              // link-local, incl. the 169.254.169.254 metadata service
                172 => b[1] is >= 16 and <= 31,                  // private
                192 => (b[1] == 168) || (b[1] == 0 && b[2] == 0) || (b[1] == 0 && b[2] == 2), // private, IETF, TEST-NET-1
                198 => b[1] is 18 or 19,                         // benchmarking
                >= 224 => true,                                  // multicast, reserved, broadcast
                _ => false,
            };
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any)) return true;
            var b = address.GetAddressBytes();
            if ((b[0] & 0xFE) == 0xFC) return true;              // unique local fc00::/7 (fd00::/8 incl. metadata fd00:ec2::254)
            if (b[0] == 0xFE && (b[1] & 0xC0) is 0x80 or 0xC0) return true; // link-local fe80::/10, site-local fec0::/10
            if (b[0] == 0xFF) return true;                       // multicast
            if (address.IsIPv6Teredo || b[0] == 0x20 && b[1] == 0x02) return true; // tunnels that can embed private v4
            if (b.Take(12).All(x => x == 0)) return true;        // IPv4-compatible ::a.b.c.d
            return false;
        }
        return true;
    }

    /// <summary>
    /// The addresses a host name stands for, as the crawler will connect to them. Spellings are normalised first:
    /// a trailing dot only makes a name absolute (<c>localhost.</c>, <c>127.0.0.1.</c>), and <c>localhost</c> and
    /// every <c>*.localhost</c> name are loopback (RFC 6761, as Chromium treats them) whatever DNS says, so no
    /// resolver failure can turn a loopback name into something else.
    /// </summary>
    public static async ValueTask<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        var name = host.Trim('[', ']').TrimEnd('.');
        if (IPAddress.TryParse(name, out var literal)) return [literal];
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            return [IPAddress.Loopback, IPAddress.IPv6Loopback];
        if (name.Length == 0) throw new HttpRequestException($"'{host}' is not a host name.");
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(name, ct).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new HttpRequestException($"{host}: {e.Message} (DNS)", e);
        }
        if (addresses.Length == 0) throw new HttpRequestException($"{host} has no address (DNS).");
        return addresses;
    }

    /// <summary>
    /// The addresses of <paramref name="addresses"/> the crawler may connect to (all of them with
    /// <paramref name="allowPrivate"/>), or a <see cref="PrivateAddressException"/> naming the first refused one.
    /// Only approved addresses are ever connected to, so a name with one public and one private address
    /// cannot lead to the private one.
    /// </summary>
    public static IPAddress[] Approve(string host, IPAddress[] addresses, bool allowPrivate, IReadOnlyList<IPAddress>? exceptions)
    {
        if (allowPrivate) return addresses;
        var allowed = addresses.Where(a => !IsForbidden(a) || exceptions?.Contains(a) == true).ToArray();
        return allowed.Length > 0 ? allowed : throw new PrivateAddressException(host, addresses[0]);
    }

    /// <summary>Resolves and approves in one step: what every connection of the crawler goes through.</summary>
    public static async ValueTask<IPAddress[]> ResolveApprovedAsync(string host, bool allowPrivate, IReadOnlyList<IPAddress>? exceptions, CancellationToken ct) =>
        Approve(host, await ResolveAsync(host, ct).ConfigureAwait(false), allowPrivate, exceptions);

    /// <summary>
    /// A SocketsHttpHandler ConnectCallback that resolves, filters, and connects. With a proxy the connection
    /// goes to the proxy the user named (allowed as given); the target is checked per request by
    /// <see cref="PrivateAddressHandler"/>, since one proxy connection carries requests for many targets.
    /// </summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(bool allowPrivate, IReadOnlyList<IPAddress>? exceptions = null, Uri? proxy = null) =>
        async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            var isProxy = proxy is not null && string.Equals(host.Trim('[', ']'), proxy.IdnHost.Trim('[', ']'), StringComparison.OrdinalIgnoreCase) && context.DnsEndPoint.Port == proxy.Port;
            var allowed = isProxy
                ? await ResolveAsync(host, ct).ConfigureAwait(false)
                : await ResolveApprovedAsync(host, allowPrivate, exceptions, ct).ConfigureAwait(false);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
}

/// <summary>
/// The address guard in the HTTP pipeline. Without a proxy, the guard runs where DNS is resolved, at connect time
/// (<see cref="PrivateAddressGuard.ConnectCallback"/>, installed on the client's socket handler), so neither a
/// redirect nor a DNS answer can lead the crawler into the local network; with --proxy, the proxy resolves and
/// connects, so this handler resolves each request's target itself and refuses it before it is handed to the
/// proxy. (The proxy may resolve the name again and get another answer; docs/crawler.md says so.) Either refusal
/// leaves here as the crawl's "refused: private address" outcome, never retried.
/// </summary>
public sealed class PrivateAddressHandler(bool allowPrivate, IReadOnlyList<IPAddress> exceptions, bool proxied) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var url = request.RequestUri!;
        try
        {
            if (proxied && !allowPrivate)
                await PrivateAddressGuard.ResolveApprovedAsync(url.IdnHost, allowPrivate, exceptions, cancellationToken).ConfigureAwait(false);
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (PrivateAddressException e)
        {
            throw new FetchFailedException(url, e.Message, e) { Retryable = false, Kind = FetchFailureKind.RefusedPrivate };
        }
        catch (HttpRequestException e) when (e.InnerException is PrivateAddressException p)
        {
            throw new FetchFailedException(url, p.Message, e) { Retryable = false, Kind = FetchFailureKind.RefusedPrivate };
        }
    }
}
