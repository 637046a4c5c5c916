using Archiver.Languages;
using Archiver.Model;
using Archiver.Replica;
using Lingua;

namespace Archiver.Tests.Languages;

/// <summary>
/// The scorer's lookup table (n-gram and row side by side in one open-addressing array) and its stack set of
/// trigrams seen give exactly the scores of the plain algorithm: per language dictionaries read straight from
/// Lingua's model files and a HashSet, written here as Lingua's low accuracy method describes it.
/// </summary>
public sealed class NgramScorerTests
{
    private static readonly Language[] Latin = [Language.German, Language.English, Language.Spanish, Language.French, Language.Italian, Language.Dutch, Language.Polish, Language.Portuguese, Language.Turkish];
    private static readonly Language[] Cyrillic = [Language.Russian, Language.Ukrainian];
    private static readonly Language[] Arabic = [Language.Arabic, Language.Persian];

    private static List<(string Text, string Language)> ReplicaTexts()
    {
        var truth = new ReplicaTruth(new ReplicaNetwork(7, ReplicaSize.Small), ReplicaEndpoints.FromPort(8470), 1);
        var posts = truth.Posts().Where(p => p.Language is not null && p.Text.Length > 0 && p.Kind != PostKinds.Service).Select(p => (p.Text, p.Language!)).ToList();
        // Each post's first words stand in for short posts, and a long token for a text much longer than the characters read.
        posts.AddRange(posts.Select(p => (string.Join(' ', p.Text.Split(' ').Take(3)), p.Item2)).ToList());
        posts.Add((string.Concat(Enumerable.Repeat("abcdefghijklmnopqrstuvwxyz", 200)), "en"));
        return posts;
    }

    /// <summary>The plain algorithm: a dictionary per language and n-gram length, sums in candidate order.</summary>
    private sealed class Reference
    {
        private readonly Dictionary<ulong, float>[][] _models;

        public Reference(Language[] languages)
        {
            var root = Path.Combine(AppContext.BaseDirectory, "Lingua", "LanguageModels");
            _models = [.. languages.Select(l => new[] { "trigrams", "bigrams", "unigrams" }
                .Select(f => NgramScorer.Load(Path.Combine(root, l.IsoCode6391().ToString().ToLowerInvariant(), f + ".json.br")).Entries().ToDictionary(e => e.Key, e => e.LogProbability))
                .ToArray())];
        }

        public double[] Sums(string text)
        {
            var sums = new double[_models.Length];
            var seen = new HashSet<ulong>();
            var lower = new char[3];
            var run = 0;
            foreach (var ch in text)
            {
                var c = NgramScorer.LowerCase[ch];
                if (!char.IsLetter(c)) { run = 0; continue; }
                (lower[0], lower[1], lower[2]) = (lower[1], lower[2], c);
                if (++run < 3 || !seen.Add(NgramScorer.Pack(lower[0], lower[1], lower[2]))) continue;
                for (var l = 0; l < _models.Length; l++)
                {
                    var p = _models[l][0].GetValueOrDefault(NgramScorer.Pack(lower[0], lower[1], lower[2]));
                    if (p == 0f) p = _models[l][1].GetValueOrDefault(NgramScorer.Pack(lower[0], lower[1]));
                    if (p == 0f) p = _models[l][2].GetValueOrDefault(NgramScorer.Pack(lower[0]));
                    sums[l] += p;
                }
            }
            return sums;
        }
    }

