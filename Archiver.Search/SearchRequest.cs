namespace Archiver.Search;

public enum SearchSort { Relevance, Newest, Oldest }

public enum HistogramPeriod { Day, Week, Month }

/// <summary>One search: the typed query, filters, ordering, paging and what to aggregate over the matches.</summary>
public sealed record SearchRequest
{
    public required string Query { get; init; }
    /// <summary>Also match other forms of the words (stemmed fields, by the post's language).</summary>
    public bool Stem { get; init; }
    /// <summary>Only posts created at or after this instant.</summary>
    public DateTime? Since { get; init; }
    /// <summary>Only posts created before this instant (exclusive).</summary>
    public DateTime? Until { get; init; }
    public SearchSort Sort { get; init; } = SearchSort.Relevance;
    public int Limit { get; init; } = 20;
    public int Offset { get; init; }
    /// <summary>Fields to count the matches by (<see cref="IndexFields.Countable"/>).</summary>
    public IReadOnlyList<string> CountBy { get; init; } = [];
    /// <summary>How many values to list per counted field.</summary>
    public int TopValues { get; init; } = 10;
    public HistogramPeriod? Histogram { get; init; }
    public bool Snippets { get; init; } = true;
}

/// <summary>What a search found. <see cref="Total"/> is exact.</summary>
public sealed record SearchResults
{
    public required long Total { get; init; }
    public required IReadOnlyList<SearchHit> Hits { get; init; }
    public IReadOnlyList<FieldCounts> Counts { get; init; } = [];
    public IReadOnlyList<TimeBucket>? Histogram { get; init; }
    public TimeSpan Elapsed { get; init; }
}

public sealed record SearchHit
{
    public required string Key { get; init; }
    /// <summary>Relevance score (only when sorted by relevance).</summary>
    public float? Score { get; init; }
    public DateTime? Created { get; init; }
    public bool Deleted { get; init; }
    public Snippet? Snippet { get; init; }
    /// <summary>
    /// The record <see cref="PostIndexOptions.TextLookup"/> read the text from (the archive's stored post), so a
    /// caller that shows more of the hit need not read it a second time; null without snippets.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public object? Source { get; init; }
    /// <summary>The post's <see cref="SearchDocument.Display"/> as indexed; null when the index holds none (built before it existed).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Display { get; init; }
}

/// <summary>An excerpt of the text with the matching words marked (offsets into <see cref="Text"/>).</summary>
public sealed record Snippet(string Text, IReadOnlyList<SnippetMark> Marks)
{
    /// <summary>The excerpt with each marked span wrapped in <paramref name="open"/> and <paramref name="close"/>.</summary>
    public string Render(Func<string, string> plain, Func<string, string> marked)
    {
        var output = new System.Text.StringBuilder(Text.Length + Marks.Count * 8);
        var at = 0;
        foreach (var mark in Marks)
        {
            output.Append(plain(Text[at..mark.Start]));
            output.Append(marked(Text.Substring(mark.Start, mark.Length)));
            at = mark.Start + mark.Length;
        }
        output.Append(plain(Text[at..]));
        return output.ToString();
    }
}

public sealed record SnippetMark(int Start, int Length);

public sealed record FieldCounts(string Field, long Distinct, IReadOnlyList<ValueCount> Top);

/// <summary>
/// A counted value: <see cref="Value"/> is the folded key the index matches (lower case, what
/// <c>channel:</c> or <c>#</c> queries use), <see cref="Display"/> the form the platform wrote it in
/// (case kept, or a forum thread's title), taken from one of the matching posts.
/// </summary>
public sealed record ValueCount(string Value, long Count)
{
    public string Display { get; init; } = Value;
}

public sealed record TimeBucket(DateTime Start, long Count);
