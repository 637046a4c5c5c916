using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Archiver.Import.Datasets;
using Archiver.Model;
using Archiver.Storage;

namespace Archiver.Import;

/// <summary>
/// Brings line-oriented datasets into the archive: one thread reads and parses lines into batches, the
/// caller's thread commits them (the store spreads each batch over its segments), and a checkpoint per
/// input records the last committed line so an interrupted import continues where it stopped.
/// Re-importing is idempotent: the store recognises unchanged posts.
/// </summary>
public sealed class ImportService(ArchiveStore store, TimeProvider clock)
{
    public static IReadOnlyList<IDatasetFormat> Formats { get; } =
        [new CorpusFormat(), new ParlerDatasetFormat(), new SnscrapeFormat(), new TwarcFormat(), new MastodonFormat()];

    public int BatchLines { get; init; } = 5000;

    /// <summary>Raised after each committed batch (for the search index and progress).</summary>
    public event Action<StoreBatchResult>? Committed;

    public event Action<ImportReport>? Progress;

    public async Task<ImportReport> ImportAsync(IReadOnlyList<string> paths, ImportFormat format, bool again, CancellationToken ct)
    {
        var report = new ImportReport();
        var watch = Stopwatch.StartNew();
        foreach (var path in paths)
        {
            // Archiver's own export and single-document Mastodon responses are not one record per line.
            if (DocumentImports.TryImport(store, clock, path, format, again, report, r => Committed?.Invoke(r), ct)) continue;
            foreach (var (name, stream) in InputStreams.Open(path))
            {
                await using (stream)
                {
                    var id = CheckpointId(path, name);
                    var checkpoint = store.GetImportCheckpoint(id);
                    if (checkpoint is { Finished: true } && !again)
                    {
                        report.SkippedFiles++;
                        continue;
                    }
                    var skip = again ? 0 : checkpoint?.LinesDone ?? 0;
                    report.ResumedFromLine = Math.Max(report.ResumedFromLine, skip);
                    await ImportStreamAsync(name, id, stream, format, skip, report, ct).ConfigureAwait(false);
                }
            }
        }
        report.Elapsed = watch.Elapsed;
        return report;
    }

    private sealed record Chunk(StoreBatch Batch, long LastLine, int Lines, List<ImportProblem> Problems);

    private async Task ImportStreamAsync(string name, string id, Stream stream, ImportFormat format, long skip, ImportReport report, CancellationToken ct)
    {
        var channel = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(() => Produce(name, stream, format, skip, channel.Writer, ct), ct);
        await foreach (var chunk in channel.Reader.ReadAllAsync(ct).ConfigureAwait(false))
        {
            // ReadAllAsync drains buffered items without looking at the token: stop between batches ourselves.
            ct.ThrowIfCancellationRequested();
            var result = chunk.Batch.Count > 0 ? store.Write(chunk.Batch) : null;
            store.SaveImportCheckpoint(new ImportCheckpoint(id, name, chunk.LastLine, false, clock.GetUtcNow().UtcDateTime));
            report.Lines += chunk.Lines;
            report.Posts += chunk.Batch.Posts.Count;
            report.Authors += chunk.Batch.Authors.Count;
            report.BadLines += chunk.Problems.Count;
            foreach (var p in chunk.Problems.Take(ImportReport.MaxProblemsKept - report.Problems.Count)) report.Problems.Add(p);
            if (result is not null)
            {
                report.Inserted += result.Inserted;
                report.Unchanged += result.Unchanged;
                report.Edited += result.Edited;
                Committed?.Invoke(result);
            }
            Progress?.Invoke(report);
        }
        var lastLine = await producer.ConfigureAwait(false);
        store.SaveImportCheckpoint(new ImportCheckpoint(id, name, lastLine, true, clock.GetUtcNow().UtcDateTime));
    }

    private long Produce(string name, Stream stream, ImportFormat requested, long skip, ChannelWriter<Chunk> writer, CancellationToken ct)
    {
        long lineNumber = 0;
        try
        {
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            IDatasetFormat? format = requested == ImportFormat.Auto ? null : Formats.First(f => f.Format == requested);
            var observedAt = clock.GetUtcNow().UtcDateTime;
            var posts = new List<PostObservation>(BatchLines);
            var authors = new Dictionary<string, AuthorObservation>(StringComparer.Ordinal);
            var problems = new List<ImportProblem>();
            var lines = 0;
            while (reader.ReadLine() is { } line)
            {
                lineNumber++;
                if (lineNumber <= skip || string.IsNullOrWhiteSpace(line)) continue;
                lines++;
                ParseLine(name, lineNumber, line, ref format, requested, posts, authors, problems, observedAt);
                if (lines >= BatchLines)
                {
                    writer.WriteAsync(new Chunk(new StoreBatch { Posts = posts, Authors = authors.Values.ToList() }, lineNumber, lines, problems), ct).AsTask().GetAwaiter().GetResult();
                    posts = new List<PostObservation>(BatchLines);
                    authors = new Dictionary<string, AuthorObservation>(StringComparer.Ordinal);
                    problems = [];
                    lines = 0;
                }
            }
            if (lines > 0 || lineNumber <= skip)
                writer.WriteAsync(new Chunk(new StoreBatch { Posts = posts, Authors = authors.Values.ToList() }, lineNumber, lines, problems), ct).AsTask().GetAwaiter().GetResult();
            writer.TryComplete();
            return lineNumber;
        }
        catch (Exception e)
        {
            writer.TryComplete(e is ArchiverException or OperationCanceledException ? e : new ArchiverException($"{name}: reading failed after line {lineNumber}: {e.Message}", e));
            throw;
        }
    }

    private static void ParseLine(string name, long lineNumber, string line, ref IDatasetFormat? format, ImportFormat requested,
        List<PostObservation> posts, Dictionary<string, AuthorObservation> authors, List<ImportProblem> problems, DateTime observedAt)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            problems.Add(new ImportProblem(name, lineNumber, $"not JSON: {e.Message}"));
            return;
        }
        using (document)
        {
            var root = document.RootElement;
            format ??= Formats.FirstOrDefault(f => f.Recognises(root));
            if (format is null)
            {
                problems.Add(new ImportProblem(name, lineNumber, "no known dataset format matches this line (use --format)"));
                return;
            }
            if (requested == ImportFormat.Auto && !format.Recognises(root))
            {
                problems.Add(new ImportProblem(name, lineNumber, $"line does not look like {format.Format} like the lines before it"));
                return;
            }
            var parsed = format.Parse(root);
            if (parsed.Error is not null)
            {
                problems.Add(new ImportProblem(name, lineNumber, parsed.Error));
                return;
            }
            foreach (var post in parsed.Posts) posts.Add(new PostObservation(post, observedAt));
            foreach (var author in parsed.Authors) authors[author.Key] = new AuthorObservation(author, observedAt);
        }
    }

    /// <summary>An input is identified by its full path, size and modification time (a changed file is a new import).</summary>
    private static string CheckpointId(string path, string name)
    {
        var info = new FileInfo(path);
        var identity = $"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}|{name}";
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..32];
    }
}
