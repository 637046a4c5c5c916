using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Util;

namespace Archiver.Search;

/// <summary>
/// Turns <see cref="SearchDocument"/>s into Lucene documents, reusing its Field instances (one builder per
/// indexing thread): allocation per post is what limits Lucene.Net's indexing rate.
/// </summary>
internal sealed class DocumentBuilder
{
    /// <summary>Trie precision for the numeric fields: 8 keeps range queries fast with half the terms of Lucene's default 4.</summary>
    internal const int PrecisionStep = 8;

    private static readonly FieldType NumberType = CreateNumberType();

    private readonly StringField _key = new(IndexFields.Key, "", Field.Store.YES);
    private readonly Field _text;
    private readonly StoredField _display = new(IndexFields.Display, "");
    private readonly NumericDocValuesField _createdValues = new(IndexFields.Created, 0);
    private readonly Int64Field _views = new(IndexFields.Views, 0, NumberType);
    private readonly Int64Field _likes = new(IndexFields.Likes, 0, NumberType);
    private readonly Dictionary<string, SingleValued> _single = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Field>> _terms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Field>> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDocValuesField> _shown = new(StringComparer.Ordinal);
    private readonly List<Field> _shownHashtags = [];

    public DocumentBuilder(bool storeText)
    {
        _text = new Field(IndexFields.Text, "", storeText ? TextField.TYPE_STORED : TextField.TYPE_NOT_STORED);
        foreach (var field in new[] { IndexFields.Author, IndexFields.Channel, IndexFields.Platform, IndexFields.Lang })
            _single[field] = new SingleValued(new StringField(field, "", Field.Store.NO), new SortedDocValuesField(field, new BytesRef()));
        foreach (var field in new[] { IndexFields.Author, IndexFields.Channel })
            _shown[field] = new SortedDocValuesField(IndexFields.Shown(field), new BytesRef());
    }

    public Document Build(SearchDocument post)
    {
        var doc = new Document();
        _key.SetStringValue(post.Key);
        doc.Add(_key);
        _text.SetStringValue(post.Text);
        doc.Add(_text);
        if (post.Display is not null)
        {
            _display.SetStringValue(post.Display);
            doc.Add(_display);
        }
        var lang = Lower(post.Language);
        AddSingle(doc, IndexFields.Platform, Lower(post.Platform));
        AddSingle(doc, IndexFields.Author, Lower(post.Author));
        AddShown(doc, IndexFields.Author, post.Author, null);
        AddSingle(doc, IndexFields.Channel, Lower(post.Channel));
        AddShown(doc, IndexFields.Channel, post.Channel, post.ChannelTitle);
        AddSingle(doc, IndexFields.Lang, lang);
        if (post.Created is { } created)
        {
            // Doc values only: ranges, sorting and the histogram all read them (see CreatedRange).
            _createdValues.SetInt64Value(TimeCodec.ToSeconds(created));
            doc.Add(_createdValues);
        }
        if (post.Views is { } views)
        {
            _views.SetInt64Value(views);
            doc.Add(_views);
        }
        if (post.Likes is { } likes)
        {
            _likes.SetInt64Value(likes);
            doc.Add(_likes);
        }
        AddTerms(doc, IndexFields.Host, post.Host is null ? [] : [post.Host], values: false);
        AddTerms(doc, IndexFields.Kind, post.Kind is null ? [] : [post.Kind], values: false);
        AddTerms(doc, IndexFields.Hashtag, post.Hashtags, values: true);
        AddShownHashtags(doc, post.Hashtags);
        AddTerms(doc, IndexFields.Mention, post.Mentions, values: false);
        AddTerms(doc, IndexFields.Domain, post.Domains, values: true);
        AddTerms(doc, IndexFields.Media, post.MediaKinds, values: false);
        AddTerms(doc, IndexFields.Flag, Flags(post), values: false);
        return doc;
    }

    private static IReadOnlyList<string> Flags(SearchDocument post)
    {
        if (!post.IsReply && !post.IsForward && !post.IsEdited && !post.IsDeleted && post.MediaKinds.Count == 0) return [];
        var flags = new List<string>(2);
        if (post.IsReply) flags.Add(IndexFields.Flags.Reply);
        if (post.IsForward) flags.Add(IndexFields.Flags.Forward);
        if (post.IsEdited) flags.Add(IndexFields.Flags.Edited);
        if (post.IsDeleted) flags.Add(IndexFields.Flags.Deleted);
        if (post.MediaKinds.Count > 0) flags.Add(IndexFields.Flags.Media);
        return flags;
    }

