using System.IO.Compression;
using System.Net;
using Archiver.Capturing;
using Microsoft.Extensions.Http.Resilience;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Archiver.Crawling;

/// <summary>
/// The one HTTP client of a crawl, pages and media alike. Its pipeline, outermost first: <see cref="RobotsHandler"/>
/// (robots.txt asked before every request), <see cref="HostRateLimitHandler"/> (per-host slots and rate), the per-host
/// resilience pipeline (retries, circuit breaker, timeout), <see cref="PrivateAddressHandler"/> (the address guard's
/// verdict; with --proxy its check of each target), then SocketsHttpHandler with the guard at connect time, no
/// automatic redirects (each hop is captured and scope-checked) and no automatic decompression (the WARC keeps the
/// bytes as sent; the parser gets them decoded, capped).
/// </summary>
public sealed class HttpFetcher : IDisposable
{
    private readonly HttpClient _client;
    private readonly CrawlOptions _options;

    /// <param name="robotsCache">robots.txt answers shared with other crawls (a watcher's checks); null: this client's own, for its life.</param>
    public HttpFetcher(CrawlOptions options, HostScheduler scheduler, CrawlCounters counters, RobotsCache? robotsCache = null)
    {
        _options = options;
        // robots.txt is fetched through this same client (so the guard and retries apply), past the robots and rate handlers.
        Robots = new RobotsPolicy(FetchRobotsFileAsync, scheduler, options.UserAgent, options.IgnoreRobots, robotsCache);
        var sockets = new SocketsHttpHandler
        {
            ConnectCallback = PrivateAddressGuard.ConnectCallback(options.AllowPrivate, options.AllowedPrivateAddresses, options.Proxy),
            // HTTP_PROXY and friends are ignored: a proxy would hide the target from the connect-time guard. Only
            // --proxy is used, and then PrivateAddressHandler checks each target before the proxy sees it.
            UseProxy = options.Proxy is not null,
            Proxy = options.Proxy is { } proxy ? new FixedProxy(proxy) : null,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            MaxConnectionsPerServer = Math.Max(1, options.PerHost),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(15),
            MaxResponseHeadersLength = 256,
        };
        var guard = new PrivateAddressHandler(options.AllowPrivate, options.AllowedPrivateAddresses, proxied: options.Proxy is not null) { InnerHandler = sockets };
        var resilience = new ResilienceHandler(new ResiliencePipelines(options, scheduler, counters).For) { InnerHandler = guard };
        var rate = new HostRateLimitHandler(scheduler) { InnerHandler = resilience };
        var robots = new RobotsHandler(Robots, counters) { InnerHandler = rate };
        _client = new HttpClient(robots) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The robots.txt rules this client obeys (the browser fetcher asks them too).</summary>
    public RobotsPolicy Robots { get; }

    public Task<FetchResponse> FetchAsync(Uri url, CancellationToken ct) => FetchAsync(url, robotsFile: false, ct);

    private Task<FetchResponse> FetchRobotsFileAsync(Uri url, CancellationToken ct) => FetchAsync(url, robotsFile: true, ct);

    private async Task<FetchResponse> FetchAsync(Uri url, bool robotsFile, CancellationToken ct)
    {
        var requestHeaders = new WarcHeaders()
            .Add("User-Agent", _options.UserAgent)
            .Add("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,application/json;q=0.9,*/*;q=0.8")
            .Add("Accept-Encoding", "gzip, deflate, br");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (robotsFile) request.Options.Set(RobotsHandler.RobotsFile, true);
        foreach (var (name, value) in requestHeaders.Fields) request.Headers.TryAddWithoutValidation(name, value);
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (BrokenCircuitException e)
        {
            throw new FetchFailedException(url, "host is failing (circuit open after repeated errors); pausing it", e) { Kind = FetchFailureKind.Unreachable };
        }
        catch (TimeoutRejectedException e)
        {
            throw new FetchFailedException(url, $"no answer within {_options.RequestTimeout.TotalSeconds:0} s", e) { Kind = FetchFailureKind.Unreachable };
        }
        catch (HttpRequestException e)
        {
            throw new FetchFailedException(url, e.Message, e) { Kind = FetchFailureKind.Unreachable };
        }
        using (response)
        {
            var raw = await ReadBodyAsync(url, response, ct).ConfigureAwait(false);
            var headers = new WarcHeaders();
            foreach (var (name, values) in response.Headers.NonValidated) headers.Add(name, string.Join(", ", values));
            foreach (var (name, values) in response.Content.Headers.NonValidated) headers.Add(name, string.Join(", ", values));
            // The body is stored de-chunked, so the stored headers must not claim chunked framing.
            if (headers["Transfer-Encoding"] is { } te && headers.Remove("Transfer-Encoding"))
                headers.Add("X-Archiver-Transfer-Encoding", te);
            var location = response.Headers.Location;
            return new FetchResponse
            {
                Url = url,
                Status = (int)response.StatusCode,
                Reason = response.ReasonPhrase ?? "",
                HttpVersion = $"{response.Version.Major}.{response.Version.Minor}",
                RequestHeaders = requestHeaders,
                ResponseHeaders = headers,
                RawBody = raw,
                Body = Decode(url, raw, response.Content.Headers.ContentEncoding),
                ContentType = response.Content.Headers.ContentType?.ToString(),
                Date = _options.Time.GetUtcNow(),
                RedirectTo = (int)response.StatusCode is >= 300 and < 400 && location is not null ? new Uri(url, location) : null,
            };
        }
    }

    private async Task<byte[]> ReadBodyAsync(Uri url, HttpResponseMessage response, CancellationToken ct)
    {
        if (response.Content.Headers.ContentLength is { } declared && declared > _options.MaxBodyBytes)
            throw new FetchFailedException(url, $"body of {declared:N0} bytes is over the {_options.MaxBodyBytes:N0}-byte limit") { Retryable = false };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.BodyTimeout);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            return await ReadCappedAsync(stream, _options.MaxBodyBytes, url, "body", timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new FetchFailedException(url, $"body not received within {_options.BodyTimeout.TotalSeconds:0} s (slow or stalled)");
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new FetchFailedException(url, "connection lost while reading the body: " + e.Message, e);
        }
    }

