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

    /// <summary>A SocketsHttpHandler ConnectCallback that resolves, filters, and connects.</summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(bool allowPrivate, IReadOnlyList<IPAddress>? exceptions = null) =>
        async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
            if (addresses.Length == 0) throw new HttpRequestException($"{host} has no address (DNS).");
            var allowed = allowPrivate ? addresses : addresses.Where(a => !IsForbidden(a) || exceptions?.Contains(a) == true).ToArray();
            if (allowed.Length == 0) throw new PrivateAddressException(host, addresses[0]);
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
