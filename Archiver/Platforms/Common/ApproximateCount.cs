using System.Globalization;

namespace Archiver.Platforms.Common;

/// <summary>
/// Counts as platforms print them: "746", "1,234", "1.2K", "436.6K", "3M", "1.1B". The suffixed forms are
/// rounded by the platform, so callers keep the original text next to the number.
/// </summary>
public static class ApproximateCount
{
    /// <summary>Parses a displayed count. <paramref name="approximate"/> is true when a K/M/B suffix was used.</summary>
    public static bool TryParse(string? text, out long value, out bool approximate)
    {
        value = 0;
        approximate = false;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var span = text.AsSpan().Trim();
        long multiplier = 1;
        var last = char.ToUpperInvariant(span[^1]);
        if (last is 'K' or 'M' or 'B')
        {
            multiplier = last switch { 'K' => 1_000, 'M' => 1_000_000, _ => 1_000_000_000 };
            approximate = true;
            span = span[..^1].TrimEnd();
        }
        if (span.IsEmpty || span.Length > 24) return false;
        Span<char> digits = stackalloc char[span.Length];
        var n = 0;
        foreach (var c in span)
        {
            // Thousands separators and thin spaces are dropped; a comma followed by one digit ("1,2K") is a decimal comma.
            if (c is ',' && approximate) { digits[n++] = '.'; continue; }
            if (c is ',' or '\u00A0' or '\u202F' or ' ' or '\'') continue;
            if (!char.IsAsciiDigit(c) && c != '.') return false;
            digits[n++] = c;
        }
        if (!decimal.TryParse(digits[..n], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return false;
        if (!approximate && number != decimal.Truncate(number)) return false;
        if (number > long.MaxValue / (decimal)multiplier) return false;
        var scaled = number * multiplier;
        value = (long)decimal.Round(scaled, MidpointRounding.AwayFromZero);
        return true;
    }

    /// <summary>The count or null when the text is not a count.</summary>
    public static long? Parse(string? text) => TryParse(text, out var value, out _) ? value : null;
}
