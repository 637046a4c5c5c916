using System.Collections.Frozen;
using Lingua;

namespace Archiver.Languages;

/// <summary>How text is detected: which languages Lingua chooses among, its mode, and when to say nothing.</summary>
public sealed record LanguageDetectionOptions
{
    /// <summary>
    /// The languages a detected label can be (ISO 639-1). The languages of the networks Archiver is used on,
    /// chosen with <c>bench language</c> (docs/language.md): every language added is one more a short post can
    /// be mistaken for, and costs time on every post of its script.
    /// </summary>
    public IReadOnlyList<string> Languages { get; init; } = DefaultLanguages;

    /// <summary>Lingua's low accuracy mode (trigrams only): faster, worse on texts under ~120 characters. Only with <see cref="UseLinguaApi"/>.</summary>
    public bool LowAccuracy { get; init; }

    /// <summary>
    /// Score with Lingua's own detector API instead of <see cref="NgramScorer"/> (the same models and the
    /// scoring of Lingua's low accuracy mode, about 20 times less CPU per post): for comparisons in <c>bench language</c>.
    /// </summary>
    public bool UseLinguaApi { get; init; }

    /// <summary>Fewer words than this (after links, mentions and numbers are removed): no language.</summary>
    public int MinWords { get; init; } = 3;

    /// <summary>Fewer letters than this: no language.</summary>
    public int MinLetters { get; init; } = 12;

    /// <summary>The most likely language must lead the second by at least this confidence (0..1), else no language.</summary>
    public double MinMargin { get; init; } = 0.5;

    /// <summary>
    /// Only the first this many characters of the cleaned text are read (a long post's language is settled by then).
    /// `bench language --size medium --limit 8000 --max-chars 80 120 240` (18 languages): 99.91 / 99.95 / 99.95 % of
    /// posts of 5 words or more right, at 74k / 51k / 36k texts per CPU second.
    /// </summary>
    public int MaxChars { get; init; } = 120;

    /// <summary>
    /// Stop scoring a text once the leader's summed log probability is this far (natural log) ahead of every other
    /// candidate's (0: score every trigram read). See <see cref="NgramScorer.Score(ReadOnlySpan{char}, NgramScorer.Script, double)"/>.
    /// </summary>
    public double DecisiveLead { get; init; }

    /// <summary>
    /// Where the detector keeps its models parsed into tables (rebuilt when the models change), so a process
    /// reads them in a few hundredths of a second instead of parsing Lingua's JSON (~0.2 s of CPU for the 9
    /// Latin-script languages). Default: <see cref="DefaultModelCache"/>; null: no cache.
    /// </summary>
    public string? ModelCacheDirectory { get; init; } = DefaultModelCache();

    /// <summary>
    /// $XDG_CACHE_HOME/archiver/language-models (~/.cache/... without it); null when there is no home or
    /// <c>ARCHIVER_MODEL_CACHE=off</c>.
    /// </summary>
    public static string? DefaultModelCache()
    {
        if (Environment.GetEnvironmentVariable("ARCHIVER_MODEL_CACHE")?.Trim().ToLowerInvariant() is "off" or "0" or "false" or "no") return null;
        var home = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(home))
        {
            var user = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (string.IsNullOrEmpty(user)) return null;
            home = Path.Combine(user, ".cache");
        }
        return Path.Combine(home, "archiver", "language-models");
    }

    public static readonly IReadOnlyList<string> DefaultLanguages =
    [
        "ar", "de", "en", "es", "fa", "fr", "he", "hi", "it", "ja", "ko", "nl", "pl", "pt", "ru", "tr", "uk", "zh",
    ];
}

/// <summary>
/// Detects the language of a post's text with Lingua (SearchPioneer.Lingua, Apache-2.0). Says nothing rather
/// than guess: too few words or letters, or no clear winner, give null. Thread-safe; models load on first use.
/// </summary>
public sealed class LanguageDetection
{
    private readonly LanguageDetector? _detector;
    private readonly NgramScorer? _scorer;
    private readonly LanguageDetectionOptions _options;
    private readonly FrozenDictionary<Language, string> _codes;

    public LanguageDetection(LanguageDetectionOptions? options = null)
    {
        _options = options ?? new LanguageDetectionOptions();
        var languages = _options.Languages.Select(ToLingua).Distinct().ToArray();
        if (languages.Length < 2) throw new ArgumentException("Detection needs at least two languages to choose between.", nameof(options));
        if (_options.UseLinguaApi)
        {
            var builder = LanguageDetectorBuilder.FromLanguages(languages);
            if (_options.LowAccuracy) builder = builder.WithLowAccuracyMode();
            _detector = builder.Build();
        }
        else _scorer = new NgramScorer(languages, cacheDirectory: _options.ModelCacheDirectory);
        _codes = languages.ToFrozenDictionary(l => l, l => l.IsoCode6391().ToString().ToLowerInvariant());
    }

