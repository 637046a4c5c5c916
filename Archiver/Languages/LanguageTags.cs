namespace Archiver.Languages;

/// <summary>Language codes as platforms and documents write them (ISO 639-1/2/3, BCP 47 tags).</summary>
public static class LanguageTags
{
    /// <summary>False for null, empty, and codes that say there is no language to name: und, zxx, mul, mis, Twitter's q-codes.</summary>
    public static bool IsLanguage(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag)) return false;
        var primary = Primary(tag);
        return primary is not (null or "und" or "zxx" or "mul" or "mis" or "qam" or "qct" or "qht" or "qme" or "qst");
    }

    /// <summary>The primary subtag, lower-case ("en-GB" and "en_GB" give "en"); null when none.</summary>
    public static string? Primary(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag)) return null;
        var span = tag.AsSpan().Trim();
        var end = span.IndexOfAny('-', '_');
        if (end >= 0) span = span[..end];
        if (span.Length is < 2 or > 8) return null;
        foreach (var c in span)
            if (!char.IsAsciiLetter(c)) return null;
        return span.ToString().ToLowerInvariant();
    }
}
