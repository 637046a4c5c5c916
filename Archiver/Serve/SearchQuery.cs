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
            Since = Text(query, "since") is { } s ? SearchValues.Date($"since={s}", s).Start : null,
            Until = Text(query, "until") is { } u ? SearchValues.Date($"until={u}", u).End : null,
            CountBy = query["by"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(b => SearchValues.CountField($"by={b}", b)).Distinct().ToList(),
            Histogram = Text(query, "histogram") is { } h ? SearchValues.Choice<HistogramPeriod>($"histogram={h}", h) : null,
            Sort = Text(query, "sort") is { } sort ? SearchValues.Choice<SearchSort>($"sort={sort}", sort) : SearchSort.Relevance,
            Limit = Number(query, "limit", defaultLimit, 0, MaxLimit),
            Offset = Number(query, "offset", 0, 0, int.MaxValue),
            TopValues = Number(query, "top", 10, 1, 1000),
        };
    }

    private static string? Text(IQueryCollection query, string name) => query[name].ToString() is { Length: > 0 } v ? v : null;

    private static bool Flag(IQueryCollection query, string name) => Text(query, name) is { } v && v is not ("0" or "false" or "off" or "no");

    private static int Number(IQueryCollection query, string name, int fallback, int min, int max)
    {
        if (Text(query, name) is not { } text) return fallback;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw new UsageException($"{name}={text}: expected a whole number from {min} to {max}.");
        return n;
    }
}
