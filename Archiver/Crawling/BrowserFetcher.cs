using System.Collections.Concurrent;
using Archiver.Capturing;
using Microsoft.Playwright;

namespace Archiver.Crawling;

/// <summary>
/// Pages that need JavaScript, fetched with Playwright driving the system Chromium (never a downloaded one):
/// one browser, one context per host, the rendered DOM and every network response captured. Browser
/// requests bypass the HTTP client, so the browser is started behind a <see cref="GuardedProxy"/> that resolves
/// and checks every request (redirect hops and subresources included) and connects only where the guard approved.
/// </summary>
public sealed class BrowserFetcher : IBrowserFetcher
{
    public const string DefaultChromium = "/usr/bin/chromium";
    private readonly CrawlOptions _options;
    private readonly string _executable;
    private readonly SemaphoreSlim _start = new(1, 1);
    private readonly ConcurrentDictionary<string, Lazy<Task<IBrowserContext>>> _contexts = new(StringComparer.OrdinalIgnoreCase);
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private GuardedProxy? _proxy;

    private BrowserFetcher(CrawlOptions options, string executable, string? unavailable)
    {
        _options = options;
        _executable = executable;
        Unavailable = unavailable;
    }

    public string? Unavailable { get; private set; }

    public static BrowserFetcher Create(CrawlOptions options)
    {
        var path = Environment.GetEnvironmentVariable("ARCHIVER_CHROMIUM") is { Length: > 0 } env ? env : DefaultChromium;
        return new BrowserFetcher(options, path, File.Exists(path)
            ? null
            : $"Chromium not found at {path}: pages that need JavaScript were skipped. Install it (apt-get install chromium) or set ARCHIVER_CHROMIUM.");
    }

