using System.Text;

namespace Archiver.Platforms.Common;

/// <summary>
/// Builds "text as a reader sees it" (docs/records.md): runs of whitespace become one space, block ends
/// become line breaks, spaces around line breaks go. Shared by the DOM walker and the light HTML reader.
/// </summary>
internal static class ReaderText
{
    public static void AppendCollapsed(StringBuilder output, string data)
    {
        foreach (var c in data)
        {
            if (c is ' ' or '\t' or '\n' or '\r' or '\f')
            {
                if (output.Length > 0 && output[^1] is not (' ' or '\n')) output.Append(' ');
            }
            else output.Append(c);
        }
    }

    public static void EnsureLineBreak(StringBuilder output)
    {
        while (output.Length > 0 && output[^1] == ' ') output.Length--;
        if (output.Length > 0 && output[^1] != '\n') output.Append('\n');
    }

    /// <summary>Spaces next to line breaks go; the whole text is trimmed.</summary>
    public static string Normalize(StringBuilder text)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == ' ' && (result.Length == 0 || result[^1] == '\n' || (i + 1 < text.Length && text[i + 1] == '\n'))) continue;
            result.Append(c);
        }
        return result.ToString().Trim();
    }
}
