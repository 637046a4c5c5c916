namespace Archiver.Export.Verification;

/// <summary>
/// Checks an export directory against its <c>manifest-sha256.txt</c>: every listed file exists and has
/// its SHA-256, and no file is present that the manifest does not list (a file added after the export).
/// </summary>
public static class ExportVerifier
{
    public static VerifyReport Verify(string directory, CancellationToken ct)
    {
        var root = Path.GetFullPath(directory);
        var manifest = Path.Combine(root, Manifest.ChecksumFile);
        var problems = new List<VerifyProblem>();
        if (!File.Exists(manifest))
        {
            problems.Add(new(Manifest.ChecksumFile, "missing: this directory is not a complete export (an interrupted one has no manifest)"));
            return new VerifyReport { Path = root, Target = VerifyTarget.Export, FilesChecked = 0, Problems = problems };
        }
        var listed = new HashSet<string>(StringComparer.Ordinal);
        var lineNumber = 0;
        long checkedFiles = 0;
        foreach (var line in File.ReadLines(manifest))
        {
            ct.ThrowIfCancellationRequested();
            lineNumber++;
            if (line.Length == 0) continue;
            var split = line.IndexOf("  ", StringComparison.Ordinal);
            if (split != 64 || !MediaCopier.IsSha256(line[..64]))
            {
                problems.Add(new(Manifest.ChecksumFile, $"line {lineNumber} is not '<sha256>  <path>'"));
                continue;
            }
            var expected = line[..64].ToLowerInvariant();
            var relative = line[66..];
            if (!listed.Add(relative))
            {
                problems.Add(new(relative, "listed twice in the manifest"));
                continue;
            }
            string full;
            try
            {
                full = SafePath.Resolve(root, relative);
            }
            catch (ArchiverException)
            {
                problems.Add(new(relative, "path leaves the export directory"));
                continue;
            }
            if (!File.Exists(full))
            {
                problems.Add(new(relative, "missing"));
                continue;
            }
            var actual = Manifest.Sha256(full);
            checkedFiles++;
            if (actual != expected) problems.Add(new(relative, $"checksum mismatch: manifest {expected}, file {actual}"));
        }
        foreach (var path in Manifest.ListFiles(root))
        {
            if (path != Manifest.ChecksumFile && !listed.Contains(path)) problems.Add(new(path, "not listed in the manifest (added after the export?)"));
        }
        return new VerifyReport { Path = root, Target = VerifyTarget.Export, FilesChecked = checkedFiles, Problems = problems };
    }
}
