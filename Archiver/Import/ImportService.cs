using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Archiver.Import.Datasets;
using Archiver.Inputs;
using Archiver.Languages;
using Archiver.Model;
using Archiver.Platforms;
using Archiver.Storage;

namespace Archiver.Import;

/// <summary>
/// Brings line-oriented datasets into the archive: one thread reads lines into chunks, the thread pool
/// parses chunks in parallel, the caller's thread hands them in input order to the archive's single writer
/// (the store spreads each batch over its segments; the session's index follower indexes it on its own
/// thread). A checkpoint per input records the last committed line, saved once the writer acknowledged the
/// chunk's commit, so an interrupted import continues where it stopped. Re-importing is idempotent: the store
/// recognises unchanged posts.
/// </summary>
public sealed class ImportService(ArchiveWriter writer, TimeProvider clock)
{
    private readonly ArchiveStore store = writer.Store;

    public static IReadOnlyList<IDatasetFormat> Formats { get; } =
        [new CorpusFormat(), .. KnownPlatforms.DatasetFormats];

    public int BatchLines { get; init; } = 5000;

    /// <summary>Raised after each committed batch (for the search index and progress).</summary>
    public event Action<StoreBatchResult>? Committed;

    public event Action<ImportReport>? Progress;

    private long _readTicks, _parseTicks, _storeTicks, _indexWaitTicks;

    /// <summary>Busy time per stage so far (parse summed over its parallel workers; index wait is the writer blocked on a full index queue).</summary>
    public ImportStageTimes StageTimes => new(
        Elapsed(Interlocked.Read(ref _readTicks)), Elapsed(Interlocked.Read(ref _parseTicks)),
        Elapsed(Interlocked.Read(ref _storeTicks)), TimeSpan.FromTicks(Interlocked.Read(ref _indexWaitTicks)));

    private static TimeSpan Elapsed(long stopwatchTicks) =>
        TimeSpan.FromTicks((long)(stopwatchTicks * (double)TimeSpan.TicksPerSecond / System.Diagnostics.Stopwatch.Frequency));

