using System.Globalization;

namespace Archiver.Platforms.Common;

/// <summary>
/// Counts as platforms print them: "746", "1,234", "1.2K", "436.6K", "3M", "1.1B". The suffixed forms are
/// rounded by the platform, so callers keep the original text next to the number. <see cref="TryParse"/> reads a
/// text that is a count (Telegram); <see cref="Find"/> the first count in a text such as "12 likes" (Sites, Parler).
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

    /// <summary>
    /// The first count in a text as pages show it ("1,234", "1.2K", "3M", "12 likes", "1 234"; a separator is
    /// followed by exactly three digits), or null when the text holds none. Suffixes K/M/B multiply (1.2K = 1200).
    /// </summary>
    public static long? Find(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var s = text.AsSpan().Trim();
        var start = 0;
        while (start < s.Length && !char.IsAsciiDigit(s[start])) start++;
        if (start == s.Length) return null;
        var end = start;
        var digits = new System.Text.StringBuilder();
        var sawDot = false;
        while (end < s.Length)
        {
            var c = s[end];
            if (char.IsAsciiDigit(c)) digits.Append(c);
            else if (c == '.' && !sawDot && end + 1 < s.Length && char.IsAsciiDigit(s[end + 1])) { digits.Append('.'); sawDot = true; }
            // Thousands separators: "1,234", "1 234", "1'234" (a separator is always followed by exactly 3 digits).
            else if (c is ',' or ' ' or '\u00A0' or '\u202F' or '\'' && ThreeDigitsFollow(s, end)) { }
            else break;
            end++;
        }
        while (end < s.Length && s[end] == ' ') end++;
        var multiplier = end < s.Length ? char.ToUpperInvariant(s[end]) switch { 'K' => 1_000m, 'M' => 1_000_000m, 'B' => 1_000_000_000m, _ => 1m } : 1m;
        if (!decimal.TryParse(digits.ToString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)) return null;
        var result = value * multiplier;
        return result > long.MaxValue ? null : (long)decimal.Round(result);
    }

    /// <summary>Whether the count was shown in an approximate form ("1.2K"), whose text is worth keeping.</summary>
    public static bool IsApproximate(string? text) =>
        text is not null && text.TrimEnd().Length > 0 && char.ToUpperInvariant(text.TrimEnd()[^1]) is 'K' or 'M' or 'B';

    private static bool ThreeDigitsFollow(ReadOnlySpan<char> s, int at)
    {
        for (var i = 1; i <= 3; i++)
            if (at + i >= s.Length || !char.IsAsciiDigit(s[at + i])) return false;
        return at + 4 >= s.Length || !char.IsAsciiDigit(s[at + 4]);
    }
}
