namespace Archiver.Platforms.Sites.Fast;

/// <summary>
/// The CSS subset the fast parser matches: type, <c>*</c>, <c>#id</c>, <c>.class</c>, <c>[attr]</c>,
/// <c>[attr=v]</c>, <c>~=</c>, <c>^=</c>, <c>$=</c>, <c>*=</c>, descendant and child combinators, and
/// comma lists. <see cref="TryParse"/> refuses anything else, so a profile never silently matches less.
/// </summary>
public sealed class FastSelector
{
    private readonly List<Complex> _alternatives;

    private FastSelector(List<Complex> alternatives) => _alternatives = alternatives;

    private sealed record Complex(List<Compound> Parts, List<char> Combinators);

    private sealed record Compound(string? Tag, string? Id, List<string> Classes, List<AttributeTest> Attributes);

    private sealed record AttributeTest(string Name, char Operator, string? Value);

    public static FastSelector? TryParse(string text)
    {
        var alternatives = new List<Complex>();
        foreach (var part in SplitList(text))
        {
            var complex = ParseComplex(part.Trim());
            if (complex is null) return null;
            alternatives.Add(complex);
        }
        return alternatives.Count == 0 ? null : new FastSelector(alternatives);
    }

    /// <summary>Elements under <paramref name="scope"/> (not itself) that match, in document order.</summary>
    public IEnumerable<int> SelectAll(FastDocument doc, int scope)
    {
        var end = doc.End(scope);
        for (var node = scope + 1; node <= end; node++)
            if (doc.IsElement(node) && Matches(doc, node)) yield return node;
    }

    public int SelectFirst(FastDocument doc, int scope)
    {
        var end = doc.End(scope);
        for (var node = scope + 1; node <= end; node++)
            if (doc.IsElement(node) && Matches(doc, node)) return node;
        return -1;
    }

    public bool Matches(FastDocument doc, int node)
    {
        foreach (var complex in _alternatives)
            if (MatchAt(doc, complex, complex.Parts.Count - 1, node)) return true;
        return false;
    }

    private static bool MatchAt(FastDocument doc, Complex complex, int index, int node)
    {
        if (!MatchCompound(doc, complex.Parts[index], node)) return false;
        if (index == 0) return true;
        var combinator = complex.Combinators[index - 1];
        var parent = doc.Parent(node);
        if (combinator == '>') return parent > 0 && MatchAt(doc, complex, index - 1, parent);
        for (var ancestor = parent; ancestor > 0; ancestor = doc.Parent(ancestor))
            if (MatchAt(doc, complex, index - 1, ancestor)) return true;
        return false;
    }

    private static bool MatchCompound(FastDocument doc, Compound compound, int node)
    {
        if (compound.Tag is not null && compound.Tag != doc.Name(node)) return false;
        if (compound.Id is not null && doc.Attribute(node, "id") != compound.Id) return false;
        foreach (var c in compound.Classes)
            if (!doc.HasClass(node, c)) return false;
        foreach (var test in compound.Attributes)
        {
            var value = doc.Attribute(node, test.Name);
            if (value is null) return false;
            var expected = test.Value ?? "";
            var ok = test.Operator switch
            {
                '\0' => true,
                '=' => value == expected,
                '~' => value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Contains(expected, StringComparer.Ordinal),
                '^' => expected.Length > 0 && value.StartsWith(expected, StringComparison.Ordinal),
                '$' => expected.Length > 0 && value.EndsWith(expected, StringComparison.Ordinal),
                '*' => expected.Length > 0 && value.Contains(expected, StringComparison.Ordinal),
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }

    private static IEnumerable<string> SplitList(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '[') depth++;
            else if (text[i] == ']') depth--;
            else if (text[i] == ',' && depth == 0) { yield return text[start..i]; start = i + 1; }
        }
        yield return text[start..];
    }

    private static Complex? ParseComplex(string text)
    {
        var parts = new List<Compound>();
        var combinators = new List<char>();
        var pos = 0;
        char pending = '\0';
        while (pos < text.Length)
        {
            if (char.IsWhiteSpace(text[pos]) || text[pos] == '>')
            {
                if (text[pos] == '>') pending = '>';
                else if (pending == '\0') pending = ' ';
                pos++;
                continue;
            }
            if (parts.Count > 0)
            {
                if (pending == '\0') return null;
                combinators.Add(pending);
            }
            else if (pending == '>') return null;
            pending = '\0';
            var compound = ParseCompound(text, ref pos);
            if (compound is null) return null;
            parts.Add(compound);
        }
        return parts.Count == 0 || pending == '>' ? null : new Complex(parts, combinators);
    }

    private static Compound? ParseCompound(string text, ref int pos)
    {
        string? tag = null, id = null;
        var classes = new List<string>();
        var attributes = new List<AttributeTest>();
        var any = false;
        if (pos < text.Length && text[pos] == '*') { pos++; any = true; }
        else if (pos < text.Length && IsIdentStart(text[pos])) { tag = Ident(text, ref pos).ToLowerInvariant(); any = true; }
        while (pos < text.Length && !char.IsWhiteSpace(text[pos]) && text[pos] != '>')
        {
            var c = text[pos++];
            if (c == '#') { id = Ident(text, ref pos); if (id.Length == 0) return null; }
            else if (c == '.') { var cls = Ident(text, ref pos); if (cls.Length == 0) return null; classes.Add(cls); }
            else if (c == '[')
            {
                var close = text.IndexOf(']', pos);
                if (close < 0) return null;
                var test = ParseAttribute(text[pos..close]);
                if (test is null) return null;
                attributes.Add(test);
                pos = close + 1;
            }
            else return null;
            any = true;
        }
        return any ? new Compound(tag, id, classes, attributes) : null;
    }

    private static AttributeTest? ParseAttribute(string body)
    {
        var eq = body.IndexOf('=');
        if (eq < 0)
        {
            var bare = body.Trim();
            return bare.Length > 0 && bare.All(IsIdentChar) ? new AttributeTest(bare.ToLowerInvariant(), '\0', null) : null;
        }
        var op = '=';
        var nameEnd = eq;
        if (eq > 0 && body[eq - 1] is '~' or '^' or '$' or '*') { op = body[eq - 1]; nameEnd = eq - 1; }
        else if (eq > 0 && body[eq - 1] == '|') return null;
        var name = body[..nameEnd].Trim();
        var value = body[(eq + 1)..].Trim();
        if (value.EndsWith(" i", StringComparison.Ordinal) || value.EndsWith(" s", StringComparison.Ordinal)) return null;
        if (value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0]) value = value[1..^1];
        else if (!value.All(IsIdentChar)) return null;
        return name.Length > 0 && name.All(IsIdentChar) ? new AttributeTest(name.ToLowerInvariant(), op, value) : null;
    }

    private static string Ident(string text, ref int pos)
    {
        var start = pos;
        while (pos < text.Length && IsIdentChar(text[pos])) pos++;
        return text[start..pos];
    }

    private static bool IsIdentStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsIdentChar(char c) => char.IsLetterOrDigit(c) || c is '-' or '_';
}
