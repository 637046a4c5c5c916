using System.Globalization;

namespace Archiver.Search;

/// <summary>
/// Dates as people type them in queries and options: <c>2021</c>, <c>2021-01</c>, <c>2021-01-06</c> (a whole
/// year, month or day, UTC) or an instant (<c>2021-01-06T10:00:00Z</c>, <c>2021-01-06 10:00</c>).
/// </summary>
public static class DateSyntax
{
    private static readonly string[] InstantFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm",
    ];

    /// <summary>The span a typed date covers, <c>[Start, End)</c>, or false when it is not a date.</summary>
    public static bool TryParse(string text, out DateTime start, out DateTime end)
    {
        var t = text.Trim().ToUpperInvariant();
        const DateTimeStyles utc = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal;
        if (DateTime.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, utc, out start))
        {
            end = start.AddDays(1);
            return true;
        }
        if (DateTime.TryParseExact(t, "yyyy-MM", CultureInfo.InvariantCulture, utc, out start))
        {
            end = start.AddMonths(1);
            return true;
        }
        if (t.Length == 4 && DateTime.TryParseExact(t, "yyyy", CultureInfo.InvariantCulture, utc, out start))
        {
            end = start.AddYears(1);
            return true;
        }
        if (DateTime.TryParseExact(t, InstantFormats, CultureInfo.InvariantCulture, utc, out start))
        {
            end = start.AddSeconds(1);
            return true;
        }
        end = default;
        return false;
    }

    public const string Expected = "a date like 2021-01-06, 2021-01, 2021 or 2021-01-06T10:00:00Z";

    /// <summary>The one meaning of --since and --until in every command that filters by date (search, export).</summary>
    public const string SinceHelp = "Only posts published on or after this date (2021-01-06, 2021-01, 2021 or 2021-01-06T10:00:00Z; UTC)";

    public const string UntilHelp = "Inclusive: only posts published up to the end of this date (the whole day of 2021-01-06; or month, year, second; UTC)";
}