    public LanguageDetectionOptions Options => _options;

    /// <summary>
    /// Loads the models of the Latin-script languages (the script nearly every archive has) now; the other
    /// scripts' load at their first text (a few hundredths of a second each).
    /// </summary>
    public void Preload() => _scorer?.Preload(NgramScorer.Script.Latin);

    /// <summary>The text's language (ISO 639-1), or null when it is too short or the detector is unsure.</summary>
    public string? Detect(string? text) => Detect(text, out _);

    /// <summary>As <see cref="Detect(string?)"/>, with why it said nothing (for figures): "short", "unsure" or null.</summary>
    public string? Detect(string? text, out string? abstained)
    {
        abstained = "short";
        if (string.IsNullOrWhiteSpace(text)) return null;
        var cleaned = CleanSpan(text, _options.MaxChars, out var words, out var letters);
        // Chinese and Japanese are written without spaces: there the letters count, not the words.
        var script = NgramScorer.MainScript(cleaned);
        var unspaced = script is NgramScorer.Script.Han or NgramScorer.Script.Kana;
        if ((words < _options.MinWords && !unspaced) || letters < _options.MinLetters) return null;
        abstained = "unsure";
        Language best;
        double confidence, second;
        if (_scorer is not null) (best, confidence, second) = _scorer.Score(cleaned, script, _options.DecisiveLead);
        else
        {
            using var values = _detector!.ComputeLanguageConfidenceValues(cleaned.ToString()).GetEnumerator();
            if (!values.MoveNext()) return null;
            (best, confidence) = values.Current;
            second = values.MoveNext() ? values.Current.Value : 0;
        }
        if (best == Language.Unknown || confidence <= 0 || confidence - second < _options.MinMargin) return null;
        abstained = null;
        return _codes.GetValueOrDefault(best);
    }

    /// <summary>
    /// The words a reader would read: links, @mentions, e-mail-like tokens and tokens without letters are dropped
    /// (they are ASCII in every language and pull short posts towards English); a hashtag counts as its word.
    /// </summary>
    internal static string Clean(string text, int maxChars, out int words, out int letters) => CleanSpan(text, maxChars, out words, out letters).ToString();

    /// <summary>
    /// As <see cref="Clean"/>, into a buffer of the calling thread (valid until its next call): detection read each
    /// post's cleaned text once and dropped it, ~600 bytes of garbage per post in a StringBuilder and a string.
    /// </summary>
    private static ReadOnlySpan<char> CleanSpan(string text, int maxChars, out int words, out int letters)
    {
        var buffer = t_cleaned ??= new char[256];
        var length = 0;
        words = 0;
        letters = 0;
        var i = 0;
        while (i < text.Length && length < maxChars)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i])) i++;
            if (i == start) break;
            var token = text.AsSpan(start, i - start);
            if (token[0] == '@' || token.Contains("://", StringComparison.Ordinal) || token.StartsWith("www.", StringComparison.OrdinalIgnoreCase)
                || token.Contains('@'))
                continue;
            if (token[0] == '#') token = token[1..];
            var tokenLetters = 0;
            foreach (var c in token)
                if (char.IsLetter(c)) tokenLetters++;
            if (tokenLetters == 0) continue;
            if (length + token.Length + 1 > buffer.Length)
            {
                Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + token.Length + 1));
                // A rare huge token (a text without spaces) is not kept for the thread's life.
                if (buffer.Length <= 1 << 16) t_cleaned = buffer;
            }
            if (length > 0) buffer[length++] = ' ';
            token.CopyTo(buffer.AsSpan(length));
            length += token.Length;
            words++;
            letters += tokenLetters;
        }
        return buffer.AsSpan(0, length);
    }

    [ThreadStatic] private static char[]? t_cleaned;

    private static Language ToLingua(string code)
    {
        if (Enum.TryParse<IsoCode6391>(code, ignoreCase: true, out var iso))
        {
            var language = LanguageInfo.GetByIsoCode6391(iso);
            if (language != Language.Unknown) return language;
        }
        throw new ArgumentException($"Lingua has no language with the code '{code}'.", nameof(code));
    }
}
