using System.IO.Compression;
using System.Security.Cryptography;
using Archiver.Capturing;
using Archiver.Languages;
using Archiver.Model;
using Archiver.Platforms;
using Archiver.Storage;

namespace Archiver.Import;

/// <summary>What a WARC/WACZ import did.</summary>
public sealed record WarcImportReport
{
    public long Records { get; set; }
    public long Responses { get; set; }
    public long Routed { get; set; }
    public long Posts { get; set; }
    public long Inserted { get; set; }
    public long Unchanged { get; set; }
    public long Authors { get; set; }
    public long SkippedFiles { get; set; }
    public List<ImportProblem> Problems { get; } = [];
    public long ProblemCount { get; set; }
    /// <summary>Writer quirks read around (nothing lost): one line per file and kind, with how many records and the first offset.</summary>
    public List<string> Warnings { get; } = [];
}

/// <summary>
/// Imports captures from WARC files (ours, wget's, Browsertrix's, ArchiveTeam's), WACZ packages and the ARC
/// files of older crawls: every
/// HTTP response is routed to its platform's parser, and every record parsed from it points back to the
/// original file and offset. Malformed records are reported (file, offset, reason) and skipped.
/// </summary>
public sealed class WarcImport(ArchiveWriter writer, PlatformRegistry platforms, TimeProvider clock)
{
    private readonly ArchiveStore store = writer.Store;
    private const int BatchPosts = 2000;
    private readonly CaptureRouter _router = new(platforms);

    public event Action<StoreBatchResult>? Committed;

    /// <summary>Time spent in store commits (the single writer); parsing runs on the thread pool meanwhile.</summary>
    public TimeSpan StoreTime { get; private set; }

    /// <summary>WACZ entries up to this size are read from memory; larger ones from a temporary file in the archive.</summary>
    public long InMemoryZipEntryBytes { get; init; } = 64L << 20;

