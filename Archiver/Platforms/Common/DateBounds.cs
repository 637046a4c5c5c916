using System.Globalization;

namespace Archiver.Platforms.Common;

/// <summary>The <c>--since</c>/<c>--until</c> bounds a crawler puts into <c>CrawlRequest.Context</c> as ISO dates.</summary>
public static class DateBounds
{
    /// <summary>
    /// A bound from a request's context, UTC. A bare date means the whole day: a lower bound starts at its
    /// midnight, an upper bound ends at the next midnight (exclusive).
    /// </summary>
    public static DateTime? FromContext(IReadOnlyDictionary<string, string>? context, string key, bool isUpper)
    {
        if (context is null || !context.TryGetValue(key, out var text) || string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
            return null;
        if (isUpper && text.Length == 10) value = value.AddDays(1);
        return DateTime.SpecifyKind(value, DateTimeKind.Utc);
    }

    public static bool Contains(DateTime? since, DateTime? until, DateTime? at) =>
        at is not { } t || ((since is null || t >= since) && (until is null || t < until));
}
