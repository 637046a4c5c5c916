using System.Globalization;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util.Automaton;

namespace Archiver.Search;

/// <summary>
/// Bounds on what one clause may cost before any document is looked at. Lucene turns a regular expression
/// (and a wildcard) into an automaton when the query is built: <c>/a{99999}/</c> concatenates 99,999 copies and
/// minimises the result (30 s of CPU on a 575-post archive), and a pattern like <c>/(a|b)*a(a|b){30}/</c>
/// needs 2^30 states once determinised. Lucene 4.8 has no limit of its own, so: repetition counts no larger
/// than the longest word the index holds, at most <see cref="MaxStates"/> states, and a time budget for the build.
/// </summary>
internal static class QueryCost
{
    /// <summary>StandardTokenizer's longest token: a repetition beyond it cannot match a word of the index.</summary>
    public const int MaxRepeat = 255;
    public const int MaxPatternLength = 1000;
    public const int MaxStates = 10_000;
    public static readonly TimeSpan BuildBudget = TimeSpan.FromSeconds(2);

    /// <summary>A regular-expression query on <paramref name="field"/>, or a <see cref="QuerySyntaxException"/> saying why not.</summary>
    public static Query Regexp(string field, string pattern, int position)
    {
        var shown = "/" + pattern + "/";
        if (pattern.Length > MaxPatternLength)
            throw new QuerySyntaxException($"The regular expression at character {position + 1} is {pattern.Length:N0} characters long; at most {MaxPatternLength:N0} are accepted.", position);
        if (LargestRepeat(pattern, position) is { } repeat && repeat.Count > MaxRepeat)
            throw new QuerySyntaxException($"The regular expression {shown} repeats {repeat.Text} times: no indexed word is longer than {MaxRepeat} characters, so use at most {{{MaxRepeat}}}.", position);
        RegExp parsed;
        try
        {
            parsed = new RegExp(pattern, RegExpSyntax.ALL);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or IndexOutOfRangeException or InvalidOperationException)
        {
            throw new QuerySyntaxException($"{shown} is not a valid regular expression: {e.Message} (Lucene syntax: . * + ? | ( ) [a-z] {{n,m}}; escape other / with \\).", position);
        }
        return Within(shown, position, () =>
        {
            var automaton = parsed.ToAutomaton();
            if (automaton.GetNumberOfStates() > MaxStates)
                throw new QuerySyntaxException($"The regular expression {shown} is too costly to match: its automaton has {automaton.GetNumberOfStates():N0} states, more than {MaxStates:N0}. Use fewer or smaller repetitions.", position);
            return new AutomatonQuery(new Term(field, pattern), automaton);
        });
    }

    /// <summary>
    /// Builds a query on another thread and gives up after <see cref="BuildBudget"/>. The abandoned build cannot be
    /// stopped (Lucene offers no cancellation) and runs on until it ends or the process exits, which for the CLI is
    /// at once: the search fails with a usage error.
    /// </summary>
    public static Query Within(string shown, int position, Func<Query> build)
    {
        var task = Task.Run(build);
        try
        {
            if (task.Wait(BuildBudget)) return task.Result;
        }
        catch (AggregateException e) when (e.InnerException is QuerySyntaxException syntax)
        {
            throw syntax;
        }
        catch (AggregateException e) when (e.InnerException is ArgumentException or BooleanQuery.TooManyClausesException)
        {
            throw new QuerySyntaxException($"{shown} cannot be searched: {e.InnerException.Message}", position);
        }
        throw new QuerySyntaxException($"The query part {shown} is too costly to match: building its automaton took more than {BuildBudget.TotalSeconds:0} s. Use fewer nested repetitions or alternatives.", position);
    }

    /// <summary>The largest count in a <c>{n}</c>, <c>{n,}</c> or <c>{n,m}</c> outside classes, quoted strings and escapes.</summary>
    private static (long Count, string Text)? LargestRepeat(string pattern, int position)
    {
        (long Count, string Text)? largest = null;
        var inClass = false;
        var inString = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\') { i++; continue; }
            if (inString) { inString = c != '"'; continue; }
            if (inClass) { inClass = c != ']'; continue; }
            if (c == '"') { inString = true; continue; }
            if (c == '[') { inClass = true; continue; }
            if (c != '{') continue;
            var end = pattern.IndexOf('}', i + 1);
            if (end < 0) break;
            var text = pattern[i..(end + 1)];
            var parts = pattern[(i + 1)..end].Split(',');
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var max) && min > max)
                throw new QuerySyntaxException($"The repetition {text} in /{pattern}/ asks for at least {min} and at most {max}: it can match nothing.", position);
            foreach (var part in parts)
            {
                // Digits beyond long's range are as good as infinite.
                var digits = part.Trim();
                if (digits.Length == 0 || !digits.All(char.IsAsciiDigit)) continue;
                var count = long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : long.MaxValue;
                if (largest is null || count > largest.Value.Count) largest = (count, text);
            }
            i = end;
        }
        return largest;
    }
}
