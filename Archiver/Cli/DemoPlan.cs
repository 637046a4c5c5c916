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
}

/// <summary>One example search of the demo: a title, the query, the fields to count by and an optional histogram.</summary>
public sealed record DemoSearch(string Title, string Query, IReadOnlyList<string> By, Search.HistogramPeriod? Histogram);
