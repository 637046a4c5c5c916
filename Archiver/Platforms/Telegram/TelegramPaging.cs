using System.Globalization;
using Archiver.Platforms.Common;

namespace Archiver.Platforms.Telegram;

/// <summary>
/// Paging back through a channel with <c>?before=ID</c>: the next page starts below the smallest id actually seen
/// (never a guessed id), so gaps of deleted posts are crossed and a page that does not move back stops the walk.
/// </summary>
public static class TelegramPaging
{
    public const string ContextChannel = "channel";
    public const string ContextBefore = "before";
    public const string ContextSince = "since";
    public const string ContextUntil = "until";

    /// <summary>The <c>before</c> of the page's own URL, if any.</summary>
    public static long? Before(Uri page)
    {
        foreach (var pair in page.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (pair.StartsWith("before=", StringComparison.Ordinal) &&
                long.TryParse(pair.AsSpan("before=".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var before))
                return before;
        }
        return null;
    }

    /// <summary>The channel page below <paramref name="before"/>, on the origin that served <paramref name="page"/>.</summary>
    public static Uri PageUrl(Uri page, string channel, long? before) =>
        new(before is null
            ? $"{UrlTools.Origin(page)}/s/{channel}"
            : string.Create(CultureInfo.InvariantCulture, $"{UrlTools.Origin(page)}/s/{channel}?before={before}"));

    /// <summary>A "since"/"until" bound from a request's context (see <see cref="DateBounds"/>).</summary>
    public static DateTime? Bound(IReadOnlyDictionary<string, string>? context, string key) =>
        DateBounds.FromContext(context, key, isUpper: key == ContextUntil);
}
