namespace Archiver.Export;

/// <summary>
/// Where an export is written: a hidden staging directory next to the target (<c>.NAME.partial-PID-XXXX</c>),
/// renamed to the target only when everything, manifest included, is on disk. An interrupted export
/// therefore never leaves a directory that looks complete at the target path. Every path written is
/// checked to stay inside the staging directory. The staging name carries the exporting process's id, so
/// the next export to the same target removes the staging directories of killed exports (owner gone) and
/// leaves those of running ones alone.
/// </summary>
public sealed class ExportDirectory : IDisposable
{
    private const string PartialMarker = ".partial-";
    private bool _committed;

    private ExportDirectory(string target, string staging)
    {
        Target = target;
        Staging = staging;
    }

    public string Target { get; }
    public string Staging { get; }

    /// <summary>Refuses an existing target without <paramref name="force"/>; with it, only replaces a previous export.</summary>
    public static ExportDirectory Create(string outPath, bool force)
    {
        if (string.IsNullOrWhiteSpace(outPath)) throw new UsageException("--out PATH is required.");
        var target = Path.GetFullPath(outPath).TrimEnd(Path.DirectorySeparatorChar);
        if (File.Exists(target)) throw new UsageException($"--out {target} is a file; give a directory path for the export.");
        if (Directory.Exists(target))
        {
            if (!force) throw new UsageException($"{target} already exists; choose another --out or pass --force to replace it.");
            if (NotWrittenByAnExport(target) is { } reason)
                throw new UsageException($"{target} is not an earlier export, so --force does not replace it: {reason}. Nothing was deleted; choose another --out.");
        }
        var parent = Path.GetDirectoryName(target) ?? throw new UsageException($"--out {target} has no parent directory.");
        Directory.CreateDirectory(parent);
        RemoveAbandonedStaging(parent, Path.GetFileName(target));
        var staging = Path.Combine(parent, StagingPrefix(Path.GetFileName(target)) + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)
            + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(staging);
        return new ExportDirectory(target, staging);
    }

    private static string StagingPrefix(string name) => "." + name + PartialMarker;

    /// <summary>
    /// Deletes the staging directories of earlier exports to the same target whose process is gone (killed,
    /// crashed, powered off). Only names this class makes are touched, and only when the owner is not running.
    /// </summary>
    private static void RemoveAbandonedStaging(string parent, string name)
    {
        var prefix = StagingPrefix(name);
        foreach (var dir in Directory.EnumerateDirectories(parent, prefix + "*"))
        {
            var rest = Path.GetFileName(dir)[prefix.Length..];
            var dash = rest.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !int.TryParse(rest.AsSpan(0, dash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)) continue;
            if (Capturing.OwnerProcess.IsRunning(pid)) continue;
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: it stays hidden, and the next export tries again.
            }
            catch (UnauthorizedAccessException)
            {
                // Someone else's directory: not ours to remove.
            }
        }
    }

    /// <summary>The full path of <paramref name="relative"/> inside the staging directory; throws if it would leave it.</summary>
    public string PathOf(string relative) => SafePath.Resolve(Staging, relative);

    public string CreateSubdirectory(string relative)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Moves the finished export to the target path (replacing an earlier export when forced).</summary>
    public void Commit()
    {
        string? old = null;
        if (Directory.Exists(Target))
        {
            old = Target + ".old-" + Guid.NewGuid().ToString("N")[..8];
            Directory.Move(Target, old);
        }
        Directory.Move(Staging, Target);
        _committed = true;
        if (old is not null) Directory.Delete(old, recursive: true);
    }

    /// <summary>Removes the staging directory of a failed or cancelled export (a killed process leaves it behind, hidden).</summary>
    public void Dispose()
    {
        if (_committed) return;
        try
        {
            if (Directory.Exists(Staging)) Directory.Delete(Staging, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the staging directory is hidden and never looks like a finished export.
        }
    }

    /// <summary>
    /// Null when <paramref name="directory"/> is empty or holds only what an earlier export wrote: its manifest
    /// lists every other file (datapackage.json included), so replacing it deletes nothing else. Otherwise why not.
    /// </summary>
    private static string? NotWrittenByAnExport(string directory)
    {
        var files = Manifest.ListFiles(directory);
        if (files.Count == 0) return null;
        var manifest = Path.Combine(directory, Manifest.ChecksumFile);
        var listed = new HashSet<string>(StringComparer.Ordinal);
        string? manifestProblem = File.Exists(manifest) ? null : $"it has no {Manifest.ChecksumFile}";
        if (manifestProblem is null)
        {
            foreach (var line in File.ReadLines(manifest))
            {
                if (line.Length == 0) continue;
                if (line.Length < 67 || line[64..66] != "  ")
                {
                    manifestProblem = $"its {Manifest.ChecksumFile} is not an export manifest";
                    listed.Clear();
                    break;
                }
                listed.Add(line[66..]);
            }
            if (manifestProblem is null && listed.Count == 0) manifestProblem = $"its {Manifest.ChecksumFile} is empty";
        }
        var foreign = files.Where(f => f != Manifest.ChecksumFile && !listed.Contains(f)).ToList();
        if (manifestProblem is null && foreign.Count == 0) return null;
        var reasons = new List<string>();
        if (manifestProblem is not null) reasons.Add(manifestProblem);
        if (foreign.Count > 0)
            reasons.Add($"{foreign.Count} file(s) in it were not written by an export ({string.Join(", ", foreign.Take(5))}{(foreign.Count > 5 ? ", ..." : "")})");
        return string.Join("; ", reasons);
    }
}

/// <summary>Path checks for everything an export writes: relative, no "..", no rooted or drive paths, no control characters.</summary>
public static class SafePath
{
    public static string Resolve(string root, string relative)
    {
        if (string.IsNullOrEmpty(relative) || Path.IsPathRooted(relative) || relative.Contains('\\') || relative.Any(char.IsControl))
            throw new ArchiverException($"Refusing to write '{relative}': not a plain relative path inside the export.");
        var parts = relative.Split('/');
        if (parts.Any(p => p is "" or "." or ".."))
            throw new ArchiverException($"Refusing to write '{relative}': not a plain relative path inside the export.");
        var full = Path.GetFullPath(Path.Combine(root, relative));
        var prefix = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        if (!full.StartsWith(prefix, StringComparison.Ordinal))
            throw new ArchiverException($"Refusing to write '{relative}': it resolves outside the export directory.");
        return full;
    }

    /// <summary>True when <paramref name="path"/> is inside <paramref name="root"/> (after resolving "..").</summary>
    public static bool IsInside(string root, string path)
    {
        var prefix = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return Path.GetFullPath(path).StartsWith(prefix, StringComparison.Ordinal);
    }
}
