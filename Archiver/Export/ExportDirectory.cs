namespace Archiver.Export;

/// <summary>
/// Where an export is written: a hidden staging directory next to the target (<c>.NAME.partial-XXXX</c>),
/// renamed to the target only when everything, manifest included, is on disk. An interrupted export
/// therefore never leaves a directory that looks complete at the target path. Every path written is
/// checked to stay inside the staging directory.
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
            if (!IsReplaceable(target))
                throw new UsageException($"{target} exists and is not an earlier export (no manifest-sha256.txt); refusing to replace it even with --force.");
        }
        var parent = Path.GetDirectoryName(target) ?? throw new UsageException($"--out {target} has no parent directory.");
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, "." + Path.GetFileName(target) + PartialMarker + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(staging);
        return new ExportDirectory(target, staging);
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

    private static bool IsReplaceable(string directory) =>
        !Directory.EnumerateFileSystemEntries(directory).Any() || File.Exists(Path.Combine(directory, Manifest.ChecksumFile));
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
