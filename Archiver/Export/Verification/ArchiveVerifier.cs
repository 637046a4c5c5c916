using System.Security.Cryptography;
using Archiver.Storage;

namespace Archiver.Export.Verification;

/// <summary>One integrity check of an archive directory. WARC re-hashing is another implementation, added with the WARC reader.</summary>
public interface IArchiveCheck
{
    string Name { get; }
    /// <summary>Runs the check, adding what it finds wrong; returns how many files it checked.</summary>
    long Run(ArchiveStore store, List<VerifyProblem> problems, CancellationToken ct);
}

/// <summary>Runs every <see cref="IArchiveCheck"/> against an archive opened read-only.</summary>
public sealed class ArchiveVerifier(IReadOnlyList<IArchiveCheck> checks, IReadOnlyList<string> notYetAvailable)
{
    /// <summary>Every check: media files and WARC records against the store.</summary>
    public static ArchiveVerifier Default() => new([new MediaCheck(), new WarcCheck()], []);

    public VerifyReport Verify(ArchiveStore store, CancellationToken ct)
    {
        var problems = new List<VerifyProblem>();
        long files = 0;
        foreach (var check in checks) files += check.Run(store, problems, ct);
        return new VerifyReport { Path = store.Paths.Root, Target = VerifyTarget.Archive, FilesChecked = files, Problems = problems, Skipped = notYetAvailable };
    }
}

/// <summary>
/// Every media record's file exists inside the archive, has the recorded size, and its bytes hash to the
/// SHA-256 the record (and the file name) says; files in media/ that no record mentions are reported too.
/// </summary>
public sealed class MediaCheck : IArchiveCheck
{
    public string Name => "media";

    public long Run(ArchiveStore store, List<VerifyProblem> problems, CancellationToken ct)
    {
        var root = store.Paths.Root;
        var known = new HashSet<string>(StringComparer.Ordinal);
        long files = 0;
        foreach (var media in store.ScanMedia())
        {
            ct.ThrowIfCancellationRequested();
            var full = Path.GetFullPath(Path.Combine(root, media.LocalPath));
            var relative = Path.GetRelativePath(root, full).Replace(Path.DirectorySeparatorChar, '/');
            if (!SafePath.IsInside(root, full))
            {
                problems.Add(new(media.LocalPath, $"media {media.Sha256}: path leaves the archive directory"));
                continue;
            }
            known.Add(relative);
            if (!File.Exists(full))
            {
                problems.Add(new(relative, $"media {media.Sha256}: file missing"));
                continue;
            }
            files++;
            var actual = Hash(full);
            if (!string.Equals(actual, media.Sha256, StringComparison.OrdinalIgnoreCase))
                problems.Add(new(relative, $"checksum mismatch: record {media.Sha256}, file {actual}"));
            else if (new FileInfo(full).Length != media.Size && media.Size > 0)
                problems.Add(new(relative, $"size mismatch: record {media.Size} bytes, file {new FileInfo(full).Length}"));
            var name = Path.GetFileNameWithoutExtension(full);
            if (MediaCopier.IsSha256(name) && !string.Equals(name, media.Sha256, StringComparison.OrdinalIgnoreCase))
                problems.Add(new(relative, $"file name says {name} but the record says {media.Sha256}"));
        }
        if (Directory.Exists(store.Paths.Media))
        {
            foreach (var file in Directory.EnumerateFiles(store.Paths.Media, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
                if (known.Contains(relative)) continue;
                files++;
                // A file named by its hash can still be checked against its own name.
                var name = Path.GetFileNameWithoutExtension(file);
                if (MediaCopier.IsSha256(name) && !string.Equals(Hash(file), name, StringComparison.OrdinalIgnoreCase))
                    problems.Add(new(relative, "no media record, and its bytes do not match its SHA-256 name"));
                else if (!MediaCopier.IsSha256(name))
                    problems.Add(new(relative, "no media record mentions this file"));
            }
        }
        return files;
    }

    private static string Hash(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
