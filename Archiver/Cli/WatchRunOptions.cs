using System.CommandLine;
using Archiver.Notifications;
using Archiver.Watching;

namespace Archiver.Cli;

/// <summary>
/// The options of a running watcher (checks, their schedule, notifications, the network rules of a crawl): declared
/// once for <c>watch run</c> and <c>serve</c>, which runs the same watcher beside its web app.
/// </summary>
public sealed class WatchRunOptions
{
    private readonly Option<string> _window = new("--recheck-window") { Description = "Each check fetches the posts of this last stretch again, for edits and deletions (older pages are not walked)", DefaultValueFactory = _ => "7d", HelpName = "D" };
    private readonly Option<long> _pages = new("--recheck-pages") { Description = "Pages a check fetches at most (the baseline is not limited unless --baseline-pages)", DefaultValueFactory = _ => 20 };
    private readonly Option<long?> _baselinePages = new("--baseline-pages") { Description = "Pages the first check of an entry (the baseline: the whole channel) fetches at most" };
    private readonly Option<int> _checks = new("--checks") { Description = "Checks at once, each of a different host", DefaultValueFactory = _ => 4 };
    private readonly Option<string> _timeout = new("--check-timeout") { Description = "A check still running after this long is abandoned (counted as failed)", DefaultValueFactory = _ => "15m", HelpName = "D" };
    private readonly Option<string?> _notifyUrl = new("--notify-url") { Description = "POST each event as JSON to this URL (retried with backoff until it answers 2xx)", HelpName = "URL" };
    private readonly Option<string?> _notifySecret = new("--notify-secret-file") { Description = $"Sign each POST (X-Archiver-Signature: sha256=HMAC) with the first line of this file (or ${NotifyOptions.SecretVariable})", HelpName = "FILE" };
    private readonly Option<string?> _notifyAtom = new("--notify-atom") { Description = "Atom feed of the last 100 events ('none' for no feed; default ARCHIVE/events.atom)", HelpName = "PATH" };
    // Hidden: the watcher's clock runs --time-scale times faster from --time-origin (a replica with --evolve and the
    // same two values shares the time line), so a test watches a simulated week in minutes, kills included.
    private readonly Option<double?> _timeScale = new("--time-scale") { Hidden = true };
    private readonly Option<DateTimeOffset?> _timeOrigin = new("--time-origin") { Hidden = true };

    public CrawlNetworkOptions Network { get; } = new();

    public IEnumerable<Option> All =>
        [_window, _pages, _baselinePages, _checks, _timeout, _notifyUrl, _notifySecret, _notifyAtom, _timeScale, _timeOrigin, .. Network.All];

    /// <summary>
    /// The watcher's options for the archive in <paramref name="dataDir"/> (<paramref name="root"/>: its full path, where the
    /// Atom feed goes by default); <paramref name="once"/> and <paramref name="all"/> are <c>watch run</c>'s.
    /// </summary>
    public WatcherOptions Build(ParseResult parse, string dataDir, string root, bool stdout, bool once = false, bool all = false)
    {
        var simulated = parse.GetValue(_timeScale) is { } scale ? new SimulatedClock(parse.GetValue(_timeOrigin) ?? DateTimeOffset.UtcNow, scale) : null;
        var atom = parse.GetValue(_notifyAtom);
        return new WatcherOptions
        {
            Clock = (TimeProvider?)simulated ?? TimeProvider.System,
            Crawl = Network.Build(parse, dataDir) with { Time = simulated?.WithRealTimers() ?? TimeProvider.System },
            Check = new WatchCheckOptions
            {
                RecheckWindow = WatchInterval.ParseDuration(parse.GetValue(_window)!, "--recheck-window"),
                RecheckPages = PositiveLong(parse.GetValue(_pages), "--recheck-pages"),
                BaselinePages = parse.GetValue(_baselinePages) is { } b ? PositiveLong(b, "--baseline-pages") : null,
            },
            Scheduler = new WatchSchedulerOptions
            {
                Once = once,
                All = all,
                MaxChecks = CrawlNetworkOptions.Positive(parse.GetValue(_checks), "--checks"),
                CheckTimeout = WatchInterval.ParseDuration(parse.GetValue(_timeout)!, "--check-timeout"),
            },
            Notify = new NotifyOptions
            {
                Url = parse.GetValue(_notifyUrl) is { } url ? NotifyOptions.ParseUrl(url) : null,
                Secret = NotifyOptions.ReadSecret(parse.GetValue(_notifySecret)),
                AtomPath = atom == "none" ? null : atom ?? Path.Combine(root, "events.atom"),
                Stdout = stdout,
            },
        };
    }

    private static long PositiveLong(long value, string name) => value > 0 ? value : throw new UsageException($"{name} must be at least 1.");
}
