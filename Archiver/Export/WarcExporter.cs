using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Archiver.Capturing;

namespace Archiver.Export;

/// <summary>
/// <c>--format warc</c>: the original captures of the exported posts as one WARC file (records copied as
/// stored) with its CDXJ index. <c>--format wacz</c>: the same packaged as WACZ 1.1.1 (archive/, indexes/,
/// pages/pages.jsonl, datapackage.json, datapackage-digest.json) for ReplayWeb.page. With --with-media the
/// captured responses of the posts' media files are copied too (found in the archive's warc/index.cdxj),
/// so a replayed page shows its images.
/// </summary>
public sealed class WarcExporter(ExportDirectory directory, string warcDirectory, bool wacz, string toolVersion, TimeProvider time, bool withMedia = false) : IExporter
{
    private const string WarcName = "data.warc.gz";
    private readonly CaptureCopier _copier = new(warcDirectory);
    private readonly HashSet<string> _mediaUrls = new(StringComparer.Ordinal);
    private long _posts;
    private int _mediaRecords;

    /// <summary>Media responses copied (with --with-media).</summary>
    public int MediaRecords => _mediaRecords;

    /// <summary>A media file's source URL (from the archive's media records) whose capture is to be copied.</summary>
    public void WantMedia(string? url)
    {
        if (withMedia && !string.IsNullOrEmpty(url)) _mediaUrls.Add(url);
    }

    public string Format => wacz ? "wacz" : "warc";
    public bool WantsAuthorsAndMedia => false;

    public IReadOnlyList<string> Warnings => _copier.Warnings;

    public ValueTask WritePostAsync(ExportItem item, CancellationToken ct)
    {
        _copier.Want(item.Source.Capture);
        foreach (var media in item.Source.Post.Media) WantMedia(media.Url);
        foreach (var earlier in item.History)
        {
            _copier.Want(earlier.Capture);
            foreach (var media in earlier.Post.Media) WantMedia(media.Url);
        }
        _posts++;
        return ValueTask.CompletedTask;
    }

    public ValueTask WriteAuthorAsync(AuthorRow row, CancellationToken ct) => ValueTask.CompletedTask;
    public ValueTask WriteMediaAsync(MediaRow row, CancellationToken ct) => ValueTask.CompletedTask;

    /// <summary>
    /// Finds the media responses in the crawl's CDXJ index (the newest successful capture of each URL) and
    /// adds them to the records to copy; media without a capture there (imported, or fetched before WARC
    /// capture of media) are counted in a warning.
    /// </summary>
    private void WantMediaCaptures()
    {
        if (_mediaUrls.Count == 0) return;
        var index = Path.Combine(warcDirectory, "index.cdxj");
        var found = new Dictionary<string, CdxjEntry>(StringComparer.Ordinal);
        if (File.Exists(index))
        {
            foreach (var entry in CdxjIndex.Read(index))
            {
                if (entry.Type != "response" || entry.Status is not (>= 200 and < 300) || !_mediaUrls.Contains(entry.Url)) continue;
                if (!found.TryGetValue(entry.Url, out var known) || entry.Date >= known.Date) found[entry.Url] = entry;
            }
        }
        foreach (var entry in found.Values) _copier.Want(new Model.Capture { Url = entry.Url, FetchedAt = entry.Date.UtcDateTime, WarcFile = entry.Filename, WarcOffset = entry.Offset });
        _mediaRecords = found.Count;
        if (found.Count < _mediaUrls.Count)
            _copier.Warn($"{_mediaUrls.Count - found.Count} of {_mediaUrls.Count} media URLs have no capture in the archive's warc/index.cdxj (imported, or not downloaded); not copied");
    }

