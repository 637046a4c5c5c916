using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Archiver.Platforms.Charsets;
using Archiver.Platforms.Feeds;
using Archiver.Tests.Support;

namespace Archiver.Tests.Platforms.Feeds;

/// <summary>
/// The feedparser conformance suite's header comments (<c>Header:</c>, <c>Expect:</c>) and the part of their
/// Python expressions we translate: equality of titles, links, ids, guids, languages, dates (time tuples),
/// encodings, and bozo (ill-formed or not). Other clauses (sanitised HTML, details objects) are not translated.
/// </summary>
public static partial class FeedparserSuite
{
    public sealed record Case(string Path, string? ContentType, string? ContentLocation, string Expect, IReadOnlyList<Clause> Clauses);

    public sealed record Clause(string Target, string Field, string? Text, int[]? Tuple)
    {
        public override string ToString() => $"{Target}.{Field} == {Text ?? string.Join(",", Tuple!)}";
    }

    public static string Root => Fixtures.Path("feeds/feedparser");

    public static IEnumerable<string> Files() =>
        Directory.GetFiles(Root, "*", SearchOption.AllDirectories).Select(f => System.IO.Path.GetRelativePath(Root, f)).Order(StringComparer.Ordinal);

    public static Case Load(string relative)
    {
        var bytes = File.ReadAllBytes(System.IO.Path.Combine(Root, relative));
        // The header comment is ASCII in every encoding the suite uses except UTF-16/32, which we widen first.
        var head = TextDecoder.Decode(bytes, null, DocumentKind.Xml).Text;
        var expect = Field(head, "Expect") ?? "";
        var headers = Regex.Matches(head, @"^\s*Header:\s*([\w-]+):\s*(.*?)\s*$", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value.ToLowerInvariant(), m => m.Groups[2].Value);
        var clauses = Translate(expect);
        // The language of a Content-Language header is the fetcher's to pass on; the parser sees only the body.
        if (headers.ContainsKey("content-language")) clauses.RemoveAll(c => c.Field == "language");
        return new Case(relative, headers.GetValueOrDefault("content-type"), headers.GetValueOrDefault("content-location"), expect, clauses);
    }

    private static string? Field(string text, string name)
    {
        var match = Regex.Match(text, $@"^\s*{name}:\s*(.+?)\s*$", RegexOptions.Multiline);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex(@"^(feed|entries\[0\])\['(\w+)'\](?:\['(\w+)'\]|\[(\d+)\]\['(\w+)'\])? == (.+)$")]
    private static partial Regex Equality();

    [GeneratedRegex(@"^encoding == '([^']+)'$")]
    private static partial Regex EncodingEquality();

    private static readonly HashSet<string> Translated = new(StringComparer.Ordinal)
    {
        "feed.title", "feed.title_detail.value", "feed.link", "feed.id", "feed.updated_parsed", "feed.modified_parsed", "feed.language",
        "entries[0].title", "entries[0].title_detail.value", "entries[0].link", "entries[0].id", "entries[0].guid",
        "entries[0].published_parsed", "entries[0].updated_parsed", "entries[0].modified_parsed", "entries[0].issued_parsed",
        "entries[0].links.0.href",
    };

    public static List<Clause> Translate(string expect)
    {
        var clauses = new List<Clause>();
        foreach (var raw in SplitAnd(expect))
        {
            var clause = raw.Trim();
            if (clause is "bozo" or "not bozo") { clauses.Add(new Clause("bozo", clause, null, null)); continue; }
            if (EncodingEquality().Match(clause) is { Success: true } enc) { clauses.Add(new Clause("encoding", "encoding", enc.Groups[1].Value, null)); continue; }
            var m = Equality().Match(clause);
            if (!m.Success) continue;
            var field = m.Groups[2].Value + (m.Groups[3].Success ? "." + m.Groups[3].Value : m.Groups[4].Success ? $".{m.Groups[4].Value}.{m.Groups[5].Value}" : "");
            var target = m.Groups[1].Value;
            if (!Translated.Contains($"{target}.{field}")) continue;
            var value = m.Groups[6].Value.Trim();
            if (field.EndsWith("_parsed", StringComparison.Ordinal))
            {
                var tuple = Regex.Match(value, @"^\((\d+(?:,\s*\d+){8})\)$");
                if (tuple.Success) clauses.Add(new Clause(target, field, null, tuple.Groups[1].Value.Split(',').Select(s => int.Parse(s.Trim(), CultureInfo.InvariantCulture)).ToArray()));
                continue;
            }
            // Titles with markup or entities test feedparser's HTML sanitiser, which we do not reproduce.
            if (PythonString(value) is { } text && !text.Contains('<') && !text.Contains('&')) clauses.Add(new Clause(target, field, text, null));
        }
        return clauses;
    }

    private static IEnumerable<string> SplitAnd(string expr)
    {
        var start = 0;
        char quote = '\0';
        var depth = 0;
        for (var i = 0; i < expr.Length; i++)
        {
            var c = expr[i];
            if (quote != '\0') { if (c == '\\') i++; else if (c == quote) quote = '\0'; continue; }
            if (c is '\'' or '"') quote = c;
            else if (c is '(' or '[') depth++;
            else if (c is ')' or ']') depth--;
            else if (depth == 0 && string.CompareOrdinal(expr, i, " and ", 0, 5) == 0) { yield return expr[start..i]; start = i + 5; i += 4; }
        }
        yield return expr[start..];
    }

    /// <summary>A Python (unicode) string literal, or null when the value is not one.</summary>
    public static string? PythonString(string literal)
    {
        var s = literal.StartsWith('u') ? literal[1..] : literal;
        if (s.Length < 2 || s[0] is not ('\'' or '"') || s[^1] != s[0]) return null;
        var body = s[1..^1];
        var sb = new StringBuilder();
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == s[0]) return null;
            if (c != '\\' || i + 1 >= body.Length) { sb.Append(c); continue; }
            var e = body[++i];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case 'x': sb.Append((char)Convert.ToInt32(body.Substring(i + 1, 2), 16)); i += 2; break;
                case 'u': sb.Append((char)Convert.ToInt32(body.Substring(i + 1, 4), 16)); i += 4; break;
                case 'U': sb.Append(char.ConvertFromUtf32(Convert.ToInt32(body.Substring(i + 1, 8), 16))); i += 8; break;
                default: return null;
            }
        }
        return sb.ToString();
    }
}
