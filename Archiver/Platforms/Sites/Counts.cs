using System.Globalization;

namespace Archiver.Platforms.Sites;

/// <summary>Counts as pages show them: "1,234", "1.2K", "3M", "12 likes", "1 234".</summary>
public static class Counts
{
    /// <summary>The number, or null when the text holds none. Suffixes K/M/B multiply (1.2K = 1200).</summary>
    public static long? Parse(string? text)
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