    /// <summary>
    /// A zip entry's stream cannot seek, and the reader does (the WACZ spec stores WARCs uncompressed, but
    /// readers must not rely on it). Small entries are copied to memory; large ones, such as the multi-GB
    /// WARCs of a Browsertrix crawl, to a temporary file beside the archive that is deleted when closed.
    /// What an entry expands to is capped as for any compressed input.
    /// </summary>
    private Stream SeekableCopy(ZipArchiveEntry entry, string name)
    {
        Stream copy = entry.Length <= InMemoryZipEntryBytes
            ? new MemoryStream((int)entry.Length)
            : new FileStream(Path.Combine(store.Paths.Root, $".import-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite,
                FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        try
        {
            using (var source = new LimitedStream(entry.Open(), InputStreams.ExpansionLimit(entry.CompressedLength), name)) source.CopyTo(copy);
            copy.Position = 0;
            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <summary>WARC, WACZ and ARC files (the reader tells WARC from ARC by their first record).</summary>
    public static bool IsWarcPath(string path)
    {
        var name = path.ToLowerInvariant();
        return name.EndsWith(".warc", StringComparison.Ordinal) || name.EndsWith(".warc.gz", StringComparison.Ordinal)
            || name.EndsWith(".wacz", StringComparison.Ordinal) || WarcReader.IsArcFileName(name);
    }

    public WarcImportReport Import(IReadOnlyList<string> paths, bool again, CancellationToken ct)
    {
        var report = new WarcImportReport();
        // Provenance names the file by its full path: a WARC export copies captures from it later, from
        // whatever directory it runs in.
        foreach (var path in paths.Select(Path.GetFullPath))
        {
            if (path.EndsWith(".wacz", StringComparison.OrdinalIgnoreCase))
            {
                using var zip = ZipFile.OpenRead(path);
                foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith("archive/", StringComparison.Ordinal) && IsWarcPath(e.FullName)))
                {
                    using var copy = SeekableCopy(entry, $"{path}!{entry.FullName}");
                    ImportFile(copy, $"{path}!{entry.FullName}", again, report, ct);
                }
            }
            else
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                ImportFile(stream, path, again, report, ct);
            }
        }
        return report;
    }

    /// <summary>What one record gave, computed on a worker; applied to the report and the batch in file order.</summary>
    private sealed record RecordOutcome(long Offset, bool Response, bool Routed, List<ImportProblem> Problems, IReadOnlyList<PostObservation> Posts, IReadOnlyList<AuthorObservation> Authors)
    {
        public static RecordOutcome Skipped(long offset, bool response) => new(offset, response, false, [], [], []);
    }

    private void ImportFile(Stream stream, string name, bool again, WarcImportReport report, CancellationToken ct)
    {
        var id = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"warc|{Path.GetFullPath(name.Split('!')[0])}|{name}|{stream.Length}")))[..32];
        var checkpoint = store.GetImportCheckpoint(id);
        if (checkpoint is { Finished: true } && !again)
        {
            report.SkippedFiles++;
            return;
        }
        var resumeAfter = again ? -1 : (checkpoint?.LinesDone ?? 0) - 1;
        // A file named .arc is read as ARC from its first byte, so a damaged one is reported as a damaged ARC.
        var quirks = new Dictionary<string, (long Count, long FirstOffset)>(StringComparer.Ordinal);
        var options = new WarcReadOptions
        {
            Arc = WarcReader.IsArcFileName(name),
            OnProblem = p => Problem(report, new ImportProblem(p.File, p.Offset, p.Reason)),
            // One line per kind of quirk (the Content-Length in the text differs per record).
            OnWarning = w =>
            {
                var kind = string.Concat(w.Reason.Where(c => !char.IsAsciiDigit(c)));
                quirks[kind] = quirks.TryGetValue(kind, out var seen) ? (seen.Count + 1, seen.FirstOffset) : (1, w.Offset);
            },
        };
        var posts = new List<PostObservation>();
        var authors = new Dictionary<string, AuthorObservation>(StringComparer.Ordinal);
        long lastOffset = -1;
        // Records are parsed on the thread pool, a bounded window ahead of this thread, which applies their
        // outcomes in file order and is the single writer: the checkpoint offset stays exact.
        var window = new Queue<Task<RecordOutcome>>();
        var ahead = Math.Max(2, Environment.ProcessorCount * 4);
        // A page the crawl rendered in a browser has an empty shell as its response and its posts in the DOM
        // stored after it as a `conversion` record referring to it: the last few profiled responses are kept
        // so that DOM is parsed as the crawl parsed it (with the response's URL, profile and capture).
        var rendered = new Dictionary<string, WarcRecord>(StringComparer.Ordinal);
        var renderedOrder = new Queue<string>();
        try
        {
            foreach (var record in WarcReader.Read(stream, name, options))
            {
                ct.ThrowIfCancellationRequested();
                report.Records++;
                if (record.Type == "response" && record.RecordId is { } responseId && CaptureHints.Read(record).Profile is not null)
                {
                    rendered[responseId] = record;
                    renderedOrder.Enqueue(responseId);
                    if (renderedOrder.Count > 64) rendered.Remove(renderedOrder.Dequeue());
                }
                if (record.Offset <= resumeAfter) continue;
                if (record.Type == "conversion" && record.Headers["WARC-Refers-To"] is { } refersTo && rendered.TryGetValue(refersTo, out var shell))
                {
                    window.Enqueue(Task.Run(() => ParseRecord(shell, name, record), ct));
                    continue;
                }
                window.Enqueue(Task.Run(() => ParseRecord(record, name), ct));
                while (window.Count >= ahead) Apply(window.Dequeue().GetAwaiter().GetResult());
            }
            while (window.Count > 0) Apply(window.Dequeue().GetAwaiter().GetResult());
        }
        finally
        {
            // A failure or cancel: observe the parses still running so none is left unobserved.
            foreach (var orphan in window) _ = orphan.ContinueWith(t => t.Exception, TaskScheduler.Default);
        }
        Commit(posts, authors, report, new ImportCheckpoint(id, name, lastOffset + 1, true, clock.GetUtcNow().UtcDateTime));
        foreach (var (kind, (count, first)) in quirks)
            report.Warnings.Add($"{name}: {count:N0} record(s), the first at offset {first:N0}: {kind.Replace("Content-Length  ", "Content-Length ", StringComparison.Ordinal)}");

        void Apply(RecordOutcome outcome)
        {
            lastOffset = outcome.Offset;
            if (outcome.Response) report.Responses++;
            if (outcome.Routed) report.Routed++;
            foreach (var problem in outcome.Problems) Problem(report, problem);
            posts.AddRange(outcome.Posts);
            foreach (var author in outcome.Authors) authors[author.Author.Key] = author;
            if (posts.Count >= BatchPosts) Commit(posts, authors, report, new ImportCheckpoint(id, name, outcome.Offset + 1, false, clock.GetUtcNow().UtcDateTime));
        }
    }

    /// <summary>Routes and parses one record (pure apart from reading the record): safe to run on any thread.</summary>
    private RecordOutcome ParseRecord(WarcRecord record, string file, WarcRecord? renderedDom = null)
    {
        // For a rendered DOM the outcome is the conversion record's (its offset, not a response of its own).
        var offset = (renderedDom ?? record).Offset;
        var response = renderedDom is null;
        if (record.Type != "response" || !record.IsHttp || record.TargetUri is null) return RecordOutcome.Skipped(offset, response: false);
        if (!Uri.TryCreate(record.TargetUri.Trim('<', '>'), UriKind.Absolute, out var url)) return RecordOutcome.Skipped(offset, response);
        var http = record.Http;
        if (http?.Status is not { } status) return RecordOutcome.Skipped(offset, response);
        var contentType = http.Headers["Content-Type"];
        var (platformHint, profile) = CaptureHints.Read(record);
        var platform = _router.Route(url, contentType, http.Payload.Span, platformHint);
        if (platform is null) return RecordOutcome.Skipped(offset, response);
        var fetchedAt = DateTime.TryParse(record.Date, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var d) ? d : clock.GetUtcNow().UtcDateTime;
        var capture = new Capture
        {
            Url = url.AbsoluteUri,
            FetchedAt = fetchedAt,
            Status = status,
            PayloadSha256 = Convert.ToHexStringLower(SHA256.HashData(http.Payload.Span)),
            WarcFile = file,
            WarcOffset = record.Offset,
            WarcRecordId = record.RecordId,
        };
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in http.Headers.Fields) headers[key] = headers.TryGetValue(key, out var prior) ? prior + ", " + value : value;
        // A parser that throws on this record gives a problem for it (GuardedParsing): the import goes on.
        var parsed = platform.ParseGuarded(new FetchedPage
        {
            Url = url,
            Status = status,
            Body = renderedDom?.Block ?? http.Payload,
            ContentType = contentType,
            Headers = headers,
            FetchedAt = fetchedAt,
            Capture = capture,
            // The site profile the crawl parsed this page with; without it the parser finds one by host.
            Request = profile is null ? null : new CrawlRequest
            {
                Url = url,
                Platform = platform.Name,
                Purpose = "import",
                Context = new Dictionary<string, string>(StringComparer.Ordinal) { [Platforms.Sites.SiteParser.ProfileKey] = profile },
            },
        });
        var problems = parsed.Problems.Select(problem => new ImportProblem(file, record.Offset, $"{platform.Name}: {problem.Reason}")).ToList();
        var storable = new List<PostObservation>(parsed.Posts.Count);
        foreach (var post in PostLanguages.Current.Label(parsed.Posts))
        {
            if (PostLimits.Oversized(post) is { } tooBig) problems.Add(new ImportProblem(file, offset, tooBig));
            else storable.Add(new PostObservation(post, fetchedAt, capture));
        }
        return new RecordOutcome(offset, response, response, problems, storable,
            parsed.Authors.Select(author => new AuthorObservation(author, fetchedAt, capture, author.Key == parsed.OwnPageOf)).ToList());
    }

    /// <summary>Hands the records to the writer; <paramref name="checkpoint"/> is saved once their commit is acknowledged.</summary>
    private void Commit(List<PostObservation> posts, Dictionary<string, AuthorObservation> authors, WarcImportReport report, ImportCheckpoint checkpoint)
    {
        if (posts.Count == 0 && authors.Count == 0)
        {
            // Nothing to commit: every batch before was acknowledged already.
            store.SaveImportCheckpoint(checkpoint);
            return;
        }
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var followed = writer.FollowTime;
        var batch = new StoreBatch { Posts = posts.ToList(), Authors = authors.Values.ToList() };
        var result = writer.Write(batch, _ => store.SaveImportCheckpoint(checkpoint));
        // The writer hands the commit to the index follower before acknowledging it: that wait is not store time.
        StoreTime += watch.Elapsed - (writer.FollowTime - followed);
        report.Posts += posts.Count;
        report.Authors += authors.Count;
        report.Inserted += result.Inserted;
        report.Unchanged += result.Unchanged;
        posts.Clear();
        authors.Clear();
        Committed?.Invoke(result);
    }

    private static void Problem(WarcImportReport report, ImportProblem problem)
    {
        report.ProblemCount++;
        if (report.Problems.Count < ImportReport.MaxProblemsKept) report.Problems.Add(problem);
    }
}
