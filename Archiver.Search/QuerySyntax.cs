using System.Text.RegularExpressions;
using Lucene.Net.Analysis;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;

namespace Archiver.Search;

/// <summary>
/// Parses what people type into a Lucene query: classic syntax (words, "phrases", AND/OR/NOT, +/-, ( ),
/// word*, field:value) with the archive's fields, <c>#tag</c>, <c>@mention</c> and dates. Words are ANDed
/// by default. A malformed query becomes a <see cref="QuerySyntaxException"/> that names the position
/// and what was expected.
/// </summary>
public static partial class QuerySyntax
{
    public static Query Parse(string typed, Analyzer analyzer, bool stem = false)
    {
        if (string.IsNullOrWhiteSpace(typed))
            throw new QuerySyntaxException("The query is empty: type a word, a \"phrase\", or field:value (e.g. author:name, #tag, date:2021-01-06).", 0);
        var text = QueryText.Rewrite(typed);
        var parser = new FriendlyQueryParser(text, analyzer, stem);
        try
        {
            return CreatedRange.Optimize(parser.Parse(text.Rewritten) ?? new BooleanQuery());
        }
        catch (ParseException e)
        {
            throw Explain(text, e);
        }
        catch (BooleanQuery.TooManyClausesException)
        {
            throw new QuerySyntaxException($"The query expands to more than {BooleanQuery.MaxClauseCount} terms (a prefix* or wildcard that is too short?); make it more specific.", 0);
        }
    }

    private static QuerySyntaxException Explain(QueryText text, ParseException outer)
    {
        var inner = outer.InnerException ?? outer;
        if (inner is ParseException { CurrentToken: not null, ExpectedTokenSequences: not null, TokenImage: not null } syntax)
        {
            var offending = syntax.CurrentToken.Next ?? syntax.CurrentToken;
            var position = text.ToTyped(offending.BeginColumn);
            var found = offending.Kind == 0 ? "the end of the query" : $"'{offending.Image}'";
            var expected = string.Join(", ", syntax.ExpectedTokenSequences
                .Where(sequence => sequence.Length > 0)
                .Select(sequence => Friendly(syntax.TokenImage[sequence[0]]))
                .OfType<string>()
                .Distinct()
                // The grammar lets TO follow TO; nobody means that.
                .Where(name => !(name == "TO" && syntax.CurrentToken.Image == "TO"))
                .OrderBy(Priority));
            return At(text.Typed, position, $"found {found} but expected {(expected.Length == 0 ? "something else" : expected)}");
        }
        var lexical = LexicalPosition().Match(inner.Message);
        if (lexical.Success)
        {
            var position = text.ToTyped(int.Parse(lexical.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            var unterminated = inner.Message.Contains("<EOF>", StringComparison.Ordinal) && text.Typed.Count(c => c == '"') % 2 == 1;
            return unterminated
                ? At(text.Typed, text.Typed.LastIndexOf('"'), "this \"phrase\" is never closed: expected a closing \"")
                : At(text.Typed, Math.Min(position, Math.Max(text.Typed.Length - 1, 0)), "unexpected character (escape special characters with \\)");
        }
        return new QuerySyntaxException($"Query error: {inner.Message}", 0);
    }

    private static QuerySyntaxException At(string typed, int position, string what) =>
        new($"Query error at character {position + 1}: {what}.\n  {typed}\n  {new string(' ', Math.Clamp(position, 0, typed.Length))}^", position);

    /// <summary>What most likely completes the query comes first: closing brackets, then words.</summary>
    private static int Priority(string expected) => expected switch
    {
        "')'" or "']'" or "'}'" or "TO" or "a range bound" => 0,
        "a word" or "a \"phrase\"" => 1,
        _ => 2,
    };

    /// <summary>Grammar token names as a person would say them; null for tokens nobody types.</summary>
    private static string? Friendly(string image) => image switch
    {
        "<EOF>" => "the end of the query",
        "<AND>" => "AND",
        "<OR>" => "OR",
        "<NOT>" => "NOT",
        "\"+\"" => "+",
        "\"-\"" => "-",
        "\"(\"" => "'('",
        "\")\"" => "')'",
        "\":\"" => "':'",
        "\"^\"" => "^boost",
        "<QUOTED>" => "a \"phrase\"",
        "<TERM>" => "a word",
        "<PREFIXTERM>" => "a prefix*",
        "<WILDTERM>" => "a wildcard",
        "<REGEXPTERM>" => "a /regexp/",
        "\"[\"" => "'['",
        "\"{\"" => "'{'",
        "<NUMBER>" => "a number",
        "<RANGE_TO>" or "<RANGEIN_TO>" or "<RANGEEX_TO>" or "\"TO\"" => "TO",
        "<RANGEIN_END>" or "\"]\"" => "']'",
        "<RANGEEX_END>" or "\"}\"" => "'}'",
        "<RANGE_QUOTED>" or "<RANGE_GOOP>" or "<RANGEIN_QUOTED>" or "<RANGEIN_GOOP>" or "<RANGEEX_QUOTED>" or "<RANGEEX_GOOP>" => "a range bound",
        "<FUZZY_SLOP>" => "~",
        _ => null,
    };

    [GeneratedRegex(@"column (\d+)")]
    private static partial Regex LexicalPosition();
}
