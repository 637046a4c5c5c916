namespace Archiver.Platforms.Telegram;

/// <summary>Reads channel and message ids out of t.me links and <c>data-post</c> values.</summary>
public static class TelegramPaths
{
    /// <summary><c>chan/123</c> (a data-post value) into its parts.</summary>
    public static bool TryDataPost(string? value, out string channel, out long id)
    {
        channel = "";
        id = 0;
        if (string.IsNullOrEmpty(value)) return false;
        var slash = value.LastIndexOf('/');
        if (slash <= 0) return false;
        channel = value[..slash];
        return TelegramSeeds.IsChannelName(channel) && long.TryParse(value.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out id) && id > 0;
    }

    /// <summary>A post link (<c>https://t.me/chan/123</c>, <c>/s/chan/123?single</c>, relative or absolute) into its parts.</summary>
    public static bool TryPostId(string? href, out string channel, out long id)
    {
        channel = "";
        id = 0;
        if (string.IsNullOrEmpty(href)) return false;
        var path = href;
        var scheme = path.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            var slash = path.IndexOf('/', scheme + 3);
            path = slash < 0 ? "" : path[slash..];
        }
        var cut = path.IndexOfAny(['?', '#']);
        if (cut >= 0) path = path[..cut];
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length > 0 && segments[0] == "s") segments = segments[1..];
        return segments.Length == 2 && TryDataPost(segments[0] + "/" + segments[1], out channel, out id);
    }
}
