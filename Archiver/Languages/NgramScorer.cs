using System.Collections.Frozen;
using System.IO.Compression;
using System.Text.Json;
using Lingua;

namespace Archiver.Languages;

/// <summary>
/// Lingua's low accuracy scoring (sum of log probabilities of a text's distinct trigrams, falling back to the
/// bigram and unigram a trigram starts with, among the languages of the text's main script) over the n-gram
/// models the SearchPioneer.Lingua package ships, without its per-call costs: Lingua's own
/// <c>ComputeLanguageConfidenceValues</c> allocates a string per n-gram lookup and starts parallel work per
/// call, about 160 µs of CPU per post here, which more than doubled a crawl's CPU (docs/language.md).
/// N-grams are packed into 64-bit keys and each is looked up once for all languages.
/// </summary>
internal sealed class NgramScorer
{
    private readonly Language[] _languages;
    // One flat table per n-gram length (a row of log probabilities per n-gram, a column per language): a few
    // large arrays instead of a small array per n-gram, which kept ~10^5 objects alive for every GC to mark.
    private readonly NgramTable _trigrams;
    private readonly NgramTable _bigrams;
    private readonly NgramTable _unigrams;
    /// <summary>Per script, the indexes of the languages written in it.</summary>
    private readonly Dictionary<Script, int[]> _byScript = [];

    [ThreadStatic] private static HashSet<ulong>? t_seen;

    public enum Script { Other, Latin, Cyrillic, Arabic, Devanagari, Greek, Hebrew, Han, Kana, Hangul, Thai, Georgian, Armenian }

    public NgramScorer(IReadOnlyList<Language> languages, string? modelDirectory = null)
    {
        _languages = [.. languages];
        var root = modelDirectory ?? Path.Combine(AppContext.BaseDirectory, "Lingua", "LanguageModels");
        _trigrams = new NgramTable(_languages.Length, capacity: 1 << 16);
        _bigrams = new NgramTable(_languages.Length, capacity: 1 << 10);
        _unigrams = new NgramTable(_languages.Length, capacity: 1 << 8);
        // The models are decompressed and parsed on every core (most of the loading time, which a crawl or import
        // waits for before its first post), then merged into the tables on one thread.
        var models = new Model[_languages.Length * 3];
        Parallel.For(0, models.Length, m =>
        {
            var iso = LanguageInfo.IsoCode6391(_languages[m / 3]).ToString().ToLowerInvariant();
            models[m] = Load(Path.Combine(root, iso, (m % 3) switch { 0 => "trigrams.json.br", 1 => "bigrams.json.br", _ => "unigrams.json.br" }));
        });
        for (var i = 0; i < _languages.Length; i++)
        {
            models[i * 3].CopyTo(_trigrams, i);
            models[i * 3 + 1].CopyTo(_bigrams, i);
            models[i * 3 + 2].CopyTo(_unigrams, i);
            foreach (var script in ScriptsOf(_languages[i]))
                _byScript[script] = [.. (_byScript.GetValueOrDefault(script) ?? []), i];
        }
        _trigrams.Freeze();
        _bigrams.Freeze();
        _unigrams.Freeze();
    }

    public IReadOnlyList<Language> Languages => _languages;

    /// <summary>
    /// The best and second best language with their confidences (softmax of the summed log probabilities
    /// among the candidates), for cleaned text (lower or upper case, words separated by spaces).
    /// Unknown when no candidate language uses the text's main script or no n-gram is known.
    /// </summary>
    public (Language Best, double Confidence, double Second) Score(ReadOnlySpan<char> text) => Score(text, MainScript(text));

