using System.IO.Compression;
using System.Security.Cryptography;
using Archiver.Capturing;
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
}

/// <summary>
/// Imports captures from WARC files (ours, wget's, Browsertrix's, ArchiveTeam's) and WACZ packages: every
/// HTTP response is routed to its platform's parser, and every record parsed from it points back to the
/// original file and offset. Malformed records are reported (file, offset, reason) and skipped.
/// </summary>
public sealed class WarcImport(ArchiveStore store, PlatformRegistry platforms, TimeProvider clock)
{
    private const int BatchPosts = 2000;
    private readonly CaptureRouter _router = new(platforms);

    public event Action<StoreBatchResult>? Committed;

    public static bool IsWarcPath(string path)
    {
        var name = path.ToLowerInvariant();
        return name.EndsWith(".warc", StringComparison.Ordinal) || name.EndsWith(".warc.gz", StringComparison.Ordinal)
            || name.EndsWith(".wacz", StringComparison.Ordinal);
    }

    public WarcImportReport Import(IReadOnlyList<string> paths, bool again, CancellationToken ct)
    {
        var report = new WarcImportReport();
        foreach (var path in paths)
        {
            if (path.EndsWith(".wacz", StringComparison.OrdinalIgnoreCase))
            {
                using var zip = ZipFile.OpenRead(path);
                foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith("archive/", StringComparison.Ordinal) && IsWarcPath(e.FullName)))
                {
                    // The WACZ spec stores WARCs uncompressed in the zip, but readers must not rely on it: copy to seekable memory.
                    using var copy = new MemoryStream();
                    using (var source = entry.Open()) source.CopyTo(copy);
                    copy.Position = 0;
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
        var options = new WarcReadOptions { OnProblem = p => Problem(report, new ImportProblem(p.File, p.Offset, p.Reason)) };
        var posts = new List<PostObservation>();
        var authors = new Dictionary<string, AuthorObservation>(StringComparer.Ordinal);
        long lastOffset = -1;
        foreach (var record in WarcReader.Read(stream, name, options))
        {
            ct.ThrowIfCancellationRequested();
            report.Records++;
            if (record.Offset <= resumeAfter) continue;
            lastOffset = record.Offset;
            ImportRecord(record, name, posts, authors, report);
            if (posts.Count >= BatchPosts)
            {
                Commit(posts, authors, report);
                store.SaveImportCheckpoint(new ImportCheckpoint(id, name, record.Offset + 1, false, clock.GetUtcNow().UtcDateTime));
            }
        }
        Commit(posts, authors, report);
        store.SaveImportCheckpoint(new ImportCheckpoint(id, name, lastOffset + 1, true, clock.GetUtcNow().UtcDateTime));
    }

    private void ImportRecord(WarcRecord record, string file, List<PostObservation> posts, Dictionary<string, AuthorObservation> authors, WarcImportReport report)
    {
        if (record.Type != "response" || !record.IsHttp || record.TargetUri is null) return;
        report.Responses++;
        if (!Uri.TryCreate(record.TargetUri.Trim('<', '>'), UriKind.Absolute, out var url)) return;
        var http = record.Http;
        if (http?.Status is not { } status) return;
        var contentType = http.Headers["Content-Type"];
        var platform = _router.Route(url, contentType, http.Payload.Span);
        if (platform is null) return;
        report.Routed++;
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
        ParseResult parsed;
        try
        {
            parsed = platform.Parse(new FetchedPage
            {
                Url = url,
                Status = status,
                Body = http.Payload,
                ContentType = contentType,
                Headers = headers,
                FetchedAt = fetchedAt,
                Capture = capture,
            });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Parsers report problems rather than throw; one that does must not stop the import.
            Problem(report, new ImportProblem(file, record.Offset, $"{platform.Name} parser failed: {e.Message}"));
            return;
        }
        foreach (var problem in parsed.Problems) Problem(report, new ImportProblem(file, record.Offset, $"{platform.Name}: {problem.Reason}"));
        foreach (var post in parsed.Posts) posts.Add(new PostObservation(post, fetchedAt, capture));
        foreach (var author in parsed.Authors) authors[author.Key] = new AuthorObservation(author, fetchedAt, capture);
    }

    private void Commit(List<PostObservation> posts, Dictionary<string, AuthorObservation> authors, WarcImportReport report)
    {
        if (posts.Count == 0 && authors.Count == 0) return;
        var result = store.Write(new StoreBatch { Posts = posts.ToList(), Authors = authors.Values.ToList() });
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
