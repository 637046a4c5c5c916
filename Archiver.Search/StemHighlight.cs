using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Archiver.Search;

/// <summary>
/// The query the highlighter marks a post's words with when it holds <c>--stem</c> alternatives: only the
/// post's own language's stems (an English stem must not mark a word in a French post), expanded to the text
/// field's words, which is all the highlighter knows.
/// </summary>
internal static class StemHighlight
{
    public static bool HasStems(Query query) => query switch
    {
        LanguageStemQuery => true,
        BooleanQuery boolean => boolean.Clauses.Any(c => HasStems(c.Query)),
        _ => false,
    };

    public static Query ForLanguage(Query query, string lang, IndexReader reader) =>
        Keep(query, lang, reader) ?? new BooleanQuery();

    private static Query? Keep(Query query, string lang, IndexReader reader)
    {
        switch (query)
        {
            case LanguageStemQuery stem:
                return stem.Lang == lang ? stem.Stems(reader) : null;
            case BooleanQuery boolean:
                var kept = new BooleanQuery(boolean.CoordDisabled) { Boost = boolean.Boost };
                foreach (var clause in boolean.Clauses)
                    if (Keep(clause.Query, lang, reader) is { } q) kept.Add(q, clause.Occur);
                return kept.Clauses.Count == 0 ? null : kept;
            default:
                return query;
        }
    }
}
