using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Archiver.Model;
using Archiver.Storage;

namespace Archiver.Import.Datasets;

/// <summary>
/// Imports Archiver's own JSONL export (docs/export-schema.md) into an archive so that exporting it again
/// gives the same rows: posts with the times the first archive saw them, their earlier versions (exports made
/// with --with-history) replayed as the edits they were, deletions, provenance, authors, and media records
/// with their files (exports made with --with-media). Given <c>posts.jsonl</c>, the <c>media.jsonl</c> and
/// <c>authors.jsonl</c> beside it are read first. Each file has a checkpoint after every committed batch, so an
/// interrupted import continues after its last committed line, and a batch never splits a post's versions.
/// </summary>
public sealed class ExportImport(ArchiveWriter writer, TimeProvider clock)
{
    public int BatchRows { get; init; } = 2000;
    private ArchiveWriter Writer { get; } = writer;
    private ArchiveStore Store { get; } = writer.Store;
    private TimeProvider Clock { get; } = clock;

    /// <summary>Whether <paramref name="path"/> is read by this importer: <c>--format jsonl</c>, or auto and its first row is an export row.</summary>
    public static bool Handles(string path, ImportFormat format)
    {
        if (format == ImportFormat.Jsonl) return true;
        if (format != ImportFormat.Auto || !File.Exists(path)) return false;
        var lower = path.ToLowerInvariant();
        if (lower.EndsWith(".warc", StringComparison.Ordinal) || lower.EndsWith(".warc.gz", StringComparison.Ordinal) || lower.EndsWith(".wacz", StringComparison.Ordinal)) return false;
        foreach (var (_, stream) in InputStreams.Open(path))
        {
            // The first line that some format recognises decides: a garbage line (or a few) before the rows of
            // an export must not hand the whole file to a dataset format that then rejects every row.
            using var reader = new LineReader(stream);
            for (var i = 0; i < 64 && reader.TryRead(out var line); i++)
            {
                if (line.TooLong || string.IsNullOrWhiteSpace(line.Text)) continue;
                try
                {
                    using var doc = JsonDocument.Parse(line.Text);
                    if (ExportRows.Recognises(doc.RootElement)) return true;
                    if (ImportService.Formats.Any(f => f.Recognises(doc.RootElement))) return false;
                }
                catch (JsonException)
                {
                    // Not JSON: look further.
                }
            }
            return false;
        }
        return false;
    }

    public void Import(string path, bool again, ImportReport report, Action<StoreBatchResult>? committed, CancellationToken ct)
    {
        foreach (var table in Tables(path))
        {
            foreach (var (name, stream) in InputStreams.Open(table))
            {
                using (stream)
                {
                    var id = CheckpointId(table, name);
                    var checkpoint = Store.GetImportCheckpoint(id);
                    if (checkpoint is { Finished: true } && !again)
                    {
                        report.SkippedFiles++;
                        continue;
                    }
                    var skip = again ? 0 : checkpoint?.LinesDone ?? 0;
                    report.ResumedFromLine = Math.Max(report.ResumedFromLine, skip);
                    var reader = new TableReader(this, name, id, skip, report, committed);
                    var lines = reader.Read(stream, ct);
                    Store.SaveImportCheckpoint(new ImportCheckpoint(id, name, lines, true, Clock.GetUtcNow().UtcDateTime));
                }
            }
        }
    }

    /// <summary>posts.jsonl brings its media and authors tables (read first); any other file is read alone.</summary>
    private static IEnumerable<string> Tables(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var file = Path.GetFileName(path);
        if (file.StartsWith("posts.", StringComparison.Ordinal))
        {
            foreach (var sibling in new[] { "media", "authors" })
            {
                var candidate = Path.Combine(directory, sibling + file["posts".Length..]);
                if (File.Exists(candidate)) yield return candidate;
            }
        }
        yield return path;
    }

    private static string CheckpointId(string path, string name)
    {
        var info = new FileInfo(path);
        var identity = $"archiver-export|{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}|{name}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..32];
    }

    /// <summary>Reads one table file line by line into batches; a batch is committed only between posts.</summary>
    private sealed class TableReader(ExportImport owner, string name, string checkpointId, long skip, ImportReport report, Action<StoreBatchResult>? committed)
    {
        private readonly List<PostObservation> _posts = [];
        private readonly List<AuthorObservation> _authors = [];
        private readonly List<Media> _media = [];
        private readonly List<Disappearance> _gone = [];
        private readonly List<ExportedPost> _group = [];
        private readonly List<ImportProblem> _problems = [];
        private readonly string _directory = Path.GetDirectoryName(Path.GetFullPath(name.Split('!')[0])) ?? ".";
        private long _line;
        private int _rows;
        private long _detached;

