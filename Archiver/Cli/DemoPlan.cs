namespace Archiver.Cli;

/// <summary>What `archiver demo` does, in the order it does it. Kept as data so the README and tests agree.</summary>
public static class DemoPlan
{
    /// <summary>Faults that show resilience without slowing the demo down much.</summary>
    public const string Faults = "latency=2ms,error=0.03,429=0.01,reset=0.005";

    /// <summary>Example searches: (title, query, count by, histogram). Words the replica's generator writes.</summary>
    public static readonly IReadOnlyList<DemoSearch> Searches =
    [
        new("Everything archived, by platform and month", "*", ["platform"], Search.HistogramPeriod.Month),
        new("Posts in Russian on Telegram, by channel", "lang:ru AND platform:telegram", ["channel"], null),
        new("Posts with media, by language and hashtag", "has:media", ["lang", "hashtag"], null),
    ];

    /// <summary>The example export: every Telegram post, as JSONL with a manifest.</summary>
    public const string ExportQuery = "platform:telegram";

    /// <summary>
    /// The watch step: channels of an evolving replica watched over two passes. Its schedule is a pure function of
    /// (seed, size, start, days): between the baseline and the second pass svobodnye_novosti gets new posts, edits and
    /// deletions, freepress is blocked (451), sawt_alnas disappears (404) and Mastodon's bruno posts (DemoWatchTests
    /// checks this against the replica's truth). The recheck window is 90 days: the edits and deletions touch a channel's
    /// 20 latest posts, and version 1 of the replica spreads a channel's posts over six months (until 2025-09-02), so
    /// those go back weeks, beyond the default 7 days.
    /// </summary>
    public static readonly DemoWatchPlan Watch = new(
        Seed: 1,
        Start: new DateTimeOffset(2025, 9, 15, 0, 0, 0, TimeSpan.Zero),
        Days: 7,
        Baseline: new DateTimeOffset(2025, 9, 17, 0, 0, 0, TimeSpan.Zero),
        Advance: TimeSpan.FromHours(18),
        RecheckWindow: TimeSpan.FromDays(90),
        Channels: [("telegram", "svobodnye_novosti"), ("telegram", "freepress"), ("telegram", "sawt_alnas"), ("mastodon", "bruno")]);
}

/// <summary>
/// The demo's watch: an evolving replica (seed, start, days), the channels or accounts watched (platform, name), when
/// the baseline pass runs on the simulated clock, how far the clock moves before the second pass, and the checks'
/// <c>--recheck-window</c>.
/// </summary>
public sealed record DemoWatchPlan(
    ulong Seed, DateTimeOffset Start, double Days, DateTimeOffset Baseline, TimeSpan Advance, TimeSpan RecheckWindow, IReadOnlyList<(string Platform, string Name)> Channels)
{
    public DateTimeOffset Second => Baseline + Advance;
}

/// <summary>One example search of the demo: a title, the query, the fields to count by and an optional histogram.</summary>
public sealed record DemoSearch(string Title, string Query, IReadOnlyList<string> By, Search.HistogramPeriod? Histogram);
