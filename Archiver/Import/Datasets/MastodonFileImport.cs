using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Archiver.Languages;
using Archiver.Platforms.Mastodon;
using Archiver.Storage;

namespace Archiver.Import.Datasets;

/// <summary>
/// Imports a saved Mastodon API response that is one JSON document: an array of statuses (a timeline or
/// <c>/api/v1/accounts/:id/statuses</c>), one status, a search result (<c>statuses</c>) or a thread context
/// (<c>ancestors</c>, <c>descendants</c>). Entries that are not statuses are reported with their position and
/// skipped; a document cut short keeps the entries before the cut. One status per line goes through
/// <see cref="MastodonFormat"/> instead.
/// </summary>
public sealed class MastodonFileImport(ArchiveWriter writer, TimeProvider clock)
{
    private readonly ArchiveStore store = writer.Store;

    /// <summary>A single JSON document is read whole; larger saved responses should be written as one status per line.</summary>
    public const long MaxDocumentBytes = 512L << 20;

    public int BatchPosts { get; init; } = 2000;

    /// <summary>Whether <paramref name="path"/> is one JSON document of statuses (not JSON lines).</summary>
    public static bool Handles(string path, ImportFormat format)
    {
        if ((format != ImportFormat.Auto && format.Name != MastodonFormat.FormatName) || !File.Exists(path)) return false;
        var lower = path.ToLowerInvariant();
        if (lower.EndsWith(".gz", StringComparison.Ordinal) || lower.EndsWith(".zst", StringComparison.Ordinal) || lower.EndsWith(".zip", StringComparison.Ordinal)
            || lower.EndsWith(".warc", StringComparison.Ordinal) || lower.EndsWith(".wacz", StringComparison.Ordinal)) return false;
        // Bounded: a file without line breaks must not be read into one string just to look at it.
        string? first = null;
        using (var reader = new LineReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16)))
        {
            while (reader.TryRead(out var line))
            {
                if (line.TooLong) return false;
                if (string.IsNullOrWhiteSpace(line.Text)) continue;
                first = line.Text;
                break;
            }
        }
        if (first is null) return false;
        var trimmed = first.TrimStart();
        if (!trimmed.StartsWith('[') && !trimmed.StartsWith('{')) return false;
        if (trimmed.StartsWith('{') && IsCompleteJson(first)) return false; // JSON lines
        if (format.Name == MastodonFormat.FormatName) return true;
        // Auto: only claim documents whose first entry is a status.
        var bytes = File.ReadAllBytes(path).AsSpan();
        if (bytes.Length > MaxDocumentBytes) return false;
        try
        {
            var json = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowTrailingCommas = true });
            if (!json.Read()) return false;
            if (json.TokenType == JsonTokenType.StartArray)
            {
                if (!json.Read() || json.TokenType != JsonTokenType.StartObject) return false;
                using var entry = JsonDocument.ParseValue(ref json);
                return MastodonStatuses.IsStatus(entry.RootElement);
            }
            using var doc = JsonDocument.ParseValue(ref json);
            return Entries(doc.RootElement).Any(MastodonStatuses.IsStatus);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public void Import(string path, bool again, ImportReport report, Action<StoreBatchResult>? committed, CancellationToken ct)
    {
        var info = new FileInfo(path);
        if (info.Length > MaxDocumentBytes)
            throw new UsageException($"{path}: a single JSON document larger than {MaxDocumentBytes >> 20} MiB; write one status per line (JSONL) to import it.");
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"mastodon|{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}")))[..32];
        var checkpoint = store.GetImportCheckpoint(id);
        if (checkpoint is { Finished: true } && !again)
        {
            report.SkippedFiles++;
            return;
        }
        var skip = again ? 0 : checkpoint?.LinesDone ?? 0;
        report.ResumedFromLine = Math.Max(report.ResumedFromLine, skip);
        var entries = Read(File.ReadAllBytes(path), out var cut);
        var host = MastodonStatuses.ServingHost(entries.Select(e => e.Value));
        var now = clock.GetUtcNow().UtcDateTime;
        var languages = PostLanguages.Current;
        var capture = ImportService.ImportCapture(path, now);
        var posts = new List<PostObservation>();
        var authors = new Dictionary<string, AuthorObservation>(StringComparer.Ordinal);
        long done = 0;
        void Commit()
        {
            // The checkpoint is saved once the writer acknowledged the batch's commit.
            var checkpoint = new ImportCheckpoint(id, path, done, false, clock.GetUtcNow().UtcDateTime);
            var batch = new StoreBatch { Posts = posts.ToList(), Authors = authors.Values.ToList() };
            var result = writer.Write(batch, _ => store.SaveImportCheckpoint(checkpoint), ct);
            if (batch.Count > 0)
            {
                report.Inserted += result.Inserted;
                report.Unchanged += result.Unchanged;
                report.Edited += result.Edited;
                committed?.Invoke(result);
            }
            posts.Clear();
            authors.Clear();
        }
        foreach (var (number, offset, value) in entries)
        {
            ct.ThrowIfCancellationRequested();
            done = number;
            if (number <= skip) continue;
            report.Lines++;
            var parsed = MastodonStatuses.Parse(value, host);
            if (parsed.Error is not null)
            {
                Problem(report, path, number, offset, parsed.Error);
                continue;
            }
            foreach (var post in parsed.Posts)
            {
                if (PostLimits.Oversized(post) is { } tooBig) Problem(report, path, number, offset, tooBig);
                else posts.Add(new PostObservation(languages.Label(post), now, capture));
            }
            foreach (var author in parsed.Authors) authors[author.Key] = new AuthorObservation(author, now, capture);
            report.Posts += parsed.Posts.Count;
            report.Authors += parsed.Authors.Count;
            if (posts.Count >= BatchPosts) Commit();
        }
        Commit();
        if (cut is var (cutEntry, cutOffset, cutReason) && cutEntry > skip) Problem(report, path, cutEntry, cutOffset, cutReason);
        store.SaveImportCheckpoint(new ImportCheckpoint(id, path, done, true, clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>
    /// The entries of the document with their number (1-based) and byte offset. A syntax error ends the
    /// reading (<paramref name="cut"/> says where and why); the entries before it are kept.
    /// </summary>
    internal static List<(long Number, long Offset, JsonElement Value)> Read(byte[] bytes, out (long Entry, long Offset, string Reason)? cut)
    {
        cut = null;
        var entries = new List<(long, long, JsonElement)>();
        var json = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        long number = 0;
        try
        {
            if (!json.Read()) throw new JsonException("the file is empty");
            if (json.TokenType != JsonTokenType.StartArray)
            {
                using var doc = JsonDocument.ParseValue(ref json);
                foreach (var entry in Entries(doc.RootElement)) entries.Add((++number, 0, entry.Clone()));
                return entries;
            }
            while (json.Read() && json.TokenType != JsonTokenType.EndArray)
            {
                number++;
                var offset = json.TokenStartIndex;
                using var entry = JsonDocument.ParseValue(ref json);
                entries.Add((number, offset, entry.RootElement.Clone()));
            }
            if (json.TokenType != JsonTokenType.EndArray) throw new JsonException("the array is not closed");
        }
        catch (JsonException e)
        {
            cut = (Math.Max(1, number), json.TokenStartIndex, $"malformed JSON, reading stopped: {e.Message}");
        }
        return entries;
    }

    /// <summary>The statuses of one document: itself, a search result's statuses, or a context's ancestors and descendants.</summary>
    private static IEnumerable<JsonElement> Entries(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            yield return root;
            yield break;
        }
        var lists = new[] { "statuses", "ancestors", "descendants" }
            .Where(n => root.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.Array).ToList();
        if (lists.Count == 0 || MastodonStatuses.IsStatus(root))
        {
            yield return root;
            yield break;
        }
        foreach (var name in lists)
        {
            foreach (var item in root.GetProperty(name).EnumerateArray()) yield return item;
        }
    }

    private static void Problem(ImportReport report, string name, long entry, long offset, string reason)
    {
        report.BadLines++;
        if (report.Problems.Count < ImportReport.MaxProblemsKept) report.Problems.Add(new ImportProblem(name, entry, $"entry {entry} (byte {offset}): {reason}"));
    }

    private static bool IsCompleteJson(string line)
    {
        try
        {
            using var _ = JsonDocument.Parse(line);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
