using System.Buffers;
using System.IO.Compression;
using System.Text;
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
    private readonly string _root;
    /// <summary>
    /// Per script, the indexes of the languages written in it, and (when there are two or more to choose
    /// between) their models, loaded at the first text of that script: a script only one candidate uses
    /// answers without a model, and an archive in Latin script never loads the Cyrillic or Arabic models.
    /// Loading all 18 default languages' models cost ~0.4 s of CPU per process, a tenth of a 30,000-post import.
    /// </summary>
    private readonly Dictionary<Script, ScriptModels> _byScript = [];

    public enum Script { Other, Latin, Cyrillic, Arabic, Devanagari, Greek, Hebrew, Han, Kana, Hangul, Thai, Georgian, Armenian }

    private readonly string? _cache;

    /// <param name="cacheDirectory">Where the parsed tables are cached (null: no cache).</param>
    public NgramScorer(IReadOnlyList<Language> languages, string? modelDirectory = null, string? cacheDirectory = null)
    {
        _languages = [.. languages];
        _root = modelDirectory ?? Path.Combine(AppContext.BaseDirectory, "Lingua", "LanguageModels");
        _cache = cacheDirectory;
        var members = new Dictionary<Script, List<int>>();
        for (var i = 0; i < _languages.Length; i++)
            foreach (var script in ScriptsOf(_languages[i]))
                (members.TryGetValue(script, out var list) ? list : members[script] = []).Add(i);
        foreach (var (script, list) in members) _byScript[script] = new ScriptModels(this, [.. list]);
    }

    /// <summary>Loads the models of this script's languages now (else at its first text).</summary>
    public void Preload(Script script)
    {
        if (_byScript.TryGetValue(script, out var models)) _ = models.Tables;
    }

    /// <summary>The tables of a script's candidates (loading them), or null when it has fewer than two: for tests.</summary>
    internal (NgramTable Trigrams, NgramTable Bigrams, NgramTable Unigrams)? TablesOf(Script script) =>
        _byScript.TryGetValue(script, out var models) && models.Tables is { } t ? (t.Trigrams, t.Bigrams, t.Unigrams) : null;

    /// <summary>The models of one script's candidate languages, one column per candidate (in <see cref="Candidates"/> order).</summary>
    private sealed class ScriptModels
    {
        private readonly Lazy<Tables?> _tables;

        public ScriptModels(NgramScorer owner, int[] candidates)
        {
            Candidates = candidates;
            var languages = candidates.Select(c => owner._languages[c]).ToArray();
            _tables = new(() => languages.Length < 2 ? null : Tables.Build(owner._root, owner._cache, languages));
        }

        public int[] Candidates { get; }
        public Tables? Tables => _tables.Value;
    }

    private sealed class Tables
    {
        // One flat table per n-gram length (a row of log probabilities per n-gram, a column per language): a few
        // large arrays instead of a small array per n-gram, which kept ~10^5 objects alive for every GC to mark.
        public required NgramTable Trigrams { get; init; }
        public required NgramTable Bigrams { get; init; }
        public required NgramTable Unigrams { get; init; }

        /// <summary>
        /// The tables of these languages: from the binary cache when it was written from the same model files,
        /// else parsed from Lingua's compressed JSON models (and cached). Parsing the 9 Latin-script models cost
        /// ~0.2 s of CPU and ~100 MB of short-lived allocations per process; reading the cache a few hundredths.
        /// </summary>
        public static Tables Build(string root, string? cacheDirectory, Language[] languages)
        {
            var files = languages.SelectMany(l => ModelFiles.Select(f => Path.Combine(root, LanguageInfo.IsoCode6391(l).ToString().ToLowerInvariant(), f))).ToArray();
            var cache = cacheDirectory is null ? null : CachePath(cacheDirectory, files);
            if (cache is not null && TryRead(cache, languages.Length) is { } cached) return cached;
            var tables = new Tables
            {
                Trigrams = new NgramTable(languages.Length, capacity: 1 << 16),
                Bigrams = new NgramTable(languages.Length, capacity: 1 << 10),
                Unigrams = new NgramTable(languages.Length, capacity: 1 << 8),
            };
            // The models are decompressed and parsed on every core, then merged into the tables on one thread.
            var models = new Model[files.Length];
            Parallel.For(0, models.Length, m => models[m] = Load(files[m]));
            for (var i = 0; i < languages.Length; i++)
            {
                models[i * 3].CopyTo(tables.Trigrams, i);
                models[i * 3 + 1].CopyTo(tables.Bigrams, i);
                models[i * 3 + 2].CopyTo(tables.Unigrams, i);
            }
            tables.Trigrams.Freeze();
            tables.Bigrams.Freeze();
            tables.Unigrams.Freeze();
            if (cache is not null) TryWrite(cache, tables);
            return tables;
        }

        private static readonly string[] ModelFiles = ["trigrams.json.br", "bigrams.json.br", "unigrams.json.br"];
        private const string CacheFormat = "archiver-ngram-tables-1";

        /// <summary>
        /// A file in the cache directory named by a hash of the format and of each model file's path, length and
        /// time: a new Lingua package or another language set gets a new file.
        /// </summary>
        private static string CachePath(string directory, string[] files)
        {
            var key = new StringBuilder(CacheFormat);
            foreach (var file in files)
            {
                var info = new FileInfo(file);
                key.Append('\n').Append(info.FullName).Append('|').Append(info.Exists ? info.Length : -1).Append('|').Append(info.Exists ? info.LastWriteTimeUtc.Ticks : 0);
            }
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..32];
            return Path.Combine(directory, hash + ".bin");
        }

        private static Tables? TryRead(string path, int languages)
        {
            try
            {
                if (!File.Exists(path)) return null;
                using var reader = new BinaryReader(File.OpenRead(path));
                if (reader.ReadString() != CacheFormat || reader.ReadInt32() != languages) return null;
                return new Tables
                {
                    Trigrams = NgramTable.Read(reader, languages),
                    Bigrams = NgramTable.Read(reader, languages),
                    Unigrams = NgramTable.Read(reader, languages),
                };
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                // A damaged or unreadable cache is rebuilt from the models.
                return null;
            }
        }

        private static void TryWrite(string path, Tables tables)
        {
            var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                using (var writer = new BinaryWriter(File.Create(temporary)))
                {
                    writer.Write(CacheFormat);
                    writer.Write(tables.Trigrams.Languages);
                    tables.Trigrams.Write(writer);
                    tables.Bigrams.Write(writer);
                    tables.Unigrams.Write(writer);
                }
                // Renamed into place whole: a process reading the cache meanwhile sees the old file or the new one.
                File.Move(temporary, path, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // No cache (read-only home, full disk): the models are parsed again next time.
                try { File.Delete(temporary); } catch (Exception f) when (f is IOException or UnauthorizedAccessException) { }
            }
        }
    }

    public IReadOnlyList<Language> Languages => _languages;

    /// <summary>
    /// The best and second best language with their confidences (softmax of the summed log probabilities
    /// among the candidates), for cleaned text (lower or upper case, words separated by spaces).
    /// Unknown when no candidate language uses the text's main script or no n-gram is known.
    /// </summary>
    public (Language Best, double Confidence, double Second) Score(ReadOnlySpan<char> text) => Score(text, MainScript(text));

    /// <summary>
    /// As <see cref="Score(ReadOnlySpan{char})"/>, for a text whose main script the caller already knows.
    /// With <paramref name="decisiveLead"/> &gt; 0, scoring stops once, after at least <see cref="EarlyStopMinimum"/>
    /// trigrams (checked every <see cref="EarlyStopEvery"/>), the leader's summed log probability is that far
    /// ahead of every other candidate's (so its confidence rounds to 1): the rest of the text is not read.
    /// </summary>
    public (Language Best, double Confidence, double Second) Score(ReadOnlySpan<char> text, Script script, double decisiveLead = 0)
    {
        if (!_byScript.TryGetValue(script, out var models)) return (Language.Unknown, 0, 0);
        var candidates = models.Candidates;
        if (candidates.Length == 1) return (_languages[candidates[0]], 1, 0);
        var tables = models.Tables!;
        // Sums per candidate (column l of the script's tables is candidates[l]).
        Span<double> sums = stackalloc double[candidates.Length];
        sums.Clear();
        // The trigrams already scored (each counts once): an open-addressing set on the stack, at most half full.
        var seenCapacity = 64;
        while (seenCapacity < text.Length * 2) seenCapacity *= 2;
        ulong[]? rented = null;
        var seen = seenCapacity <= 1024 ? stackalloc ulong[seenCapacity] : (rented = ArrayPool<ulong>.Shared.Rent(seenCapacity)).AsSpan(0, seenCapacity);
        seen.Clear();
        Span<char> lower = stackalloc char[3];
        var run = 0;
        var scored = 0;
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
            if (!AddSeen(seen, key)) continue;
            var tri = tables.Trigrams.Row(key);
            ReadOnlySpan<float> bi = default, uni = default;
            var lookedUpLower = false;
            for (var l = 0; l < sums.Length; l++)
            {
                var p = tri.IsEmpty ? 0f : tri[l];
                if (p == 0f)
                {
                    if (!lookedUpLower)
                    {
                        bi = tables.Bigrams.Row(Pack(lower[0], lower[1]));
                        uni = tables.Unigrams.Row(Pack(lower[0]));
                        lookedUpLower = true;
                    }
                    p = !bi.IsEmpty && bi[l] != 0f ? bi[l] : !uni.IsEmpty ? uni[l] : 0f;
                }
                sums[l] += p;
            }
            if (decisiveLead > 0 && ++scored >= EarlyStopMinimum && scored % EarlyStopEvery == 0 && Decided(sums, decisiveLead)) break;
        }
        if (rented is not null) ArrayPool<ulong>.Shared.Return(rented);
        var best = -1;
        var second = -1;
        for (var l = 0; l < sums.Length; l++)
        {
            // A language none of whose n-grams matched says nothing (as in Lingua: it is left out).
            if (sums[l] >= 0) continue;
            if (best < 0 || sums[l] > sums[best]) { second = best; best = l; }
            else if (second < 0 || sums[l] > sums[second]) second = l;
        }
        if (best < 0) return (Language.Unknown, 0, 0);
        double total = 0;
        for (var l = 0; l < sums.Length; l++)
            if (sums[l] < 0) total += Math.Exp(sums[l] - sums[best]);
        var secondShare = second < 0 ? 0 : Math.Exp(sums[second] - sums[best]) / total;
        return (_languages[candidates[best]], 1 / total, secondShare);
    }

    /// <summary>Trigrams scored before the first early-stop check.</summary>
    public const int EarlyStopMinimum = 24;

    /// <summary>Trigrams scored between early-stop checks.</summary>
    public const int EarlyStopEvery = 8;

    /// <summary>
    /// Whether every candidate has matched something (a language still at 0 could end anywhere) and the leader
    /// is at least <paramref name="lead"/> ahead of the runner-up.
    /// </summary>
    private static bool Decided(ReadOnlySpan<double> sums, double lead)
    {
        double best = double.NegativeInfinity, second = double.NegativeInfinity;
        foreach (var sum in sums)
        {
            if (sum >= 0) return false;
            if (sum > best) { second = best; best = sum; }
            else if (sum > second) second = sum;
        }
        return best - second >= lead;
    }

    /// <summary>Adds a (non-zero) key to an open-addressing set whose length is a power of two; false when it was there.</summary>
    private static bool AddSeen(Span<ulong> set, ulong key)
    {
        var mask = set.Length - 1;
        for (var slot = (int)((key * 0x9E3779B97F4A7C15UL) >> 32) & mask; ; slot = (slot + 1) & mask)
        {
            if (set[slot] == key) return false;
            if (set[slot] == 0)
            {
                set[slot] = key;
                return true;
            }
        }
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

    internal static ulong Pack(char a) => 1UL << 48 | a;
    internal static ulong Pack(char a, char b) => 2UL << 48 | (ulong)a << 16 | b;
    internal static ulong Pack(char a, char b, char c) => 3UL << 48 | (ulong)a << 32 | (ulong)b << 16 | c;

    /// <summary>
    /// <see cref="char.ToLowerInvariant(char)"/> for every UTF-16 unit, computed once: outside ASCII it asks ICU
    /// per call, which was a tenth of the scoring time on Cyrillic and Arabic posts.
    /// </summary>
    internal static readonly char[] LowerCase = BuildLowerCase();

    private static char[] BuildLowerCase()
    {
        var table = new char[char.MaxValue + 1];
        for (var c = 0; c <= char.MaxValue; c++) table[c] = char.ToLowerInvariant((char)c);
        return table;
    }

    /// <summary>One model file's n-grams and their log probabilities.</summary>
    internal sealed class Model
    {
        private readonly List<ulong> _keys = [];
        private readonly List<float> _values = [];

        public void Add(ulong key, float value)
        {
            _keys.Add(key);
            _values.Add(value);
        }

        public IEnumerable<(ulong Key, float LogProbability)> Entries() => _keys.Select((key, i) => (key, _values[i]));

        public void CopyTo(NgramTable table, int language)
        {
            for (var i = 0; i < _keys.Count; i++) table.Set(_keys[i], language, _values[i]);
        }
    }

    /// <summary>Reads one model file: <c>{"language":..., "ngrams": {"numerator/denominator": "ngram ngram ...", ...}}</c>.</summary>
    internal static Model Load(string path)
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

    /// <summary>
    /// N-gram → row of per-language log probabilities (0 = the language does not have it), as an open-addressing
    /// table whose slots hold the key and its row side by side: a lookup reads one or two cache lines. A
    /// FrozenDictionary&lt;ulong, int&gt; and a separate row array cost four or five dependent memory reads per
    /// n-gram, and in an import (where the store and the index keep the caches busy) nearly every one missed.
    /// </summary>
    internal sealed class NgramTable
    {
        private readonly int _languages;
        private readonly Dictionary<ulong, int>? _building;
        private float[]? _buildingValues;
        // Slot i is _slots[i * _stride .. (i + 1) * _stride): the key's 64 bits in two floats, then the row.
        private float[] _slots = [];
        private int _stride;
        private int _shift;
        private int _count;

        public NgramTable(int languages, int capacity)
        {
            _languages = languages;
            _building = new(capacity);
            _buildingValues = new float[Math.Max(1, capacity) * languages];
        }

        private NgramTable(int languages) => _languages = languages;

        public int Languages => _languages;

        public int Count => _count;

        public void Set(ulong key, int language, float value)
        {
            if (!_building!.TryGetValue(key, out var row))
            {
                row = _building.Count;
                _building[key] = row;
                if ((row + 1) * _languages > _buildingValues!.Length) Array.Resize(ref _buildingValues, _buildingValues.Length * 2);
            }
            _buildingValues![row * _languages + language] = value;
        }

        public void Freeze()
        {
            var keys = new ulong[_building!.Count];
            foreach (var (key, row) in _building) keys[row] = key;
            Fill(keys, _buildingValues.AsSpan(0, keys.Length * _languages));
            _building.Clear();
            _buildingValues = null;
        }

        /// <summary>Builds the slots: at most half full, so a key that is absent (most of a text's rare trigrams) ends at an empty slot soon.</summary>
        private void Fill(ulong[] keys, ReadOnlySpan<float> values)
        {
            var capacity = 16;
            while (capacity < keys.Length * 2) capacity *= 2;
            _stride = _languages + 2;
            _shift = 64 - System.Numerics.BitOperations.Log2((uint)capacity);
            _slots = new float[capacity * _stride];
            _count = 0;
            for (var row = 0; row < keys.Length; row++)
            {
                if (keys[row] == 0) throw new InvalidDataException("empty n-gram key");
                var slot = Home(keys[row]);
                while (true)
                {
                    var stored = KeyAt(slot);
                    if (stored == keys[row]) throw new InvalidDataException("duplicate n-gram in table");
                    if (stored == 0) break;
                    slot = (slot + 1) & (capacity - 1);
                }
                System.Runtime.InteropServices.MemoryMarshal.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_slots.AsSpan(slot * _stride, 2)), keys[row]);
                values.Slice(row * _languages, _languages).CopyTo(_slots.AsSpan(slot * _stride + 2, _languages));
                _count++;
            }
        }

        // Fibonacci hashing: the packed keys differ in their low bits of each character, which the multiply spreads over the top bits.
        private int Home(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);

        private ulong KeyAt(int slot) =>
            System.Runtime.InteropServices.MemoryMarshal.Read<ulong>(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_slots.AsSpan(slot * _stride, 2)));

        public ReadOnlySpan<float> Row(ulong key)
        {
            var mask = _slots.Length / _stride - 1;
            for (var slot = Home(key); ; slot = (slot + 1) & mask)
            {
                var stored = KeyAt(slot);
                if (stored == key) return _slots.AsSpan(slot * _stride + 2, _languages);
                if (stored == 0) return default;
            }
        }

        /// <summary>Every n-gram and its row (in slot order).</summary>
        public IEnumerable<(ulong Key, float[] Row)> Entries()
        {
            var slots = _slots.Length / Math.Max(1, _stride);
            for (var slot = 0; slot < slots; slot++)
                if (KeyAt(slot) is var key and not 0) yield return (key, _slots.AsSpan(slot * _stride + 2, _languages).ToArray());
        }

        public void Write(BinaryWriter writer)
        {
            var keys = new ulong[_count];
            var values = new float[_count * _languages];
            var row = 0;
            foreach (var (key, entry) in Entries())
            {
                keys[row] = key;
                entry.CopyTo(values, row * _languages);
                row++;
            }
            writer.Write(keys.Length);
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(keys.AsSpan()));
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        }

        public static NgramTable Read(BinaryReader reader, int languages)
        {
            var rows = reader.ReadInt32();
            if (rows < 0 || rows > 1 << 24) throw new InvalidDataException("bad n-gram table size");
            var keys = new ulong[rows];
            var values = new float[rows * languages];
            ReadExactly(reader, System.Runtime.InteropServices.MemoryMarshal.AsBytes(keys.AsSpan()));
            ReadExactly(reader, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            var table = new NgramTable(languages);
            table.Fill(keys, values);
            return table;
        }

        private static void ReadExactly(BinaryReader reader, Span<byte> into)
        {
            try
            {
                reader.BaseStream.ReadExactly(into);
            }
            catch (EndOfStreamException e)
            {
                throw new InvalidDataException("truncated n-gram table", e);
            }
        }
    }
}