    public async Task<ImportReport> ImportAsync(IReadOnlyList<string> paths, ImportFormat format, bool again, CancellationToken ct)
    {
        var report = new ImportReport();
        var watch = Stopwatch.StartNew();
        foreach (var path in paths)
        {
            // Archiver's own export and single-document Mastodon responses are not one record per line.
            if (DocumentImports.TryImport(writer, clock, path, format, again, report, r => Committed?.Invoke(r), ct)) continue;
            // A FIFO or device (read only with --format): a stream has no identity to resume or skip by.
            var once = !InputFiles.IsRegular(path);
            foreach (var (name, stream) in InputStreams.Open(path))
            {
                await using (stream)
                {
                    var id = CheckpointId(path, name);
                    var checkpoint = once ? null : store.GetImportCheckpoint(id);
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

    /// <summary>Lines read but not parsed yet, with the format in force at the first of them.</summary>
    private sealed record RawChunk(List<(long Number, string Text)> Lines, long LastLine, IDatasetFormat? Format);

    /// <summary>The cap on one line's bytes (docs/import.md); lower only in tests.</summary>
    public int MaxLineBytes { get; init; } = LineReader.DefaultMaxLineBytes;

    /// <summary>A chunk is dispatched at this many characters too, so long lines cannot pile up thousands to a chunk.</summary>
    private const long ChunkChars = 32L << 20;

    /// <summary>
    /// What every post of a dataset says about where it came from: the input file (a zip entry after '!') and
    /// when it was imported. One value per input, so the store's sightings stay one per batch.
    /// </summary>
    public static Capture ImportCapture(string name, DateTime importedAt)
    {
        var bang = name.IndexOf('!', StringComparison.Ordinal);
        var file = bang < 0 ? name : name[..bang];
        var url = new Uri(Path.GetFullPath(file)).AbsoluteUri + (bang < 0 ? "" : "!/" + name[(bang + 1)..]);
        return new Capture { Url = url, FetchedAt = importedAt };
    }

    private async Task ImportStreamAsync(string name, string id, Stream stream, ImportFormat format, long skip, ImportReport report, CancellationToken ct)
    {
        // Chunks are parsed in parallel and stored in input order: the checkpoint (last committed line) stays exact.
        var channel = Channel.CreateBounded<Task<Chunk>>(new BoundedChannelOptions(Environment.ProcessorCount + 2) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(() => Produce(name, stream, format, skip, channel.Writer, ct), ct);
        try
        {
            await foreach (var pending in channel.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                var chunk = await pending.ConfigureAwait(false);
                // ReadAllAsync drains buffered items without looking at the token: stop between batches ourselves.
                ct.ThrowIfCancellationRequested();
                await StoreAsync(id, name, chunk, report, ct).ConfigureAwait(false);
            }
            var lastLine = await producer.ConfigureAwait(false);
            store.SaveImportCheckpoint(new ImportCheckpoint(id, name, lastLine, true, clock.GetUtcNow().UtcDateTime));
        }
        finally
        {
            // On failure or cancellation: let the reader stop, and observe the parse tasks already started.
            channel.Writer.TryComplete();
            while (channel.Reader.TryRead(out var orphan)) _ = orphan.ContinueWith(t => t.Exception, TaskScheduler.Default);
            if (!producer.IsCompleted) await Task.WhenAny(producer).ConfigureAwait(false);
        }
    }

    private async Task StoreAsync(string id, string name, Chunk chunk, ImportReport report, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var followed = writer.FollowTime;
        // The checkpoint hangs off the acknowledgement: it is saved on the writer's thread once the chunk is committed
        // (a chunk of bad lines only is acknowledged in its turn too).
        var checkpoint = new ImportCheckpoint(id, name, chunk.LastLine, false, clock.GetUtcNow().UtcDateTime);
        var stored = await writer.WriteAsync(chunk.Batch, _ => store.SaveImportCheckpoint(checkpoint), ct).ConfigureAwait(false);
        var result = chunk.Batch.Count > 0 ? stored : null;
        // Waiting for the index happens on the writer's thread now: counted apart from the store, as before.
        var indexWait = (writer.FollowTime - followed).Ticks;
        Interlocked.Add(ref _indexWaitTicks, indexWait);
        Interlocked.Add(ref _storeTicks, System.Diagnostics.Stopwatch.GetTimestamp() - started - (long)(indexWait * (System.Diagnostics.Stopwatch.Frequency / (double)TimeSpan.TicksPerSecond)));
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

    private long Produce(string name, Stream stream, ImportFormat requested, long skip, ChannelWriter<Task<Chunk>> writer, CancellationToken ct)
    {
        long lineNumber = 0;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            // Bounded: one line of a decompression bomb (or of a file that is not line-oriented) is refused at
            // MaxLineBytes instead of growing one string until memory runs out.
            using var reader = new LineReader(stream, MaxLineBytes);
            IDatasetFormat? format = requested == ImportFormat.Auto ? null : Formats.First(f => f.Name == requested.Name);
            var observedAt = clock.GetUtcNow().UtcDateTime;
            var lines = new List<(long, string)>(BatchLines);
            long chars = 0;
            var chunkFormat = format;
            while (reader.TryRead(out var input))
            {
                lineNumber = input.Number;
                if (lineNumber <= skip) continue;
                if (input.TooLong)
                {
                    // The lines before it are stored; nothing after it can be split into lines safely.
                    if (lines.Count > 0) Dispatch(new RawChunk(lines, lineNumber - 1, chunkFormat));
                    throw reader.TooLong(name, input);
                }
                var line = input.Text!;
                if (string.IsNullOrWhiteSpace(line)) continue;
                // --format auto settles on the first line some format recognises (lines that are not JSON or
                // match no format are passed over); each chunk starts with the format in force at its first
                // line, exactly as one sequential parse would.
                format ??= Recognise(line);
                lines.Add((lineNumber, line));
                chars += line.Length;
                if (lines.Count >= BatchLines || chars >= ChunkChars)
                {
                    Dispatch(new RawChunk(lines, lineNumber, chunkFormat));
                    lines = new List<(long, string)>(BatchLines);
                    chars = 0;
                    chunkFormat = format;
                }
            }
            if (lines.Count > 0 || lineNumber <= skip) Dispatch(new RawChunk(lines, lineNumber, chunkFormat));
            writer.TryComplete();
            return lineNumber;

            void Dispatch(RawChunk raw)
            {
                AddTicks(ref _readTicks, started);
                var parse = Task.Run(() => Parse(name, raw, requested, observedAt), ct);
                writer.WriteAsync(parse, ct).AsTask().GetAwaiter().GetResult();
                started = System.Diagnostics.Stopwatch.GetTimestamp();
            }
        }
        catch (Exception e)
        {
            writer.TryComplete(e is ArchiverException or OperationCanceledException ? e : new ArchiverException($"{name}: reading failed after line {lineNumber}: {e.Message}", e));
            throw;
        }
    }

    private static IDatasetFormat? Recognise(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return Formats.FirstOrDefault(f => f.Recognises(document.RootElement));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private Chunk Parse(string name, RawChunk raw, ImportFormat requested, DateTime observedAt)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var format = raw.Format;
        var posts = new List<PostObservation>(raw.Lines.Count);
        var authors = new Dictionary<string, AuthorObservation>(StringComparer.Ordinal);
        var problems = new List<ImportProblem>();
        var languages = PostLanguages.Current;
        var capture = ImportCapture(name, observedAt);
        foreach (var (number, text) in raw.Lines) ParseLine(name, number, text, ref format, requested, posts, authors, problems, observedAt, capture, languages);
        AddTicks(ref _parseTicks, started);
        return new Chunk(new StoreBatch { Posts = posts, Authors = authors.Values.ToList() }, raw.LastLine, raw.Lines.Count, problems);
    }

    private static void AddTicks(ref long total, long startedTimestamp) =>
        Interlocked.Add(ref total, System.Diagnostics.Stopwatch.GetTimestamp() - startedTimestamp);

    private static void ParseLine(string name, long lineNumber, string line, ref IDatasetFormat? format, ImportFormat requested,
        List<PostObservation> posts, Dictionary<string, AuthorObservation> authors, List<ImportProblem> problems, DateTime observedAt, Capture capture, PostLanguages languages)
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
                problems.Add(new ImportProblem(name, lineNumber, $"line does not look like {format.Name} like the lines before it"));
                return;
            }
            var parsed = format.Parse(root);
            if (parsed.Error is not null)
            {
                problems.Add(new ImportProblem(name, lineNumber, parsed.Error));
                return;
            }
            foreach (var post in parsed.Posts)
            {
                if (PostLimits.Oversized(post) is { } tooBig) problems.Add(new ImportProblem(name, lineNumber, tooBig));
                else posts.Add(new PostObservation(languages.Label(post), observedAt, capture));
            }
            foreach (var author in parsed.Authors) authors[author.Key] = new AuthorObservation(author, observedAt, capture);
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

/// <summary>Busy time per import stage (see <see cref="ImportService.StageTimes"/>).</summary>
public sealed record ImportStageTimes(TimeSpan Read, TimeSpan Parse, TimeSpan Store, TimeSpan IndexWait);