    public async ValueTask<IReadOnlyList<ExportedFile>> CompleteAsync(CancellationToken ct)
    {
        WantMediaCaptures();
        var warcPath = directory.PathOf(wacz ? "data.warc.gz.tmp" : WarcName);
        List<CdxjEntry> entries;
        await using (var output = new FileStream(warcPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            entries = _copier.CopyTo(output, WarcName, ct);
            output.Flush(flushToDisk: true);
        }
        var cdxj = entries.Select(e => e.ToLine()).Order(StringComparer.Ordinal).ToList();
        if (!wacz)
        {
            await File.WriteAllLinesAsync(directory.PathOf("index.cdxj"), cdxj, ct);
            return
            [
                new ExportedFile { Path = WarcName, Name = "captures", Format = "warc", MediaType = "application/warc", Description = $"The original HTTP captures of the {_posts} exported posts{(withMedia ? $" and of {_mediaRecords} media files" : "")}, gzip per record.", Rows = entries.Count },
                new ExportedFile { Path = "index.cdxj", Name = "index", Format = "cdxj", MediaType = "text/plain", Description = "CDXJ index of data.warc.gz.", Rows = cdxj.Count },
            ];
        }
        var waczPath = directory.PathOf("archive.wacz");
        await WriteWaczAsync(waczPath, warcPath, cdxj, entries, ct);
        File.Delete(warcPath);
        return
        [
            new ExportedFile { Path = "archive.wacz", Name = "wacz", Format = "wacz", MediaType = "application/wacz", Description = $"WACZ 1.1.1 package of the original captures of the {_posts} exported posts{(withMedia ? $" and of {_mediaRecords} media files" : "")}.", Rows = entries.Count },
        ];
    }

    private async Task WriteWaczAsync(string waczPath, string warcPath, List<string> cdxj, List<CdxjEntry> entries, CancellationToken ct)
    {
        var resources = new List<object>();
        await using var file = new FileStream(waczPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
        {
            // WARCs are already gzip: stored, not deflated again (what the WACZ spec recommends).
            await AddFileAsync(zip, "archive/" + WarcName, warcPath, CompressionLevel.NoCompression, resources, ct);
            await AddTextAsync(zip, "indexes/index.cdxj", string.Join('\n', cdxj) + (cdxj.Count > 0 ? "\n" : ""), resources, ct);
            var pages = new StringBuilder();
            pages.Append(JsonSerializer.Serialize(new Dictionary<string, string> { ["format"] = "json-pages-1.0", ["id"] = "pages", ["title"] = "Exported posts' pages" })).Append('\n');
            // Pages are what the posts were captured from; media files are resources of those pages.
            foreach (var entry in entries.Where(e => !_mediaUrls.Contains(e.Url)).DistinctBy(e => e.Url).OrderBy(e => e.Url, StringComparer.Ordinal))
            {
                pages.Append(JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["id"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(entry.Url)))[..32],
                    ["url"] = entry.Url,
                    ["ts"] = entry.Date.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                })).Append('\n');
            }
            await AddTextAsync(zip, "pages/pages.jsonl", pages.ToString(), resources, ct);
            var package = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["profile"] = "data-package",
                ["wacz_version"] = "1.1.1",
                ["title"] = "Archiver export",
                ["created"] = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                ["software"] = $"archiver {toolVersion}",
                ["mainPageUrl"] = entries.FirstOrDefault(e => !_mediaUrls.Contains(e.Url))?.Url ?? "",
                ["resources"] = resources,
            }, new JsonSerializerOptions { WriteIndented = true });
            await AddTextAsync(zip, "datapackage.json", package, resources: null, ct);
            var digest = JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["path"] = "datapackage.json",
                ["hash"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(package))),
            }, new JsonSerializerOptions { WriteIndented = true });
            await AddTextAsync(zip, "datapackage-digest.json", digest, resources: null, ct);
        }
        file.Flush(flushToDisk: true);
    }

    private static async Task AddFileAsync(ZipArchive zip, string name, string path, CompressionLevel level, List<object> resources, CancellationToken ct)
    {
        var entry = zip.CreateEntry(name, level);
        await using var target = entry.Open();
        await using var source = File.OpenRead(path);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long bytes = 0;
        int n;
        while ((n = await source.ReadAsync(buffer, ct)) > 0)
        {
            sha.AppendData(buffer, 0, n);
            await target.WriteAsync(buffer.AsMemory(0, n), ct);
            bytes += n;
        }
        resources.Add(Resource(name, sha.GetHashAndReset(), bytes));
    }

    private static async Task AddTextAsync(ZipArchive zip, string name, string text, List<object>? resources, CancellationToken ct)
    {
        var bytes = new UTF8Encoding(false).GetBytes(text);
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        await using (var target = entry.Open()) await target.WriteAsync(bytes, ct);
        resources?.Add(Resource(name, SHA256.HashData(bytes), bytes.Length));
    }

    private static Dictionary<string, object> Resource(string path, byte[] hash, long bytes) => new()
    {
        ["name"] = Path.GetFileName(path),
        ["path"] = path,
        ["hash"] = "sha256:" + Convert.ToHexStringLower(hash),
        ["bytes"] = bytes,
    };

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
