using System.Globalization;

namespace Archiver.Platforms.Sites;

/// <summary>Dates as profiles describe them: the profile's own formats first, then ISO 8601 and RFC 1123. Times without an offset are UTC.</summary>
public static class SiteDates
{
    private const DateTimeStyles Styles = DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;

    public static DateTime? Parse(string text, IReadOnlyList<string> formats, string? cultureName)
    {
        var culture = Culture(cultureName);
        var s = text.AsSpan().ContainsAny(" \t\r\n") ? string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) : text;
        if (formats.Count > 0 && DateTimeOffset.TryParseExact(s, formats as string[] ?? formats.ToArray(), culture, Styles, out var exact))
            return exact.UtcDateTime;
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, Styles, out var iso)) return iso.UtcDateTime;
        if (DateTimeOffset.TryParse(s, culture, Styles, out var local)) return local.UtcDateTime;
        return null;
    }

    private static CultureInfo Culture(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return CultureInfo.InvariantCulture;
        try
        {
            return CultureInfo.GetCultureInfo(name);
        }
        catch (CultureNotFoundException)
        {
            return CultureInfo.InvariantCulture;
        }
    }
}
