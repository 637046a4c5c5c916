using System.Text;

namespace Archiver.Search;

/// <summary>
/// The friendly shorthands the classic grammar has no rule for, rewritten before parsing:
/// <c>#tag</c> → <c>hashtag:tag</c>, <c>@name</c> → <c>mention:name</c>. Keeps a map from each rewritten
/// character back to the typed one, so parse errors point at what the user typed.
/// </summary>
internal sealed class QueryText
{
    private readonly int[] _origin;

    public string Typed { get; }
    public string Rewritten { get; }

    private QueryText(string typed, string rewritten, int[] origin)
    {
        Typed = typed;
        Rewritten = rewritten;
        _origin = origin;
    }

    /// <summary>The position in the typed text of a position in the rewritten text.</summary>
    public int ToTyped(int rewrittenPosition) =>
        rewrittenPosition < 0 ? 0
        : rewrittenPosition >= _origin.Length ? Typed.Length
        : _origin[rewrittenPosition];

    public static QueryText Rewrite(string typed)
    {
        var output = new StringBuilder(typed.Length + 16);
        var origin = new List<int>(typed.Length + 16);
        var inQuotes = false;
        var rangeDepth = 0;
        for (var i = 0; i < typed.Length; i++)
        {
            var c = typed[i];
            if (c == '\\' && i + 1 < typed.Length)
            {
                Append(output, origin, typed.AsSpan(i, 2), i);
                i++;
                continue;
            }
            if (c == '"') inQuotes = !inQuotes;
            else if (!inQuotes && c is '[' or '{') rangeDepth++;
            else if (!inQuotes && c is ']' or '}' && rangeDepth > 0) rangeDepth--;
            var field = !inQuotes && rangeDepth == 0 && AtTermStart(typed, i) && i + 1 < typed.Length && IsTermChar(typed[i + 1])
                ? c switch { '#' => IndexFields.Hashtag + ":", '@' => IndexFields.Mention + ":", _ => null }
                : null;
            Append(output, origin, field is null ? typed.AsSpan(i, 1) : field.AsSpan(), i);
        }
        return new QueryText(typed, output.ToString(), origin.ToArray());
    }

    private static void Append(StringBuilder output, List<int> origin, ReadOnlySpan<char> text, int from)
    {
        output.Append(text);
        for (var k = 0; k < text.Length; k++) origin.Add(from);
    }

    private static bool AtTermStart(string text, int i) =>
        i == 0 || char.IsWhiteSpace(text[i - 1]) || text[i - 1] is '(' or '+' or '-' or '!';

    private static bool IsTermChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
