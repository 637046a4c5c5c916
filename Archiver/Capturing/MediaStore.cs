using System.Security.Cryptography;

namespace Archiver.Capturing;

/// <summary>A media file as stored: its identity (SHA-256 of the bytes) and where it lives.</summary>
public sealed record StoredMediaFile(string Sha256, long Size, string Mime, string RelativePath, bool IsNew);

/// <summary>
/// Content-addressed files under <c>media/ab/cd/&lt;sha256&gt;.&lt;ext&gt;</c>: the same bytes are stored once,
/// a file appears only complete (written to a temporary name, then renamed), and nothing over the size
/// limit is kept. The temporary name carries the writing process's id, so a later store removes what a
/// killed process left (its owner gone) without touching files another running process is writing.
/// </summary>
public sealed partial class MediaStore
{
    private readonly string _archiveRoot;
    private readonly string _mediaRoot;

    public MediaStore(string archiveRoot, long maxBytes)
    {
        _archiveRoot = Path.GetFullPath(archiveRoot);
        _mediaRoot = Path.Combine(_archiveRoot, "media");
        MaxBytes = maxBytes;
        Directory.CreateDirectory(_mediaRoot);
        RemovedTemporaries = RemoveAbandonedTemporaries(_mediaRoot);
    }

    /// <summary>How many temporary files of killed processes the constructor removed.</summary>
    public int RemovedTemporaries { get; }

    /// <summary>Files named by an older version (no process id) are removed once this old: a write takes milliseconds.</summary>
    private static readonly TimeSpan UnownedTemporaryAge = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Deletes <c>media/**/NAME.PID-XXXXXXXX.tmp</c> files whose process is no longer running (a crawl killed
    /// between writing and renaming): nothing refers to them, and <c>archiver verify</c> reports them.
    /// </summary>
    private static int RemoveAbandonedTemporaries(string mediaRoot)
    {
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(mediaRoot, "*.tmp", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(file);
            var match = TemporaryName().Match(name);
            bool abandoned;
            if (match.Groups["pid"].Success)
            {
                var pid = int.Parse(match.Groups["pid"].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);
                abandoned = !OwnerProcess.IsRunning(pid);
            }
            else
            {
                abandoned = match.Success && DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > UnownedTemporaryAge;
            }
            if (!abandoned) continue;
            try
            {
                File.Delete(file);
                removed++;
            }
            catch (IOException)
            {
                // Best effort: tried again by the next store.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to remove.
            }
        }
        return removed;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[0-9a-f]{64}(\.[A-Za-z0-9]+)?\.(?:(?<pid>[0-9]{1,10})-)?[0-9a-f]{8}\.tmp$")]
    private static partial System.Text.RegularExpressions.Regex TemporaryName();

    public long MaxBytes { get; }

    /// <summary>Stores the bytes; null when they exceed <see cref="MaxBytes"/>.</summary>
    public StoredMediaFile? Store(ReadOnlySpan<byte> bytes, string? mime, string? sourceUrl)
    {
        if (bytes.Length > MaxBytes) return null;
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var kind = NormalizeMime(mime);
        var relative = RelativePath(sha, Extension(kind, sourceUrl));
        var full = Path.Combine(_archiveRoot, relative);
        if (File.Exists(full)) return new StoredMediaFile(sha, bytes.Length, kind, relative, IsNew: false);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return new StoredMediaFile(sha, bytes.Length, kind, relative, IsNew: true);
    }

    public string FullPath(string relativePath) => Path.Combine(_archiveRoot, relativePath);

    public static string RelativePath(string sha256, string extension) =>
        Path.Combine("media", sha256[..2], sha256[2..4], sha256 + extension).Replace('\\', '/');

    private static string NormalizeMime(string? mime) =>
        string.IsNullOrWhiteSpace(mime) ? "application/octet-stream" : mime.Split(';')[0].Trim().ToLowerInvariant();

    private static string Extension(string mime, string? sourceUrl)
    {
        var known = mime switch
        {
            "image/jpeg" => ".jpg",
            "image/png" => ".png",
            "image/gif" => ".gif",
            "image/webp" => ".webp",
            "image/svg+xml" => ".svg",
            "video/mp4" => ".mp4",
            "video/webm" => ".webm",
            "audio/mpeg" => ".mp3",
            "audio/ogg" => ".ogg",
            "application/pdf" => ".pdf",
            _ => null,
        };
        if (known is not null) return known;
        if (sourceUrl is not null && Uri.TryCreate(sourceUrl, UriKind.Absolute, out var uri))
        {
            var ext = Path.GetExtension(uri.AbsolutePath).ToLowerInvariant();
            if (ext.Length is > 1 and <= 6 && ext[1..].All(char.IsAsciiLetterOrDigit)) return ext;
        }
        return ".bin";
    }
}