    private void AddSingle(Document doc, string field, string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        var pair = _single[field];
        pair.Term.SetStringValue(value);
        pair.Value.SetBytesValue(new BytesRef(value));
        doc.Add(pair.Term);
        doc.Add(pair.Value);
    }

    /// <summary>The written form of a single value (or its title), kept only where it differs from the folded key.</summary>
    private void AddShown(Document doc, string field, string? value, string? title)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        var key = Lower(value);
        var shown = string.IsNullOrWhiteSpace(title) ? value.Trim() : title.Trim();
        if (shown.Length == 0 || string.Equals(shown, key, StringComparison.Ordinal)) return;
        var dv = _shown[field];
        dv.SetBytesValue(new BytesRef(shown));
        doc.Add(dv);
    }

    private void AddShownHashtags(Document doc, IReadOnlyList<string> hashtags)
    {
        var used = 0;
        HashSet<string>? seen = null;
        foreach (var tag in hashtags)
        {
            var shown = Written(IndexFields.Hashtag, tag);
            if (shown.Length == 0 || string.Equals(shown, Normalize(IndexFields.Hashtag, tag), StringComparison.Ordinal)) continue;
            if (!(seen ??= new HashSet<string>(StringComparer.Ordinal)).Add(shown)) continue;
            if (used == _shownHashtags.Count) _shownHashtags.Add(new SortedSetDocValuesField(IndexFields.Shown(IndexFields.Hashtag), new BytesRef()));
            _shownHashtags[used].SetBytesValue(new BytesRef(shown));
            doc.Add(_shownHashtags[used]);
            used++;
        }
    }

    /// <summary>A value as written, without the sigil people type before it (what <see cref="Normalize"/> folds).</summary>
    internal static string Written(string field, string value)
    {
        var trimmed = value.Trim();
        if (field == IndexFields.Hashtag) trimmed = trimmed.TrimStart('#');
        else if (field is IndexFields.Mention or IndexFields.Author) trimmed = trimmed.TrimStart('@');
        return trimmed;
    }

    private void AddTerms(Document doc, string field, IReadOnlyList<string> raw, bool values)
    {
        if (raw.Count == 0) return;
        var terms = Pool(_terms, field);
        var docValues = values ? Pool(_values, field) : null;
        var seen = raw.Count == 1 ? null : new HashSet<string>(StringComparer.Ordinal);
        var used = 0;
        foreach (var item in raw)
        {
            var value = Normalize(field, item);
            if (value.Length == 0 || (seen is not null && !seen.Add(value))) continue;
            if (used == terms.Count)
            {
                terms.Add(new StringField(field, "", Field.Store.NO));
                docValues?.Add(new SortedSetDocValuesField(field, new BytesRef()));
            }
            terms[used].SetStringValue(value);
            doc.Add(terms[used]);
            if (docValues is not null)
            {
                docValues[used].SetBytesValue(new BytesRef(value));
                doc.Add(docValues[used]);
            }
            used++;
        }
    }

    /// <summary>Stored forms of keyword values: lower case, without the sigil people type before them.</summary>
    internal static string Normalize(string field, string value)
    {
        var trimmed = Written(field, value);
        if (field == IndexFields.Domain && trimmed.StartsWith("www.", StringComparison.OrdinalIgnoreCase)) trimmed = trimmed[4..];
        return trimmed.ToLowerInvariant();
    }

    private static List<Field> Pool(Dictionary<string, List<Field>> pools, string field)
    {
        if (!pools.TryGetValue(field, out var list)) pools[field] = list = [];
        return list;
    }

    private static string? Lower(string? value) => string.IsNullOrWhiteSpace(value) ? null : Normalize("", value);

    private static FieldType CreateNumberType()
    {
        var type = new FieldType(Int64Field.TYPE_NOT_STORED) { NumericPrecisionStep = PrecisionStep };
        type.Freeze();
        return type;
    }

    private sealed record SingleValued(StringField Term, SortedDocValuesField Value);
}