        public long Read(Stream stream, CancellationToken ct)
        {
            using var reader = new LineReader(stream);
            while (reader.TryRead(out var line))
            {
                _line = line.Number;
                if (_line <= skip || (!line.TooLong && string.IsNullOrWhiteSpace(line.Text))) continue;
                ct.ThrowIfCancellationRequested();
                report.Lines++;
                if (line.TooLong) throw reader.TooLong(name, line);
                Row(line.Text!);
                if (_group.Count == 0 && _rows >= owner.BatchRows) Commit();
            }
            EndGroup();
            Commit();
            if (_detached > 0)
                report.Warnings.Add($"{name}: {_detached:N0} capture(s) named a WARC file by a path outside an archive's warc/ folder; they were kept without file and offset (a WARC export will not read that path)");
            return _line;
        }

        private void Row(string text)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text);
            }
            catch (JsonException e)
            {
                Problem($"not JSON: {e.Message}");
                return;
            }
            using (document)
            {
                var row = document.RootElement;
                if (!ExportRows.Recognises(row))
                {
                    Problem("not a row of an Archiver export (no known record_type and schema_version)");
                    return;
                }
                string? error;
                switch (ExportRows.RecordType(row))
                {
                    case "author":
                        if (ExportRows.Author(row, out error) is { } author) AddAuthor(author);
                        break;
                    case "media":
                        if (ExportRows.Media(row, out error) is { } media) error = AddMedia(media);
                        break;
                    default:
                        if (ExportRows.Post(row, out error) is { } post)
                        {
                            error = PostLimits.Oversized(post.Post);
                            if (error is null) AddPost(post);
                        }
                        break;
                }
                if (error is not null) Problem(error);
            }
        }

        /// <summary>Earlier versions come just before their current row: gather them, then store the group in order.</summary>
        private void AddPost(ExportedPost post)
        {
            if (_group.Count > 0 && _group[0].Post.Key != post.Post.Key) EndGroup();
            _group.Add(post);
            if (post.IsCurrent) EndGroup();
        }

        private void EndGroup()
        {
            if (_group.Count == 0) return;
            var start = 0;
            StoredPost? stored = null;
            // Archiver's own export is restored as it was written, language_source included (a round trip
            // gives the same bytes): rows of an export made before languages had a source get them from relabel.
            if (_group.Count > 1)
            {
                // Versions already in the archive (an earlier run of this import) must not be replayed: replaying an
                // old version over a newer one would look like an edit back to it.
                stored = owner.Store.GetPost(_group[0].Post.Key);
                if (stored is not null)
                {
                    for (var i = 0; i < _group.Count; i++)
                    {
                        if (ContentHash.ToHex(ContentHash.Of(_group[i].Post)) == stored.ContentHash) start = Math.Min(i + 1, _group.Count - 1);
                    }
                }
            }
            var now = owner.Clock.GetUtcNow().UtcDateTime;
            for (var i = start; i < _group.Count; i++)
            {
                var row = _group[i];
                var seen = i == start && stored is null ? row.FirstSeen ?? row.VersionSeen : row.VersionSeen ?? row.FirstSeen;
                _posts.Add(new PostObservation(row.Post, seen ?? now, Contained(row.Capture)));
                report.Posts++;
            }
            var current = _group[^1];
            if (current.IsCurrent && current.DeletedAt is { } deletedAt)
                _gone.Add(new Disappearance(current.Post.Key, DisappearanceKind.Post, deletedAt, current.DeletedStatus ?? 0, current.DeletedReason ?? "", null));
            _rows += _group.Count;
            _group.Clear();
        }

        private void AddAuthor(ExportedAuthor row)
        {
            var now = owner.Clock.GetUtcNow().UtcDateTime;
            var first = row.FirstSeen ?? now;
            _authors.Add(new AuthorObservation(row.Author, first, Contained(row.Capture)));
            if (row.LastSeen is { } last && last != first) _authors.Add(new AuthorObservation(row.Author, last));
            if (row.Gone)
                _gone.Add(new Disappearance(row.Author.Key, DisappearanceKind.Author, row.GoneAt ?? now, row.GoneStatus ?? 0, "gone (imported from an export)", null));
            report.Authors++;
            _rows++;
        }

        /// <summary>
        /// A media record is kept only with its file: the export must carry it (--with-media) and its hash must match.
        /// Where the file goes is decided here, from the hash of its bytes, never by the row: a crafted
        /// <c>archive_path</c> naming a file the archive already holds must not overwrite that evidence.
        /// </summary>
        private string? AddMedia(ExportedMedia row)
        {
            var sha = row.Media.Sha256;
            if (sha.Length != 64 || !sha.All(char.IsAsciiHexDigitLower)) return $"media '{Shorten(sha)}': not a SHA-256 (64 lower-case hex digits)";
            if (row.ExportPath is null) return $"media {sha}: the file is not in this export (export with --with-media to carry media files)";
            if (!IsSafeRelative(row.ExportPath)) return $"media {sha}: unsafe path '{row.ExportPath}'";
            var source = Path.Combine(_directory, row.ExportPath);
            if (!File.Exists(source)) return $"media {sha}: {row.ExportPath} is missing from the export";
            if (Sha256Of(source) != sha) return $"media {sha}: {row.ExportPath} does not have that SHA-256";
            // The row's path is kept only when it names the file by this hash (as every archive lays them out),
            // so a re-export gives the same rows; anything else is laid out by the hash here.
            var extension = MediaExtension(row.Media.LocalPath);
            var relative = IsSafeRelative(row.Media.LocalPath) && row.Media.LocalPath.StartsWith("media/", StringComparison.Ordinal)
                && Path.GetFileName(row.Media.LocalPath) == sha + extension
                    ? row.Media.LocalPath
                    : Capturing.MediaStore.RelativePath(sha, extension);
            var target = Path.Combine(owner.Store.Paths.Root, relative);
            if (File.Exists(target))
            {
                // Content-addressed: a file already there is kept as it is, whatever it holds.
                if (Sha256Of(target) != sha) return $"media {sha}: the archive's {relative} does not have that SHA-256; it was left as it is";
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                var temporary = $"{target}.{Guid.NewGuid():N}.importing";
                try
                {
                    File.Copy(source, temporary, overwrite: false);
                    File.Move(temporary, target, overwrite: false);
                }
                finally
                {
                    if (File.Exists(temporary)) File.Delete(temporary);
                }
            }
            _media.Add(row.Media with { LocalPath = relative });
            _rows++;
            return null;
        }

        /// <summary>The extension the row's path gives, when it is a plain short one; else .bin.</summary>
        private static string MediaExtension(string localPath)
        {
            var extension = Path.GetExtension(localPath);
            return extension.Length is > 1 and <= 6 && extension[1..].All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)) ? extension : ".bin";
        }

        private static string Shorten(string text) => text.Length <= 70 ? text : text[..70] + "...";

        /// <summary>
        /// A capture may point into the WARC files of the archive the export came from, by plain file name: a
        /// WARC export of this archive looks for that name in its own warc/ folder only. A path (absolute, with
        /// folders, or into a WACZ) would make a later export read a file the input chose, such as another
        /// archive's WARC: the capture keeps its URL, time, status and hash, without file and offset.
        /// </summary>
        private Capture? Contained(Capture? capture)
        {
            if (capture?.WarcFile is not { } file) return capture;
            if (file.Length > 0 && file.IndexOfAny(['/', '\\', '!', ':']) < 0 && file is not ("." or "..")) return capture;
            _detached++;
            return capture with { WarcFile = null, WarcOffset = null };
        }

        private static bool IsSafeRelative(string path) =>
            !Path.IsPathRooted(path) && !path.Contains('\\') && !path.Split('/').Any(part => part is "" or "." or "..");

        private static string Sha256Of(string path)
        {
            using var file = File.OpenRead(path);
            return Convert.ToHexStringLower(SHA256.HashData(file));
        }

        private void Problem(string reason)
        {
            report.BadLines++;
            if (report.Problems.Count < ImportReport.MaxProblemsKept) report.Problems.Add(new ImportProblem(name, _line, reason));
        }

        private void Commit()
        {
            var batch = new StoreBatch { Posts = _posts.ToList(), Authors = _authors.ToList(), Media = _media.ToList(), Disappearances = _gone.ToList() };
            // The checkpoint is saved once the writer acknowledged the batch's commit.
            var checkpoint = new ImportCheckpoint(checkpointId, name, _line, false, owner.Clock.GetUtcNow().UtcDateTime);
            var result = owner.Writer.Write(batch, _ => owner.Store.SaveImportCheckpoint(checkpoint));
            if (batch.Count > 0)
            {
                report.Inserted += result.Inserted;
                report.Unchanged += result.Unchanged;
                report.Edited += result.Edited;
                committed?.Invoke(result);
            }
            _posts.Clear();
            _authors.Clear();
            _media.Clear();
            _gone.Clear();
            _rows = 0;
        }
    }
}
