using System.Collections.Concurrent;
using System.Net;
using Archiver.Capturing;
using Microsoft.Playwright;

namespace Archiver.Crawling;

/// <summary>
/// Pages that need JavaScript, fetched with Playwright driving the system Chromium (never a downloaded one):
/// one browser, one context per host, the rendered DOM and every network response captured. Browser
/// requests bypass the HTTP client, so the private-address rule is enforced again in a route handler.
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

    public async Task<BrowserPage> FetchAsync(Uri url, CancellationToken ct)
    {
        var context = await ContextFor(url).ConfigureAwait(false);
        var page = await context.NewPageAsync().ConfigureAwait(false);
        var network = new ConcurrentBag<IResponse>();
        page.Response += (_, response) => network.Add(response);
        try
        {
            var main = await page.GotoAsync(url.AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle, Timeout = (float)_options.RequestTimeout.TotalMilliseconds })
                .WaitAsync(ct).ConfigureAwait(false)
                ?? throw new FetchFailedException(url, "the browser got no response");
            var html = await page.ContentAsync().ConfigureAwait(false);
            var others = new List<FetchResponse>();
            foreach (var response in network.Where(r => r != main))
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
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { UserAgent = _options.UserAgent }).ConfigureAwait(false);
            if (!_options.AllowPrivate) await context.RouteAsync("**/*", GuardAsync).ConfigureAwait(false);
            return context;
        })).Value;

    private async Task GuardAsync(IRoute route)
    {
        if (Uri.TryCreate(route.Request.Url, UriKind.Absolute, out var target) && target.Scheme is "http" or "https")
        {
            var addresses = IPAddress.TryParse(target.Host.Trim('[', ']'), out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(target.Host).ConfigureAwait(false);
            if (addresses.Length == 0 || addresses.All(a => PrivateAddressGuard.IsForbidden(a) && !_options.AllowedPrivateAddresses.Contains(a)))
            {
                await route.AbortAsync("blockedbyclient").ConfigureAwait(false);
                return;
            }
        }
        await route.ContinueAsync().ConfigureAwait(false);
    }

    private async Task<IBrowser> BrowserAsync()
    {
        await _start.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_browser is not null) return _browser;
            _playwright = await Playwright.CreateAsync().ConfigureAwait(false);
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = _executable,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
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
    }
}