    /// <summary>As <see cref="Score(ReadOnlySpan{char})"/>, for a text whose main script the caller already knows.</summary>
    public (Language Best, double Confidence, double Second) Score(ReadOnlySpan<char> text, Script script)
    {
        if (!_byScript.TryGetValue(script, out var candidates)) return (Language.Unknown, 0, 0);
        if (candidates.Length == 1) return (_languages[candidates[0]], 1, 0);
        Span<double> sums = stackalloc double[_languages.Length];
        sums.Clear();
        var seen = t_seen ??= [];
        seen.Clear();
        Span<char> lower = stackalloc char[3];
        var run = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = LowerCase[text[i]];
            if (!char.IsLetter(c))
            {
                run = 0;
                continue;
            }
            lower[0] = lower[1];
            lower[1] = lower[2];
            lower[2] = c;
            if (++run < 3) continue;
            var key = Pack(lower[0], lower[1], lower[2]);
            if (!seen.Add(key)) continue;
            var tri = _trigrams.Row(key);
            ReadOnlySpan<float> bi = default, uni = default;
            var lookedUpLower = false;
            foreach (var l in candidates)
            {
                var p = tri.IsEmpty ? 0f : tri[l];
                if (p == 0f)
                {
                    if (!lookedUpLower)
                    {
                        bi = _bigrams.Row(Pack(lower[0], lower[1]));
                        uni = _unigrams.Row(Pack(lower[0]));
                        lookedUpLower = true;
                    }
                    p = !bi.IsEmpty && bi[l] != 0f ? bi[l] : !uni.IsEmpty ? uni[l] : 0f;
                }
                sums[l] += p;
            }
        }
        var best = -1;
        var second = -1;
        foreach (var l in candidates)
        {
            // A language none of whose n-grams matched says nothing (as in Lingua: it is left out).
            if (sums[l] >= 0) continue;
            if (best < 0 || sums[l] > sums[best]) { second = best; best = l; }
            else if (second < 0 || sums[l] > sums[second]) second = l;
        }
        if (best < 0) return (Language.Unknown, 0, 0);
        double total = 0;
        foreach (var l in candidates)
            if (sums[l] < 0) total += Math.Exp(sums[l] - sums[best]);
        var secondShare = second < 0 ? 0 : Math.Exp(sums[second] - sums[best]) / total;
        return (_languages[best], 1 / total, secondShare);
    }

    /// <summary>The script most of the letters are written in.</summary>
    public static Script MainScript(ReadOnlySpan<char> text)
    {
        Span<int> counts = stackalloc int[13];
        counts.Clear();
        foreach (var c in text)
            if (char.IsLetter(c)) counts[(int)ScriptOf(c)]++;
        var best = Script.Other;
        for (var s = 1; s < counts.Length; s++)
            if (counts[s] > counts[(int)best]) best = (Script)s;
        // Japanese is written with kana and kanji: any kana makes Han text Japanese.
        return best == Script.Han && counts[(int)Script.Kana] > 0 ? Script.Kana : best;
    }

    private static Script ScriptOf(char c) => c switch
    {
        <= '\u024F' or (>= '\u1E00' and <= '\u1EFF') => Script.Latin,
        >= '\u0370' and <= '\u03FF' => Script.Greek,
        >= '\u0400' and <= '\u052F' => Script.Cyrillic,
        >= '\u0530' and <= '\u058F' => Script.Armenian,
        >= '\u0590' and <= '\u05FF' => Script.Hebrew,
        (>= '\u0600' and <= '\u06FF') or (>= '\u0750' and <= '\u077F') or (>= '\uFB50' and <= '\uFEFF') => Script.Arabic,
        >= '\u0900' and <= '\u097F' => Script.Devanagari,
        >= '\u0E00' and <= '\u0E7F' => Script.Thai,
        >= '\u10A0' and <= '\u10FF' => Script.Georgian,
        >= '\u3040' and <= '\u30FF' => Script.Kana,
        (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') => Script.Han,
        (>= '\uAC00' and <= '\uD7AF') or (>= '\u1100' and <= '\u11FF') => Script.Hangul,
        _ => Script.Other,
    };

    private static IEnumerable<Script> ScriptsOf(Language language)
    {
        if (LanguageInfo.AllWithLatinScript().Contains(language)) yield return Script.Latin;
        if (LanguageInfo.AllWithCyrillicScript().Contains(language)) yield return Script.Cyrillic;
        if (LanguageInfo.AllWithArabicScript().Contains(language)) yield return Script.Arabic;
        if (LanguageInfo.AllWithDevangariScript().Contains(language)) yield return Script.Devanagari;
        switch (language)
        {
            case Language.Greek: yield return Script.Greek; break;
            case Language.Hebrew: yield return Script.Hebrew; break;
            case Language.Chinese: yield return Script.Han; break;
            case Language.Japanese: yield return Script.Kana; break;
            case Language.Korean: yield return Script.Hangul; break;
            case Language.Thai: yield return Script.Thai; break;
            case Language.Georgian: yield return Script.Georgian; break;
            case Language.Armenian: yield return Script.Armenian; break;
        }
    }

    private static ulong Pack(char a) => 1UL << 48 | a;
    private static ulong Pack(char a, char b) => 2UL << 48 | (ulong)a << 16 | b;
    private static ulong Pack(char a, char b, char c) => 3UL << 48 | (ulong)a << 32 | (ulong)b << 16 | c;

    /// <summary>
    /// <see cref="char.ToLowerInvariant(char)"/> for every UTF-16 unit, computed once: outside ASCII it asks ICU
    /// per call, which was a tenth of the scoring time on Cyrillic and Arabic posts.
    /// </summary>
    private static readonly char[] LowerCase = BuildLowerCase();

    private static char[] BuildLowerCase()
    {
        var table = new char[char.MaxValue + 1];
        for (var c = 0; c <= char.MaxValue; c++) table[c] = char.ToLowerInvariant((char)c);
        return table;
    }

    /// <summary>One model file's n-grams and their log probabilities.</summary>
    private sealed class Model
    {
        private readonly List<ulong> _keys = [];
        private readonly List<float> _values = [];

        public void Add(ulong key, float value)
        {
            _keys.Add(key);
            _values.Add(value);
        }

        public void CopyTo(NgramTable table, int language)
        {
            for (var i = 0; i < _keys.Count; i++) table.Set(_keys[i], language, _values[i]);
        }
    }

    /// <summary>Reads one model file: <c>{"language":..., "ngrams": {"numerator/denominator": "ngram ngram ...", ...}}</c>.</summary>
    private static Model Load(string path)
    {
        var model = new Model();
        if (!File.Exists(path)) return model;
        byte[] json;
        using (var file = File.OpenRead(path))
        using (var brotli = new BrotliStream(file, CompressionMode.Decompress))
        using (var buffer = new MemoryStream())
        {
            brotli.CopyTo(buffer);
            json = buffer.ToArray();
        }
        var reader = new Utf8JsonReader(json);
        var depth = 0;
        string? fraction = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject: depth++; break;
                case JsonTokenType.EndObject: depth--; break;
                case JsonTokenType.PropertyName when depth == 2: fraction = reader.GetString(); break;
                case JsonTokenType.String when depth == 2 && fraction is not null:
                    var slash = fraction.IndexOf('/');
                    var probability = double.Parse(fraction.AsSpan(0, slash), System.Globalization.CultureInfo.InvariantCulture)
                        / double.Parse(fraction.AsSpan(slash + 1), System.Globalization.CultureInfo.InvariantCulture);
                    var logProbability = (float)Math.Log(probability);
                    var list = reader.GetString()!;
                    // Walked in place: splitting into strings cost most of the loading time.
                    for (var start = 0; start < list.Length;)
                    {
                        var end = list.IndexOf(' ', start);
                        if (end < 0) end = list.Length;
                        var ngram = list.AsSpan(start, end - start);
                        start = end + 1;
                        var key = ngram.Length switch
                        {
                            1 => Pack(ngram[0]),
                            2 => Pack(ngram[0], ngram[1]),
                            3 => Pack(ngram[0], ngram[1], ngram[2]),
                            _ => 0UL,
                        };
                        if (key == 0) continue;
                        // log(p) < 0 for every stored n-gram, so 0 can mean "absent". A probability of 1 would be lost; none is.
                        model.Add(key, Math.Min(logProbability, -1e-6f));
                    }
                    fraction = null;
                    break;
            }
        }
        return model;
    }

    /// <summary>N-gram → row of per-language log probabilities (0 = the language does not have it).</summary>
    private sealed class NgramTable(int languages, int capacity)
    {
        private readonly Dictionary<ulong, int> _building = new(capacity);
        private FrozenDictionary<ulong, int>? _rows;
        private float[] _values = new float[capacity * languages];

        public void Set(ulong key, int language, float value)
        {
            if (!_building.TryGetValue(key, out var row))
            {
                row = _building.Count;
                _building[key] = row;
                if ((row + 1) * languages > _values.Length) Array.Resize(ref _values, _values.Length * 2);
            }
            _values[row * languages + language] = value;
        }

        public void Freeze()
        {
            _rows = _building.ToFrozenDictionary();
            Array.Resize(ref _values, _building.Count * languages);
            _building.Clear();
            _building.TrimExcess();
        }

        public ReadOnlySpan<float> Row(ulong key) =>
            _rows!.TryGetValue(key, out var row) ? _values.AsSpan(row * languages, languages) : default;
    }
}
