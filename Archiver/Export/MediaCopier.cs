using System.Security.Cryptography;
using Archiver.Model;

namespace Archiver.Export;

/// <summary>
/// Copies media files from the archive into <c>media/</c> of the export, named by their SHA-256 (plus a
/// safe extension). Source paths must stay inside the archive directory and target names are built from
/// the hash only, so a damaged or hostile record cannot read or write elsewhere. The bytes are re-hashed
/// while copying; a file that does not match its hash is skipped with a warning.
/// </summary>
public sealed class MediaCopier(string archiveRoot, ExportDirectory directory)
{
    public const string Folder = "media";
    private readonly List<string> _warnings = [];

    public long Copied { get; private set; }
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Copies the file of <paramref name="media"/> once; returns its path inside the export, or null when skipped.</summary>
    public string? Copy(Media media)
    {
        if (!IsSha256(media.Sha256))
        {
            Warn($"media record '{media.Sha256}' has no valid SHA-256 name; skipped");
            return null;
        }
        var relative = $"{Folder}/{media.Sha256}{Extension(media.LocalPath)}";
        var target = directory.PathOf(relative);
        if (File.Exists(target)) return relative;
        var source = Path.GetFullPath(Path.Combine(archiveRoot, media.LocalPath));
        if (!SafePath.IsInside(archiveRoot, source))
        {
            Warn($"media {media.Sha256}: its path '{media.LocalPath}' leaves the archive directory; skipped");
            return null;
        }
        if (!File.Exists(source))
        {
            Warn($"media {media.Sha256}: file {media.LocalPath} is missing from the archive; skipped");
            return null;
        }
        Directory.CreateDirectory(directory.PathOf(Folder));
        var temp = target + ".tmp";
        string hash;
        using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            var buffer = new byte[1 << 16];
            int n;
            while ((n = input.Read(buffer)) > 0)
            {
                sha.AppendData(buffer, 0, n);
                output.Write(buffer, 0, n);
            }
            hash = Convert.ToHexStringLower(sha.GetHashAndReset());
        }
        if (!string.Equals(hash, media.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(temp);
            Warn($"media {media.Sha256}: file {media.LocalPath} hashes to {hash}; damaged, skipped (run 'archiver verify')");
            return null;
        }
        File.Move(temp, target);
        Copied++;
        return relative;
    }

    public static bool IsSha256(string value) => value.Length == 64 && value.All(char.IsAsciiHexDigit);

    /// <summary>The archive file's extension when it is short and alphanumeric, else none.</summary>
    private static string Extension(string localPath)
    {
        var ext = Path.GetExtension(localPath);
        return ext.Length is > 1 and <= 9 && ext[1..].All(char.IsAsciiLetterOrDigit) ? ext.ToLowerInvariant() : "";
    }

    private void Warn(string message)
    {
        if (_warnings.Count < 1000) _warnings.Add(message);
    }
}
