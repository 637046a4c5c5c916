using System.CommandLine;
using Archiver.Crawling;

namespace Archiver.Cli;

/// <summary>
/// The options that say how a crawl treats the network (addresses, robots, proxy, User-Agent, politeness, media):
/// declared once for <c>crawl</c> and <c>watch run</c>, so a watch obeys exactly the rules a crawl does.
/// </summary>
public sealed class CrawlNetworkOptions
{
    private readonly Option<bool> _allowPrivate = new("--allow-private") { Description = "Allow loopback/private/link-local addresses (a local replica); refused by default" };
    private readonly Option<bool> _ignoreRobots = new("--ignore-robots") { Description = "Do not obey robots.txt (obeyed by default; use only where you have the right to)" };
    private readonly Option<string?> _proxy = new("--proxy") { Description = "Send every request through this HTTP proxy (http://HOST:PORT); HTTP_PROXY and friends are ignored. Targets are still checked against --allow-private first", HelpName = "URL" };
    private readonly Option<string> _userAgent = new("--user-agent") { Description = "User-Agent header", DefaultValueFactory = _ => CrawlOptions.DefaultUserAgent };
    private readonly Option<int> _concurrency = new("--concurrency") { Description = "Pages fetched at once, over all hosts", DefaultValueFactory = _ => 8 };
    private readonly Option<int> _perHost = new("--per-host") { Description = "Pages fetched at once from one host", DefaultValueFactory = _ => 2 };
    private readonly Option<double> _rate = new("--rate") { Description = "Requests per second per host (0: no limit)", DefaultValueFactory = _ => 2 };
    private readonly Option<bool> _noMedia = new("--no-media") { Description = "Do not download images, videos and files" };

    public IEnumerable<Option> All => [_allowPrivate, _ignoreRobots, _proxy, _userAgent, _concurrency, _perHost, _rate, _noMedia];

    /// <summary>Crawl options for <paramref name="dataDir"/> with these settings (the rest at their defaults).</summary>
    public CrawlOptions Build(ParseResult parse, string dataDir) => new()
    {
        DataDir = dataDir,
        AllowPrivate = parse.GetValue(_allowPrivate),
        IgnoreRobots = parse.GetValue(_ignoreRobots),
        Proxy = ParseProxy(parse.GetValue(_proxy)),
        UserAgent = parse.GetValue(_userAgent)!,
        Concurrency = Positive(parse.GetValue(_concurrency), "--concurrency"),
        PerHost = Positive(parse.GetValue(_perHost), "--per-host"),
        RatePerHost = parse.GetValue(_rate) >= 0 ? parse.GetValue(_rate) : throw new UsageException("--rate must be 0 or more."),
        NoMedia = parse.GetValue(_noMedia),
    };

    /// <summary>The note a crawl prints when a proxy variable is set but not used.</summary>
    public static async Task NoteProxyVariableAsync(CliContext context, CrawlOptions options)
    {
        if (options.Proxy is null && ProxyVariable() is { } variable)
            await context.Error.WriteLineAsync($"note: {variable} is set but not used: pass --proxy URL to crawl through a proxy (docs/crawler.md).");
    }

    private static Uri? ParseProxy(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == "http" && uri.AbsolutePath == "/" && uri.Query.Length == 0
            ? uri
            : throw new UsageException($"--proxy '{text}' is not an HTTP proxy URL: use http://HOST:PORT (http://USER:PASSWORD@HOST:PORT with a login).");
    }

    private static string? ProxyVariable() =>
        new[] { "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy" }
            .FirstOrDefault(v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v)));

    public static int Positive(int value, string name) => value > 0 ? value : throw new UsageException($"{name} must be at least 1.");
}
