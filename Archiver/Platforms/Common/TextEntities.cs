using System.Text.RegularExpressions;

namespace Archiver.Platforms.Common;

/// <summary>Hashtags, mentions and links as records.md wants them: in order of first appearance, no duplicates.</summary>
public static partial class TextEntities
{
    [GeneratedRegex(@"(?<![\w#&/])#([\p{L}\p{Mn}\p{Nd}_]*[\p{L}\p{Mn}_][\p{L}\p{Mn}\p{Nd}_]*)", RegexOptions.CultureInvariant)]
    private static partial Regex HashtagPattern();

    [GeneratedRegex(@"(?<![\w@/.])@([A-Za-z0-9_]+(?:@[A-Za-z0-9.\-]+[A-Za-z0-9])?)", RegexOptions.CultureInvariant)]
    private static partial Regex MentionPattern();

    [GeneratedRegex(@"https?://[^\s<>""'«»]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex UrlPattern();

    /// <summary>Hashtags written in plain text, without '#'.</summary>
    public static IEnumerable<string> Hashtags(string text) =>
        HashtagPattern().Matches(text).Select(m => m.Groups[1].Value);

    /// <summary>Mentions written in plain text, without '@' (<c>user</c> or <c>user@host</c>).</summary>
    public static IEnumerable<string> Mentions(string text) =>
        MentionPattern().Matches(text).Select(m => m.Groups[1].Value);

    /// <summary>Bare http(s) URLs in plain text, trailing punctuation removed.</summary>
    public static IEnumerable<string> Urls(string text) =>
        UrlPattern().Matches(text).Select(m => m.Value.TrimEnd('.', ',', ';', ':', '!', '?', ')', ']'));

    /// <summary>Keeps the first occurrence of each value (ordinal), in order.</summary>
    public static List<string> Distinct(IEnumerable<string?> values)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var value in values)
        {
            if (string.IsNullOrEmpty(value) || !seen.Add(value)) continue;
            result.Add(value);
        }
        return result;
    }
}
