using Archiver.Languages;
using Archiver.Model;
using Archiver.Replica;
using Archiver.Tests.Support;

namespace Archiver.Tests.Languages;

/// <summary>
/// The detector's cache of parsed n-gram tables: detection with it (written, then read by another detector)
/// labels every replica post exactly as detection from Lingua's own model files does, and a damaged cache is
/// ignored and rewritten.
/// </summary>
public sealed class ModelCacheTests
{
    /// <summary>Replica posts in Latin, Cyrillic and Arabic script (one model group each), with their first words as short texts.</summary>
    private static readonly List<string> Texts = LoadTexts();

    private static List<string> LoadTexts()
    {
        var truth = new ReplicaTruth(new ReplicaNetwork(7, ReplicaSize.Small), ReplicaEndpoints.FromPort(8470), 1);
        var posts = truth.Posts().Where(p => p.Language is not null && p.Text.Length > 0 && p.Kind != PostKinds.Service).ToList();
        Assert.Equal(["ar", "de", "en", "fr", "ru"], posts.Select(p => p.Language!).Distinct().Order(StringComparer.Ordinal));
        var texts = posts.Select(p => p.Text).ToList();
        texts.AddRange(posts.Select(p => string.Join(' ', p.Text.Split(' ').Take(4))));
        return texts;
    }

    private static List<string?> Detect(string? cache) =>
        [.. Texts.Select(new LanguageDetection(new LanguageDetectionOptions { ModelCacheDirectory = cache }).Detect)];

    [Fact]
    public void Labels_from_the_written_and_the_read_cache_equal_labels_from_the_model_files()
    {
        using var cache = new TempArchive();
        var parsed = Detect(null);
        Assert.Empty(Directory.GetFiles(cache.Path));

        var writing = Detect(cache.Path);
        // One file per script group met: Latin, Cyrillic, Arabic.
        var files = Directory.GetFiles(cache.Path, "*.bin");
        Assert.Equal(3, files.Length);
        Assert.Empty(Directory.GetFiles(cache.Path, "*.tmp"));
        var written = files.ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var reading = Detect(cache.Path);
        Assert.Equal(parsed, writing);
        Assert.Equal(parsed, reading);
        // Read, not rewritten.
        Assert.All(files, f => Assert.Equal(written[f], File.GetLastWriteTimeUtc(f)));
        // Every script group's languages were told apart (not all labels null or one language); short texts may get others.
        Assert.Subset(parsed.OfType<string>().ToHashSet(), new HashSet<string> { "ar", "de", "en", "fr", "ru" });
    }

    [Fact]
    public void A_truncated_cache_is_ignored_and_rewritten()
    {
        using var cache = new TempArchive();
        var parsed = Detect(cache.Path);
        var files = Directory.GetFiles(cache.Path, "*.bin");
        var lengths = files.ToDictionary(f => f, f => new FileInfo(f).Length);
        foreach (var file in files)
        {
            using var stream = new FileStream(file, FileMode.Open);
            stream.SetLength(stream.Length / 2);
        }

        Assert.Equal(parsed, Detect(cache.Path));
        Assert.All(files, f => Assert.Equal(lengths[f], new FileInfo(f).Length));
    }
}