    public async Task<BrowserPage> FetchAsync(Uri url, Func<Uri, CancellationToken, Task<bool>>? allowed, CancellationToken ct)
    {
        var context = await ContextFor(url).ConfigureAwait(false);
        var page = await context.NewPageAsync().ConfigureAwait(false);
        var network = new ConcurrentBag<IResponse>();
        var navigations = new ConcurrentQueue<string>();
        page.Response += (_, response) => network.Add(response);
        // Every hop of the main document's navigation, redirects included (Playwright reports each as a request).
        page.Request += (_, request) =>
        {
            if (request.IsNavigationRequest && request.Frame == page.MainFrame) navigations.Enqueue(request.Url);
        };
        // robots.txt for every request the page makes (scripts, XHR, images), as for the crawler's own requests.
        // Playwright routes no redirect hops; the guard's proxy still checks their addresses.
        if (allowed is not null)
        {
            await page.RouteAsync("**/*", async route =>
            {
                if (Uri.TryCreate(route.Request.Url, UriKind.Absolute, out var target) && target.Scheme is "http" or "https")
                {
                    bool ok;
                    try
                    {
                        ok = await allowed(target, ct).ConfigureAwait(false);
                    }
                    catch (FetchFailedException)
                    {
                        ok = false; // its host's robots.txt could not be fetched: stay away
                    }
                    if (!ok)
                    {
                        await route.AbortAsync("blockedbyclient").ConfigureAwait(false);
                        return;
                    }
                }
                await route.ContinueAsync().ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        try
        {
            IResponse? main;
            try
            {
                main = await page.GotoAsync(url.AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle, Timeout = (float)_options.RequestTimeout.TotalMilliseconds })
                    .WaitAsync(ct).ConfigureAwait(false);
            }
            catch (PlaywrightException)
            {
                ThrowIfRefused(url, navigations);
                throw;
            }
            ThrowIfRefused(url, navigations);
            if (main is null) throw new FetchFailedException(url, "the browser got no response");
            var html = await page.ContentAsync().ConfigureAwait(false);
            var others = new List<FetchResponse>();
            // A request the guard refused got the proxy's 403, not the server's answer: not archived.
            foreach (var response in network.Where(r => r != main && !IsRefused(r.Url)))
            {
                var converted = await ConvertAsync(response).ConfigureAwait(false);
                if (converted is not null) others.Add(converted);
            }
            return new BrowserPage(await ConvertAsync(main).ConfigureAwait(false) ?? throw new FetchFailedException(url, "the browser could not read the page body"), html, others);
        }
        catch (PlaywrightException e)
        {
            throw new FetchFailedException(url, "browser: " + e.Message.Split('\n')[0], e);
        }
        finally
        {
            await page.CloseAsync().ConfigureAwait(false);
        }
    }

    private bool IsRefused(string url) => _proxy is { } proxy && Uri.TryCreate(url, UriKind.Absolute, out var u) && proxy.RefusalFor(u) is not null;

    private void ThrowIfRefused(Uri url, IEnumerable<string> navigations)
    {
        if (_proxy is not { } proxy) return;
        foreach (var hop in navigations.Prepend(url.AbsoluteUri))
        {
            if (Uri.TryCreate(hop, UriKind.Absolute, out var u) && proxy.RefusalFor(u) is { } reason)
                throw new FetchFailedException(u, reason) { Retryable = false, Kind = FetchFailureKind.RefusedPrivate };
        }
    }

    private async Task<FetchResponse?> ConvertAsync(IResponse response)
    {
        byte[] body;
        try
        {
            body = await response.BodyAsync().ConfigureAwait(false);
        }
        catch (PlaywrightException)
        {
            return null; // redirects and aborted loads have no body
        }
        var headers = new WarcHeaders();
        foreach (var (name, value) in await response.AllHeadersAsync().ConfigureAwait(false))
        {
            // The browser hands over decoded bodies: drop the framing headers that described the encoded ones.
            if (name is "content-encoding" or "content-length" or "transfer-encoding") continue;
            headers.Add(name, value);
        }
        headers.Add("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var requestHeaders = new WarcHeaders();
        foreach (var (name, value) in await response.Request.AllHeadersAsync().ConfigureAwait(false)) requestHeaders.Add(name, value);
        return new FetchResponse
        {
            Url = new Uri(response.Url),
            Status = response.Status,
            Reason = response.StatusText,
            RequestHeaders = requestHeaders,
            ResponseHeaders = headers,
            RawBody = body,
            Body = body,
            ContentType = headers["content-type"],
            Date = _options.Time.GetUtcNow(),
        };
    }

    private Task<IBrowserContext> ContextFor(Uri url) =>
        _contexts.GetOrAdd(UrlCanonicalizer.HostKey(url), _ => new Lazy<Task<IBrowserContext>>(async () =>
        {
            var browser = await BrowserAsync().ConfigureAwait(false);
            return await browser.NewContextAsync(new BrowserNewContextOptions { UserAgent = _options.UserAgent }).ConfigureAwait(false);
        })).Value;

    private async Task<IBrowser> BrowserAsync()
    {
        await _start.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_browser is not null) return _browser;
            _proxy ??= GuardedProxy.Start(_options);
            _playwright = await Playwright.CreateAsync().ConfigureAwait(false);
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = _executable,
                Headless = true,
                // Everything through the guard's proxy, loopback too (Chromium would bypass a proxy for it), and no
                // UDP that would go around it (WebRTC).
                Proxy = new Proxy { Server = _proxy.Address, Bypass = "<-loopback>" },
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--proxy-bypass-list=<-loopback>", "--force-webrtc-ip-handling-policy=disable_non_proxied_udp", "--dns-prefetch-disable"],
            }).ConfigureAwait(false);
            return _browser;
        }
        catch (PlaywrightException e)
        {
            Unavailable = $"Chromium at {_executable} did not start: {e.Message.Split('\n')[0]}";
            throw new FetchFailedException(new Uri("about:blank"), Unavailable, e) { Retryable = false };
        }
        finally
        {
            _start.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts.Values.Where(c => c.IsValueCreated))
        {
            try
            {
                await (await context.Value.ConfigureAwait(false)).CloseAsync().ConfigureAwait(false);
            }
            catch (PlaywrightException)
            {
                // The browser may already be gone; nothing to release then.
            }
        }
        if (_browser is not null) await _browser.CloseAsync().ConfigureAwait(false);
        _playwright?.Dispose();
        if (_proxy is not null) await _proxy.DisposeAsync().ConfigureAwait(false);
    }
}
