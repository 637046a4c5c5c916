namespace Archiver.Export.Verification;

/// <summary>
/// Checks an export directory against its <c>manifest-sha256.txt</c>: every listed file exists and has
/// its SHA-256, and no file is present that the manifest does not list (a file added after the export).
/// Then <c>datapackage.json</c> against the manifest: every resource it describes must be listed there
/// with the same SHA-256, so a table deleted together with its manifest line is still found missing.
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
        var listed = new Dictionary<string, string>(StringComparer.Ordinal);
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
            if (!listed.TryAdd(relative, expected))
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
            if (path != Manifest.ChecksumFile && !listed.ContainsKey(path)) problems.Add(new(path, "not listed in the manifest (added after the export?)"));
        }
        CheckPackage(root, listed, problems);
        return new VerifyReport { Path = root, Target = VerifyTarget.Export, FilesChecked = checkedFiles, Problems = problems };
    }

    /// <summary>Every resource of datapackage.json is in the manifest with the same hash (and on disk).</summary>
    private static void CheckPackage(string root, Dictionary<string, string> listed, List<VerifyProblem> problems)
    {
        var package = Path.Combine(root, Manifest.PackageFile);
        if (!File.Exists(package)) return; // listed → already reported missing; never written → nothing to compare
        System.Text.Json.JsonDocument json;
        try
        {
            json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(package));
        }
        catch (System.Text.Json.JsonException e)
        {
            problems.Add(new(Manifest.PackageFile, $"not valid JSON: {e.Message}"));
            return;
        }
        using (json)
        {
            if (!json.RootElement.TryGetProperty("resources", out var resources) || resources.ValueKind != System.Text.Json.JsonValueKind.Array)
            {
                problems.Add(new(Manifest.PackageFile, "has no resources list"));
                return;
            }
            foreach (var resource in resources.EnumerateArray())
            {
                if (!resource.TryGetProperty("path", out var pathValue) || pathValue.GetString() is not { Length: > 0 } path)
                {
                    problems.Add(new(Manifest.PackageFile, "a resource has no path"));
                    continue;
                }
                var onDisk = SafePath.IsInside(root, Path.Combine(root, path)) && File.Exists(Path.Combine(root, path));
                if (!listed.TryGetValue(path, out var manifestHash))
                {
                    problems.Add(new(path, $"listed in {Manifest.PackageFile} but not in {Manifest.ChecksumFile}"
                        + (onDisk ? "" : ", and the file is missing")));
                    continue;
                }
                var hash = resource.TryGetProperty("hash", out var h) ? h.GetString() : null;
                if (hash is null || !hash.StartsWith("sha256:", StringComparison.Ordinal)) continue;
                if (!string.Equals(hash["sha256:".Length..], manifestHash, StringComparison.OrdinalIgnoreCase))
                    problems.Add(new(path, $"{Manifest.PackageFile} gives sha256 {hash["sha256:".Length..]}, {Manifest.ChecksumFile} gives {manifestHash}: one of them was changed after the export"));
            }
        }
    }
}
