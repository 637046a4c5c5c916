using Archiver.Search;

namespace Archiver.Cli;

/// <summary>
/// The values of a search as people give them (dates, fields to count by, choices), checked once for both front ends:
/// <c>archiver search</c>'s options and the web app's URL parameters. <c>given</c> is what the user wrote, as the
/// error message should quote it (<c>--since '2021-13'</c> or <c>since=2021-13</c>).
/// </summary>
public static class SearchValues
{
    public static (DateTime Start, DateTime End) Date(string given, string text) =>
        DateSyntax.TryParse(text, out var start, out var end)
            ? (start, end)
            : throw new UsageException($"{given} is not a date: expected {DateSyntax.Expected}.");

    public static string CountField(string given, string name) =>
        IndexFields.Resolve(name) is { } field && IndexFields.Countable.Contains(field)
            ? field
            : throw new UsageException($"{given}: can count by {string.Join(", ", IndexFields.Countable)}.");

    public static T Choice<T>(string given, string text) where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(text, out _)
            ? value
            : throw new UsageException($"{given}: expected one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");
}
