using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Archiver.Search;

/// <summary>
/// The written form of a counted value (<see cref="IndexFields.Shown"/>): counting runs on the folded keys so
/// "#Wahlen" and "#wahlen" are one value, and only the few values listed are looked up again: the form
/// most of the first documents carrying the value wrote (a document without one wrote the key itself).
/// </summary>
internal static class ShownValues
{
    /// <summary>How many documents to read per value: enough for a majority, cheap for ten values per field.</summary>
    private const int Sample = 64;

    /// <summary>Answers per reader (an open reader never changes): the same top values come back query after query.</summary>
    private static readonly ConditionalWeakTable<IndexReader, ConcurrentDictionary<(string Field, string Key), string?>> Found = new();

    /// <summary>Bounds a long-lived reader's answers (a read-only server keeps one reader for its whole life).</summary>
    private const int MaxRemembered = 20_000;

    public static string? Find(IndexReader reader, string field, string key)
    {
        var found = Found.GetValue(reader, _ => new ConcurrentDictionary<(string, string), string?>());
        if (found.TryGetValue((field, key), out var shown)) return shown;
        if (found.Count >= MaxRemembered) found.Clear();
        return found[(field, key)] = Read(reader, field, key);
    }

    private static string? Read(IndexReader reader, string field, string key)
    {
        var term = new Term(field, key);
        var bytes = new BytesRef();
        var forms = new Dictionary<string, int>(StringComparer.Ordinal);
        var read = 0;
        foreach (var leaf in reader.Leaves)
        {
            var segment = leaf.AtomicReader;
            var docs = segment.GetTermDocsEnum(term);
            if (docs is null) continue;
            var multi = IndexFields.IsMultiValued(field) ? segment.GetSortedSetDocValues(IndexFields.Shown(field)) : null;
            var single = IndexFields.IsMultiValued(field) ? null : segment.GetSortedDocValues(IndexFields.Shown(field));
            int doc;
            while (read < Sample && (doc = docs.NextDoc()) != DocIdSetIterator.NO_MORE_DOCS)
            {
                read++;
                var written = multi is not null ? FromSet(multi, doc, field, key, bytes) : FromSingle(single, doc, bytes);
                forms[written ?? key] = forms.GetValueOrDefault(written ?? key) + 1;
            }
            if (read >= Sample) break;
        }
        // Most frequent; ties go to the form seen first (dictionary order is insertion order here: no removals).
        return forms.Count == 0 ? null : forms.Aggregate((best, next) => next.Value > best.Value ? next : best).Key;
    }

    private static string? FromSingle(SortedDocValues? values, int doc, BytesRef bytes)
    {
        if (values is null) return null;
        var ord = values.GetOrd(doc);
        if (ord < 0) return null;
        values.LookupOrd(ord, bytes);
        return bytes.Utf8ToString();
    }

    private static string? FromSet(SortedSetDocValues values, int doc, string field, string key, BytesRef bytes)
    {
        values.SetDocument(doc);
        long ord;
        while ((ord = values.NextOrd()) != SortedSetDocValues.NO_MORE_ORDS)
        {
            values.LookupOrd(ord, bytes);
            var written = bytes.Utf8ToString();
            if (string.Equals(DocumentBuilder.Normalize(field, written), key, StringComparison.Ordinal)) return written;
        }
        return null;
    }
}
