using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Archiver.Search;

/// <summary>
/// Every word of the text field whose stem in <see cref="Lang"/> is <see cref="Stem"/>: a multi-term query like a
/// prefix query, so Lucene rewrites it per segment and the highlighter expands it against each post's own words.
/// </summary>
internal sealed class StemTermQuery : MultiTermQuery
{
    public StemTermQuery(string lang, string stem) : base(IndexFields.Text)
    {
        Lang = lang;
        Stem = stem;
        MultiTermRewriteMethod = CONSTANT_SCORE_AUTO_REWRITE_DEFAULT;
    }

    public string Lang { get; }
    public string Stem { get; }

    protected override TermsEnum GetTermsEnum(Terms terms, AttributeSource atts) => new StemTermsEnum(terms.GetEnumerator(), Lang, Stem);

    /// <summary>The matching words of a field's dictionary, for a phrase's positions.</summary>
    public TermsEnum GetTermsEnumFor(Terms terms) => new StemTermsEnum(terms.GetEnumerator(), Lang, Stem);

    public override string ToString(string field) => $"{Field}~stem({Lang}:{Stem})";

    public override bool Equals(object? obj) =>
        obj is StemTermQuery other && base.Equals(other) && other.Lang == Lang && other.Stem == Stem;

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Lang, Stem);

    /// <summary>Walks the dictionary under each of the stem's prefixes and keeps the words that stem to it.</summary>
    private sealed class StemTermsEnum : FilteredTermsEnum
    {
        private readonly string _lang;
        private readonly string _stem;
        private readonly Queue<BytesRef> _prefixes;
        private BytesRef? _current;

        public StemTermsEnum(TermsEnum terms, string lang, string stem) : base(terms, startWithSeek: true)
        {
            _lang = lang;
            _stem = stem;
            _prefixes = new Queue<BytesRef>(Stemmer.Ranges(lang, stem).Select(p => new BytesRef(p)));
        }

        protected override BytesRef? NextSeekTerm(BytesRef currentTerm)
        {
            _current = _prefixes.Count > 0 ? _prefixes.Dequeue() : null;
            return _current;
        }

        protected override AcceptStatus Accept(BytesRef term)
        {
            if (_current is null || !StringHelper.StartsWith(term, _current)) return _prefixes.Count > 0 ? AcceptStatus.NO_AND_SEEK : AcceptStatus.END;
            return Stemmer.Stem(_lang, term.Utf8ToString()) is { } stem && Analyzers.FoldTerm(stem) == _stem ? AcceptStatus.YES : AcceptStatus.NO;
        }
    }
}
