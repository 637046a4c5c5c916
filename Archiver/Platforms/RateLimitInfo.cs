using System.Globalization;

namespace Archiver.Platforms;

/// <summary>
/// What a server said about its request budget (<c>X-RateLimit-Limit/Remaining/Reset</c>), so the scheduler can
/// slow down before it is refused. Reset is UTC.
/// </summary>
public sealed record RateLimitInfo(long? Limit, long? Remaining, DateTime? Reset)
{
    /// <summary>Reads the X-RateLimit-* headers; null when the server sent none.</summary>
    public static RateLimitInfo? FromHeaders(IReadOnlyDictionary<string, string> headers)
    {
        var limit = Number(headers, "X-RateLimit-Limit");
        var remaining = Number(headers, "X-RateLimit-Remaining");
        DateTime? reset = null;
        if (Header(headers, "X-RateLimit-Reset") is { } text)
        {
            // Mastodon sends an ISO 8601 time; some forks and proxies send Unix seconds.
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && !long.TryParse(text, out _))
                reset = at.UtcDateTime;
            else if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds < 100_000_000_000)
                reset = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;
        }
        return limit is null && remaining is null && reset is null ? null : new RateLimitInfo(limit, remaining, reset);
    }

    private static long? Number(IReadOnlyDictionary<string, string> headers, string name) =>
        long.TryParse(Header(headers, name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string? Header(IReadOnlyDictionary<string, string> headers, string name)
    {
        if (headers.TryGetValue(name, out var value)) return value.Split(',')[0].Trim();
        foreach (var pair in headers)
        {
            if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase)) return pair.Value.Split(',')[0].Trim();
        }
        return null;
    }
}
