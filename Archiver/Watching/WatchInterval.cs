using System.Globalization;
using System.Text.RegularExpressions;
using Archiver.Model;

namespace Archiver.Watching;

/// <summary>
/// The bounds of a watch entry's interval, as <c>--every</c> gives them: <c>6h</c> (checked about every 6 hours:
/// from 3h when the channel is busy to 12h when it is quiet) or <c>30m..1d</c> (explicit bounds). A duration is a
/// whole number and one unit, <c>m</c>, <c>h</c> or <c>d</c> (also <c>s</c>, at least 60 of them); nothing else is accepted.
/// </summary>
public sealed partial record WatchInterval(TimeSpan Min, TimeSpan Max)
{
    /// <summary>The shortest interval allowed: a watch is not a live stream, and hosts deserve the pause.</summary>
    public static readonly TimeSpan Shortest = TimeSpan.FromMinutes(1);

    /// <summary>The longest interval allowed.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(90);

    /// <summary>The default: about every 6 hours (3h when busy, 12h when quiet).</summary>
    public static WatchInterval Default { get; } = new(TimeSpan.FromHours(3), TimeSpan.FromHours(12));

    /// <summary>Where a new entry's cadence starts: the geometric middle of the bounds (the value of <c>--every D</c>).</summary>
    public TimeSpan Start => TimeSpan.FromSeconds(Math.Round(Math.Sqrt(Min.TotalSeconds * Max.TotalSeconds)));

    [GeneratedRegex("^([1-9][0-9]{0,6})([smhd])$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    /// <summary>Parses <c>--every</c>: <c>D</c> (bounds D/2..2D) or <c>MIN..MAX</c>.</summary>
    public static WatchInterval Parse(string text)
    {
        var trimmed = text.Trim();
        var range = trimmed.Split("..");
        if (range.Length > 2) throw Bad(text);
        if (range.Length == 2)
        {
            var min = Duration(range[0], text);
            var max = Duration(range[1], text);
            if (min > max) throw new UsageException($"--every '{text}': the shortest interval ({range[0]}) is longer than the longest ({range[1]}).");
            return Checked(new WatchInterval(min, max), text);
        }
        var every = Duration(trimmed, text);
        return Checked(new WatchInterval(every / 2, every * 2), text);
    }

    /// <summary>A duration option of its own (<c>--recheck-window 7d</c>): a whole number and a unit, nothing else.</summary>
    public static TimeSpan ParseDuration(string text, string option)
    {
        var match = DurationPattern().Match(text.Trim());
        if (!match.Success)
            throw new UsageException($"{option} '{text}' is not a duration: use a whole number and a unit (90s, 30m, 6h, 7d).");
        return Duration(text.Trim(), text);
    }

    /// <summary>A duration as <c>--every</c> writes it: 90m, 6h, 2d.</summary>
    public static string Format(TimeSpan span)
    {
        var seconds = (long)span.TotalSeconds;
        if (seconds % 86400 == 0) return string.Create(CultureInfo.InvariantCulture, $"{seconds / 86400}d");
        if (seconds % 3600 == 0) return string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}h");
        if (seconds % 60 == 0) return string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}m");
        return string.Create(CultureInfo.InvariantCulture, $"{seconds}s");
    }

    public override string ToString() => $"{Format(Min)}..{Format(Max)}";

    private static TimeSpan Duration(string part, string whole)
    {
        var match = DurationPattern().Match(part);
        if (!match.Success) throw Bad(whole);
        var n = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            _ => TimeSpan.FromDays(n),
        };
    }

    private static WatchInterval Checked(WatchInterval interval, string text)
    {
        if (interval.Min < Shortest)
            throw new UsageException($"--every '{text}': checks at most once a minute (the shortest interval would be {Format(interval.Min)}).");
        if (interval.Max > Longest)
            throw new UsageException($"--every '{text}': checks at least every {Format(Longest)} (the longest interval would be {Format(interval.Max)}).");
        return interval;
    }

    private static UsageException Bad(string text) =>
        new($"--every '{text}' is not an interval: use a whole number and a unit (30m, 6h, 1d; s, m, h or d), or bounds MIN..MAX (30m..1d).");
}