    private byte[] Decode(Uri url, byte[] raw, ICollection<string> encodings)
    {
        if (encodings.Count == 0 || raw.Length == 0) return raw;
        var data = raw;
        foreach (var encoding in encodings.Reverse())
        {
            Stream? decoder = encoding.Trim().ToLowerInvariant() switch
            {
                "gzip" or "x-gzip" => new GZipStream(new MemoryStream(data), CompressionMode.Decompress),
                "deflate" => new ZLibStream(new MemoryStream(data), CompressionMode.Decompress),
                "br" => new BrotliStream(new MemoryStream(data), CompressionMode.Decompress),
                "identity" => null,
                _ => throw new FetchFailedException(url, $"unsupported Content-Encoding '{encoding}'") { Retryable = false },
            };
            if (decoder is null) continue;
            using (decoder)
            {
                try
                {
                    data = ReadCappedAsync(decoder, _options.MaxDecompressedBytes, url, "decompressed body", CancellationToken.None).GetAwaiter().GetResult();
                }
                catch (InvalidDataException e)
                {
                    throw new FetchFailedException(url, $"body is not valid {encoding}: {e.Message}", e) { Retryable = false };
                }
            }
        }
        return data;
    }

    private static async Task<byte[]> ReadCappedAsync(Stream stream, long max, Uri url, string what, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > max)
                throw new FetchFailedException(url, $"{what} is over the {max:N0}-byte limit") { Retryable = false };
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    public void Dispose() => _client.Dispose();

    /// <summary>The one proxy --proxy names, for every target (no bypass list: loopback targets go through it too).</summary>
    private sealed class FixedProxy(Uri address) : IWebProxy
    {
        public ICredentials? Credentials { get; set; } = address.UserInfo is { Length: > 0 } info
            ? new NetworkCredential(Uri.UnescapeDataString(info.Split(':')[0]), info.Contains(':') ? Uri.UnescapeDataString(info[(info.IndexOf(':') + 1)..]) : "")
            : null;

        public Uri GetProxy(Uri destination) => address;

        public bool IsBypassed(Uri host) => false;
    }
}
