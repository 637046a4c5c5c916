using System.Globalization;

namespace Archiver.Replica;

/// <summary>Telegram's short number form ("987", "1.2K", "123K", "3.4M") and its value as a reader reads it.</summary>
public static class Counts
{
    public static string Short(long value)
    {
        if (value < 1000) return value.ToString(CultureInfo.InvariantCulture);
        if (value < 1_000_000) return Scaled(value, 1000, "K");
        return Scaled(value, 1_000_000, "M");
    }

    private static string Scaled(long value, long unit, string suffix)
    {
        var whole = value / unit;
        if (whole >= 100) return whole.ToString(CultureInfo.InvariantCulture) + suffix;
        var tenth = value * 10 / unit % 10;
        return tenth == 0
            ? whole.ToString(CultureInfo.InvariantCulture) + suffix
            : string.Create(CultureInfo.InvariantCulture, $"{whole}.{tenth}{suffix}");
    }

    /// <summary>The number the short form stands for: "1.2K" is 1200.</summary>
    public static long Value(string text)
    {
        var unit = text.EndsWith('K') ? 1000L : text.EndsWith('M') ? 1_000_000L : 1L;
        var digits = unit == 1 ? text : text[..^1];
        return (long)Math.Round(decimal.Parse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * unit);
    }

    public static bool IsApproximate(string text) => text.EndsWith('K') || text.EndsWith('M');
}