    public static TheoryData<string> Scripts => ["latin", "cyrillic", "arabic"];

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Scores_equal_the_plain_algorithms_bit_for_bit_on_the_replicas_posts(string scriptName)
    {
        var (languages, script) = scriptName switch
        {
            "latin" => (Latin, NgramScorer.Script.Latin),
            "cyrillic" => (Cyrillic, NgramScorer.Script.Cyrillic),
            _ => (Arabic, NgramScorer.Script.Arabic),
        };
        var scorer = new NgramScorer(languages);
        var reference = new Reference(languages);
        var texts = ReplicaTexts().Where(t => NgramScorer.MainScript(t.Text) == script).ToList();
        Assert.True(texts.Count > 100, $"{texts.Count} {scriptName} texts");
        var labelled = 0;
        foreach (var (text, _) in texts)
        {
            var (best, confidence, second) = scorer.Score(text, script);
            var sums = reference.Sums(text);
            // The reference's softmax, as the scorer computes it.
            var order = Enumerable.Range(0, sums.Length).Where(l => sums[l] < 0).OrderByDescending(l => sums[l]).ToList();
            if (order.Count == 0)
            {
                Assert.Equal(Language.Unknown, best);
                continue;
            }
            // Summed in candidate order, as the scorer does (floating point addition is not associative).
            var total = Enumerable.Range(0, sums.Length).Where(l => sums[l] < 0).Sum(l => Math.Exp(sums[l] - sums[order[0]]));
            Assert.Equal(languages[order[0]], best);
            Assert.Equal(1 / total, confidence);
            Assert.Equal(order.Count > 1 ? Math.Exp(sums[order[1]] - sums[order[0]]) / total : 0, second);
            labelled++;
        }
        Assert.True(labelled > texts.Count / 2);
    }

    [Fact]
    public void Early_stop_at_a_lead_of_30_keeps_every_replica_posts_label_and_per_language_accuracy()
    {
        var texts = ReplicaTexts();
        var full = new LanguageDetection(new LanguageDetectionOptions { ModelCacheDirectory = null });
        var early = new LanguageDetection(new LanguageDetectionOptions { ModelCacheDirectory = null, DecisiveLead = 30 });
        var (fullScore, earlyScore) = (new LanguageScore(), new LanguageScore());
        foreach (var (text, language) in texts)
        {
            var (a, b) = (full.Detect(text), early.Detect(text));
            Assert.True(a == b, $"{a} vs {b}: {text}");
            var words = ReplicaLanguageFixture.Words(text);
            fullScore.Add(language, a, words);
            earlyScore.Add(language, b, words);
        }
        Assert.Equal(fullScore.Lines(), earlyScore.Lines());
        Assert.True(fullScore.LongAccuracy >= 0.95, string.Join("\n", fullScore.Lines()));
    }

    [Fact]
    public void Every_ngram_of_the_model_files_is_found_with_its_log_probability_and_others_are_not()
    {
        var scorer = new NgramScorer(Latin);
        var root = Path.Combine(AppContext.BaseDirectory, "Lingua", "LanguageModels");
        var tables = scorer.TablesOf(NgramScorer.Script.Latin)!.Value;
        var lookups = 0;
        foreach (var (file, table) in new[] { ("trigrams", tables.Trigrams), ("bigrams", tables.Bigrams), ("unigrams", tables.Unigrams) })
        {
            var expected = new Dictionary<ulong, float[]>();
            for (var l = 0; l < Latin.Length; l++)
                foreach (var (key, value) in NgramScorer.Load(Path.Combine(root, Latin[l].IsoCode6391().ToString().ToLowerInvariant(), file + ".json.br")).Entries())
                    (expected.TryGetValue(key, out var row) ? row : expected[key] = new float[Latin.Length])[l] = value;
            Assert.Equal(expected.Count, table.Count);
            foreach (var (key, row) in expected)
            {
                Assert.Equal(row, table.Row(key).ToArray());
                lookups++;
            }
            Assert.Equal(expected.Keys.Order(), table.Entries().Select(e => e.Key).Order());
        }
        Assert.True(lookups > 10_000, $"{lookups} n-grams");
        // N-grams no Latin-script model has: Cyrillic and Han letters, digits.
        foreach (var absent in new[] { NgramScorer.Pack('ж', 'з', 'и'), NgramScorer.Pack('中', '文'), NgramScorer.Pack('7'), NgramScorer.Pack('q', 'x', 'z') })
            Assert.True(tables.Trigrams.Row(absent).IsEmpty && tables.Bigrams.Row(absent).IsEmpty && tables.Unigrams.Row(absent).IsEmpty);
    }
}
