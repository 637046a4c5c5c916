using System.Text.RegularExpressions;

namespace Archiver.Platforms.Parler;

/// <summary>
/// Parler showed only relative times ("4 days ago"). The creation time is estimated as the capture time minus
/// that age, as the reference parser does with the dump's file times; the estimate is only as fine as the unit.
/// </summary>
public static partial class RelativeAge
{
    [GeneratedRegex(@"^(?:(?<n>\d+)|an?|one)\s+(?<unit>second|minute|hour|day|week|month|year)s?\s+ago$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();

    public static TimeSpan? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim();
        if (t.Equals("just now", StringComparison.OrdinalIgnoreCase) || t.Equals("now", StringComparison.OrdinalIgnoreCase)) return TimeSpan.Zero;
        var match = Pattern().Match(t);
        if (!match.Success) return null;
        var n = match.Groups["n"].Success && int.TryParse(match.Groups["n"].Value, out var parsed) ? parsed : 1;
        return match.Groups["unit"].Value.ToLowerInvariant() switch
        {
            "second" => TimeSpan.FromSeconds(n),
            "minute" => TimeSpan.FromMinutes(n),
            "hour" => TimeSpan.FromHours(n),
            "day" => TimeSpan.FromDays(n),
            "week" => TimeSpan.FromDays(7 * n),
            "month" => TimeSpan.FromDays(30 * n),
            _ => TimeSpan.FromDays(365 * n),
        };
    }

    /// <summary>The estimated UTC creation time, or null when the capture time or the age is unknown.</summary>
    public static DateTime? Estimate(DateTime capturedAt, string? text)
    {
        if (capturedAt == default || Parse(text) is not { } age) return null;
        var utc = capturedAt.Kind == DateTimeKind.Utc ? capturedAt : DateTime.SpecifyKind(capturedAt.ToUniversalTime(), DateTimeKind.Utc);
        return utc - age;
    }
}
