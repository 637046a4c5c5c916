using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Archiver.Capturing;

namespace Archiver.Export;

/// <summary>
/// <c>--format warc</c>: the original captures of the exported posts as one WARC file (records copied as
/// stored) with its CDXJ index. <c>--format wacz</c>: the same packaged as WACZ 1.1.1 (archive/, indexes/,
/// pages/pages.jsonl, datapackage.json, datapackage-digest.json) for ReplayWeb.page.
/// </summary>
public sealed class WarcExporter(ExportDirectory directory, string warcDirectory, bool wacz, string toolVersion, TimeProvider time) : IExporter
{
    private const string WarcName = "data.warc.gz";
    private readonly CaptureCopier _copier = new(warcDirectory);
    private long _posts;

    public string Format => wacz ? "wacz" : "warc";
    public bool WantsAuthorsAndMedia => false;

    public IReadOnlyList<string> Warnings => _copier.Warnings;

    public ValueTask WritePostAsync(ExportItem item, CancellationToken ct)
    {
        _copier.Want(item.Source.Capture);
        _posts++;
        return ValueTask.CompletedTask;
    }

    public ValueTask WriteAuthorAsync(AuthorRow row, CancellationToken ct) => ValueTask.CompletedTask;
    public ValueTask WriteMediaAsync(MediaRow row, CancellationToken ct) => ValueTask.CompletedTask;

    public async ValueTask<IReadOnlyList<ExportedFile>> CompleteAsync(CancellationToken ct)
    {
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
                new ExportedFile { Path = WarcName, Name = "captures", Format = "warc", MediaType = "application/warc", Description = $"The original HTTP captures of the {_posts} exported posts, records copied as archived.", Rows = entries.Count },
                new ExportedFile { Path = "index.cdxj", Name = "index", Format = "cdxj", MediaType = "text/plain", Description = "CDXJ index of data.warc.gz.", Rows = cdxj.Count },
            ];
        }
        var waczPath = directory.PathOf("archive.wacz");
        await WriteWaczAsync(waczPath, warcPath, cdxj, entries, ct);
        File.Delete(warcPath);
        return
        [
            new ExportedFile { Path = "archive.wacz", Name = "wacz", Format = "wacz", MediaType = "application/wacz", Description = $"WACZ 1.1.1 package of the original captures of the {_posts} exported posts.", Rows = entries.Count },
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
            foreach (var entry in entries.DistinctBy(e => e.Url).OrderBy(e => e.Url, StringComparer.Ordinal))
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
                ["mainPageUrl"] = entries.Count > 0 ? entries[0].Url : "",
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
