namespace Archiver.Languages;

/// <summary>
/// Scores language labels against known answers: per language precision and recall, accuracy on texts of
/// at least <see cref="MinWords"/> words, and how often nothing was said. Used by <c>bench language</c> and
/// the accuracy test against the replica's truth.
/// </summary>
public sealed class LanguageScore(int minWords = 5)
{
    public int MinWords { get; } = minWords;

    private readonly Dictionary<string, (long Truth, long Predicted, long Right)> _byLanguage = new(StringComparer.Ordinal);

    /// <summary>Texts of at least MinWords words.</summary>
    public long Long { get; private set; }
    public long LongRight { get; private set; }
    public long LongWrong { get; private set; }
    public long LongEmpty { get; private set; }
    /// <summary>Shorter texts, and how many of them got a (right, wrong) label.</summary>
    public long Short { get; private set; }
    public long ShortRight { get; private set; }
    public long ShortWrong { get; private set; }

    /// <summary>Share of the long texts labelled with the right language (an empty label counts as not right).</summary>
    public double LongAccuracy => Long == 0 ? 0 : (double)LongRight / Long;

    /// <summary>Of all labels given (any length), the share that was wrong.</summary>
    public double WrongShare => (LongRight + LongWrong + ShortRight + ShortWrong) is var given and > 0 ? (double)(LongWrong + ShortWrong) / given : 0;

    public void Add(string truth, string? predicted, int words)
    {
        var isLong = words >= MinWords;
        var right = predicted == truth;
        if (isLong)
        {
            Long++;
            if (predicted is null) LongEmpty++;
            else if (right) LongRight++;
            else LongWrong++;
        }
        else
        {
            Short++;
            if (predicted is not null && right) ShortRight++;
            else if (predicted is not null) ShortWrong++;
        }
        if (!isLong) return;
        var t = _byLanguage.GetValueOrDefault(truth);
        _byLanguage[truth] = (t.Truth + 1, t.Predicted, t.Right + (right ? 1 : 0));
        if (predicted is not null)
        {
            var p = _byLanguage.GetValueOrDefault(predicted);
            _byLanguage[predicted] = (p.Truth, p.Predicted + 1, p.Right);
        }
    }

    /// <summary>Per language, over the long texts: (language, texts, precision, recall).</summary>
    public IEnumerable<(string Language, long Texts, double Precision, double Recall)> ByLanguage() =>
        _byLanguage.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value.Truth,
            p.Value.Predicted == 0 ? 0 : (double)p.Value.Right / p.Value.Predicted,
            p.Value.Truth == 0 ? 0 : (double)p.Value.Right / p.Value.Truth));

    /// <summary>One line per language and a total line, for reports.</summary>
    public IEnumerable<string> Lines()
    {
        foreach (var (language, texts, precision, recall) in ByLanguage())
            yield return $"{language}: {texts,7:N0} texts of >= {MinWords} words, precision {precision:P1}, recall {recall:P1}";
        yield return $"all: {Long:N0} texts of >= {MinWords} words: {LongAccuracy:P2} right, {(Long == 0 ? 0 : (double)LongWrong / Long):P2} wrong, {(Long == 0 ? 0 : (double)LongEmpty / Long):P2} left empty; "
            + $"{Short:N0} shorter: {ShortRight:N0} right, {ShortWrong:N0} wrong, {Short - ShortRight - ShortWrong:N0} left empty";
    }
}
