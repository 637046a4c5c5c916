using System.Globalization;
using Archiver.Cli;
using Archiver.Search;
using Microsoft.AspNetCore.Http;

namespace Archiver.Serve;

/// <summary>
/// A search as the web app and <c>/api/search</c> take it from the URL (<c>?q=...&amp;by=lang&amp;since=...</c>): the
/// same names and meanings as <c>archiver search</c>'s options, so a shared URL and a command line give one answer.
/// </summary>
public static class SearchQuery
{
    public const int MaxLimit = 1000;

    /// <summary>The request, or a <see cref="UsageException"/> naming the bad parameter.</summary>
    public static SearchRequest From(IQueryCollection query, int defaultLimit = 20)
    {
        var q = query["q"].ToString();
        if (string.IsNullOrWhiteSpace(q)) throw new UsageException("The query is empty: give ?q= (words, \"phrases\", author:, #tag, date:2021-01-06, ...).");
        return new SearchRequest
        {
            Query = q,
            Stem = Flag(query, "stem"),
            Since = Text(query, "since") is { } s ? Date("since", s).Start : null,
            Until = Text(query, "until") is { } u ? Date("until", u).End : null,
            CountBy = query["by"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(CountField).Distinct().ToList(),
            Histogram = Text(query, "histogram") is { } h ? Choice<HistogramPeriod>("histogram", h) : null,
            Sort = Text(query, "sort") is { } sort ? Choice<SearchSort>("sort", sort) : SearchSort.Relevance,
            Limit = Number(query, "limit", defaultLimit, 0, MaxLimit),
            Offset = Number(query, "offset", 0, 0, int.MaxValue),
            TopValues = Number(query, "top", 10, 1, 1000),
        };
    }

    private static string? Text(IQueryCollection query, string name) => query[name].ToString() is { Length: > 0 } v ? v : null;

    private static bool Flag(IQueryCollection query, string name) => Text(query, name) is { } v && v is not ("0" or "false" or "off" or "no");

    private static (DateTime Start, DateTime End) Date(string name, string text) =>
        DateSyntax.TryParse(text, out var start, out var end)
            ? (start, end)
            : throw new UsageException($"{name}={text} is not a date: expected {DateSyntax.Expected}.");

    private static string CountField(string name) =>
        IndexFields.Resolve(name) is { } field && IndexFields.Countable.Contains(field)
            ? field
            : throw new UsageException($"by={name}: can count by {string.Join(", ", IndexFields.Countable)}.");

    private static T Choice<T>(string name, string text) where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(text, out _)
            ? value
            : throw new UsageException($"{name}={text}: expected one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");

    private static int Number(IQueryCollection query, string name, int fallback, int min, int max)
    {
        if (Text(query, name) is not { } text) return fallback;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw new UsageException($"{name}={text}: expected a whole number from {min} to {max}.");
        return n;
    }
}
