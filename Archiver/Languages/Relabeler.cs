using Archiver.Model;
using Archiver.Storage;

namespace Archiver.Languages;

/// <summary>What a relabelling did: posts that got a language (or a source) per source, and how the archive stands after.</summary>
public sealed record RelabelReport
{
    public long Scanned { get; set; }
    /// <summary>Posts given a language or a source now, by source (platform, declared, detected).</summary>
    public Dictionary<string, long> Labelled { get; } = new(StringComparer.Ordinal);
    /// <summary>Posts whose detected language was replaced by another (<c>--redetect</c>).</summary>
    public long Changed { get; set; }
    /// <summary>Posts that still have no language (no text, too short, or the detector unsure).</summary>
    public long WithoutLanguage { get; set; }
    /// <summary>All posts by the source of their language after the run.</summary>
    public Dictionary<string, long> BySource { get; } = new(StringComparer.Ordinal);
    public bool Detection { get; set; }
}

/// <summary>
/// Fills in the language of posts already in an archive (archives made before posts had languages, or after a
/// change of the detector with <paramref name="redetect"/>): a language without a source is the platform's
/// (the feed's, for feeds: declared), a post without one gets a detected one. Labels are set in place: no new
/// version, no sighting; the index follows the store's sequence.
/// </summary>
public sealed class Relabeler(ArchiveWriter writer, PostLanguages languages, bool redetect = false)
{
    private readonly ArchiveStore store = writer.Store;

    private const int Chunk = 2000;

    public RelabelReport Run(IProgress<long>? progress = null, CancellationToken ct = default)
    {
        var report = new RelabelReport { Detection = languages.Detects };
        var chunk = new List<Post>(Chunk);
        var labels = new List<LanguageLabel>();
        foreach (var stored in store.ScanPosts())
        {
            ct.ThrowIfCancellationRequested();
            chunk.Add(stored.Post);
            if (chunk.Count < Chunk) continue;
            Process(chunk, labels, report);
            progress?.Report(report.Scanned);
            if (labels.Count >= 5000) Flush(labels);
        }
        Process(chunk, labels, report);
        Flush(labels);
        progress?.Report(report.Scanned);
        return report;
    }

    private void Flush(List<LanguageLabel> labels)
    {
        if (labels.Count == 0) return;
        writer.Write(new StoreBatch { Relabels = labels.ToList() });
        labels.Clear();
    }

    private void Process(List<Post> chunk, List<LanguageLabel> labels, RelabelReport report)
    {
        var results = new Post[chunk.Count];
        // Detection is most of the work; the scan and the writes stay on this thread.
        Parallel.For(0, chunk.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => results[i] = Relabel(chunk[i]));
        for (var i = 0; i < chunk.Count; i++)
        {
            var (before, after) = (chunk[i], results[i]);
            report.Scanned++;
            if (after.LanguageSource is { } source) report.BySource[source] = report.BySource.GetValueOrDefault(source) + 1;
            else report.WithoutLanguage++;
            if (before.Language == after.Language && before.LanguageSource == after.LanguageSource) continue;
            if (after.LanguageSource is { } newSource && before.LanguageSource != newSource)
                report.Labelled[newSource] = report.Labelled.GetValueOrDefault(newSource) + 1;
            else if (before.Language is not null) report.Changed++;
            labels.Add(new LanguageLabel(after.Key, after.Language, after.LanguageSource));
        }
        chunk.Clear();
    }

    private Post Relabel(Post post)
    {
        if (post.LanguageSource is null && LanguageTags.IsLanguage(post.Language))
            return post with { LanguageSource = post.Platform == "feed" ? LanguageSources.Declared : LanguageSources.Platform };
        if (post.LanguageSource == LanguageSources.Detected && redetect)
            post = post with { Language = null, LanguageSource = null };
        if (post.LanguageSource is not null) return post;
        var labelled = languages.Label(post);
        // Without detection a post keeps what it had rather than lose a label.
        return labelled.Language is null && post.Language is not null && !languages.Detects ? post : labelled;
    }
}
