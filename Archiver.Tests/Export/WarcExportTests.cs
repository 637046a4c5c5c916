using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Archiver.Capturing;
using Archiver.Replica;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Export;

public sealed class WarcExportTests
{
    private static async Task<string> CrawlTelegram(TempArchive dir)
    {
        await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 5, Size = ReplicaSize.Small, LogRequests = false }, TestContext.Current.CancellationToken);
        var seeds = replica.Seeds.Where(s => s.StartsWith("telegram:", StringComparison.Ordinal)).Take(2).ToList();
        var data = dir.File("archive");
        var crawl = await Support.Cli.RunAsync(["crawl", "--data", data, "--allow-private", "--rate", "0", "--no-media", "-q", .. seeds]);
        Assert.True(crawl.ExitCode == 0, crawl.Error);
        return data;
    }

    [Fact]
    public async Task A_warc_export_holds_the_original_captures_of_the_exported_posts_byte_for_byte()
    {
        using var dir = new TempArchive();
        var data = await CrawlTelegram(dir);
        var output = dir.File("warc-export");

        var result = await Support.Cli.RunAsync(["--data", data, "-q", "export", "--format", "warc", "--out", output]);

        Assert.True(result.ExitCode == 0, result.Error);
        var records = WarcReader.Read(Path.Combine(output, "data.warc.gz"), new WarcReadOptions { Strict = true }).ToList();
        var responses = records.Where(r => r.Type == "response").ToList();
        Assert.Equal(responses.Count, records.Count(r => r.Type == "request"));
        Assert.All(records, r => Assert.True(r.BlockDigestMatches(), $"digest of {r.Type} {r.TargetUri}"));
        using var store = ArchiveStore.Open(data, readOnly: true);
        var captured = store.ScanPosts().Select(p => p.Capture!.Url).ToHashSet();
        Assert.Equal(captured.Order(), responses.Select(r => r.TargetUri!).Distinct().Order());
        Assert.Equal(responses.Count, File.ReadAllLines(Path.Combine(output, "index.cdxj")).Length);
        Assert.Equal(0, (await Support.Cli.RunAsync("verify", output)).ExitCode);
    }

    [Fact]
    public async Task A_wacz_export_is_a_valid_package_with_index_pages_and_digests()
    {
        using var dir = new TempArchive();
        var data = await CrawlTelegram(dir);
        var output = dir.File("wacz-export");

        var result = await Support.Cli.RunAsync(["--data", data, "-q", "export", "--format", "wacz", "--out", output]);

        Assert.True(result.ExitCode == 0, result.Error);
        using var zip = ZipFile.OpenRead(Path.Combine(output, "archive.wacz"));
        Assert.Equal(["archive/data.warc.gz", "datapackage-digest.json", "datapackage.json", "indexes/index.cdxj", "pages/pages.jsonl"],
            zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        var package = Read(zip, "datapackage.json");
        using var digest = JsonDocument.Parse(Read(zip, "datapackage-digest.json"));
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(package))), digest.RootElement.GetProperty("hash").GetString());
        using var json = JsonDocument.Parse(package);
        Assert.Equal("1.1.1", json.RootElement.GetProperty("wacz_version").GetString());
        foreach (var resource in json.RootElement.GetProperty("resources").EnumerateArray())
        {
            using var stream = zip.GetEntry(resource.GetProperty("path").GetString()!)!.Open();
            Assert.Equal(resource.GetProperty("hash").GetString(), "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream)));
        }
        var pages = Read(zip, "pages/pages.jsonl").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("json-pages-1.0", pages[0]);
        Assert.True(pages.Length > 1);
        Assert.NotEmpty(Read(zip, "indexes/index.cdxj").Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Verify_rehashes_the_archive_warcs_and_fails_on_a_damaged_one()
    {
        using var dir = new TempArchive();
        var data = await CrawlTelegram(dir);
        Assert.Equal(0, (await Support.Cli.RunAsync("verify", data)).ExitCode);

        var warc = Directory.GetFiles(Path.Combine(data, "warc"), "*.warc.gz").First();
        var bytes = await File.ReadAllBytesAsync(warc, TestContext.Current.CancellationToken);
        bytes[bytes.Length / 2] ^= 0x5a;
        await File.WriteAllBytesAsync(warc, bytes, TestContext.Current.CancellationToken);
        var damaged = await Support.Cli.RunAsync("verify", data);

        Assert.Equal(1, damaged.ExitCode);
        Assert.Contains(Path.GetFileName(warc), damaged.Out + damaged.Error);
    }

    [Theory]
    [InlineData("plain.warc")]
    [InlineData("whole-file.warc.gz")]
    public async Task Captures_imported_from_an_uncompressed_or_whole_file_gzip_warc_are_exported_as_gzip_per_record(string name)
    {
        using var dir = new TempArchive();
        var crawled = await CrawlTelegram(dir);
        // The same captures in the other framings found in the wild: one uncompressed WARC, and one WARC
        // gzipped as a whole (a single gzip member), as `gzip file.warc` makes.
        var plain = new MemoryStream();
        foreach (var warc in Directory.GetFiles(Path.Combine(crawled, "warc"), "*.warc.gz").Order(StringComparer.Ordinal))
        {
            await using var gz = new GZipStream(File.OpenRead(warc), CompressionMode.Decompress);
            await gz.CopyToAsync(plain, TestContext.Current.CancellationToken);
        }
        var input = dir.File(name);
        if (name.EndsWith(".gz", StringComparison.Ordinal))
        {
            await using var file = File.Create(input);
            await using var gz = new GZipStream(file, CompressionLevel.Optimal);
            await gz.WriteAsync(plain.ToArray(), TestContext.Current.CancellationToken);
        }
        else await File.WriteAllBytesAsync(input, plain.ToArray(), TestContext.Current.CancellationToken);
        var data = dir.File("imported");
        var import = await Support.Cli.RunAsync("--data", data, "-q", "import", "--no-index", input);
        Assert.True(import.ExitCode == 0, import.Error);
        using (var store = ArchiveStore.Open(data, readOnly: true)) Assert.NotEmpty(store.ScanPosts().ToList());

        var output = dir.File("warc-export");
        var result = await Support.Cli.RunAsync("--data", data, "export", "--format", "warc", "--out", output);

        Assert.True(result.ExitCode == 0, result.Error);
        var exported = Path.Combine(output, "data.warc.gz");
        var records = WarcReader.Read(exported, new WarcReadOptions { Strict = true }).ToList();
        var responses = records.Where(r => r.Type == "response").ToList();
        using (var store = ArchiveStore.Open(data, readOnly: true))
        {
            var captured = store.ScanPosts().Select(p => p.Capture!.Url).ToHashSet();
            Assert.Equal(captured.Order(), responses.Select(r => r.TargetUri!).Distinct().Order());
        }
        Assert.Equal(responses.Count, records.Count(r => r.Type == "request"));
        Assert.All(records, r => Assert.True(r.BlockDigestMatches(), $"digest of {r.Type} {r.TargetUri}"));
        // Gzip per record: every record is its own member, at the offset the CDXJ index gives.
        var bytes = await File.ReadAllBytesAsync(exported, TestContext.Current.CancellationToken);
        foreach (var line in File.ReadAllLines(Path.Combine(output, "index.cdxj")))
        {
            var entry = CdxjEntry.Parse(line)!;
            using var member = new GZipStream(new MemoryStream(bytes, (int)entry.Offset, (int)entry.Length), CompressionMode.Decompress);
            using var reader = new StreamReader(member);
            Assert.StartsWith("WARC/1.", reader.ReadLine());
        }
        Assert.Equal(0, (await Support.Cli.RunAsync("verify", output)).ExitCode);

        var wacz = dir.File("wacz-export");
        Assert.Equal(0, (await Support.Cli.RunAsync("--data", data, "-q", "export", "--format", "wacz", "--out", wacz)).ExitCode);
        using var zip = ZipFile.OpenRead(Path.Combine(wacz, "archive.wacz"));
        Assert.Equal(responses.Count, Read(zip, "indexes/index.cdxj").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task A_wacz_with_media_holds_the_captured_media_responses_byte_for_byte_and_no_media_pages()
    {
        using var dir = new TempArchive();
        var data = dir.File("archive");
        await using (var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 5, Size = ReplicaSize.Small, LogRequests = false }, TestContext.Current.CancellationToken))
        {
            var seeds = replica.Seeds.Where(s => s.StartsWith("telegram:", StringComparison.Ordinal)).Take(2).ToList();
            var crawl = await Support.Cli.RunAsync(["crawl", "--data", data, "--allow-private", "--rate", "0", "--no-index", "-q", .. seeds]);
            Assert.True(crawl.ExitCode == 0, crawl.Error);
        }
        Dictionary<string, string> media;
        using (var store = ArchiveStore.Open(data, readOnly: true))
        {
            var referenced = store.ScanPosts().SelectMany(p => p.Post.Media).Select(m => m.Sha256).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
            media = store.ScanMedia().Where(m => referenced.Contains(m.Sha256)).ToDictionary(m => m.SourceUrl, m => m.Sha256.ToLowerInvariant());
        }
        Assert.True(media.Count >= 3, $"the replica channels gave only {media.Count} media files");
        var output = dir.File("wacz-media");

        var result = await Support.Cli.RunAsync("--data", data, "export", "--format", "wacz", "--out", output, "--with-media");

        Assert.True(result.ExitCode == 0, result.Error);
        using var zip = ZipFile.OpenRead(Path.Combine(output, "archive.wacz"));
        var copy = dir.File("copied.warc.gz");
        zip.GetEntry("archive/data.warc.gz")!.ExtractToFile(copy);
        var responses = WarcReader.Read(copy, new WarcReadOptions { Strict = true }).Where(r => r.Type == "response").ToList();
        foreach (var (url, sha) in media)
        {
            var record = responses.FirstOrDefault(r => r.TargetUri == url);
            Assert.True(record is not null, $"no media response for {url}");
            Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(record!.Payload.Span)));
        }
        var cdxj = Read(zip, "indexes/index.cdxj");
        Assert.All(media.Keys, url => Assert.Contains(url, cdxj));
        var pages = Read(zip, "pages/pages.jsonl");
        Assert.All(media.Keys, url => Assert.DoesNotContain(url, pages));
        Assert.Contains($"captures of {media.Count} media files", result.Out);
    }

    [Fact]
    public async Task Warcio_reads_a_warc_export_record_for_record()
    {
        var warcio = Environment.GetEnvironmentVariable("ARCHIVER_WARCIO");
        Assert.SkipWhen(string.IsNullOrEmpty(warcio) || !File.Exists(warcio), "npm warcio not found: set ARCHIVER_WARCIO (CI does).");
        using var dir = new TempArchive();
        var data = await CrawlTelegram(dir);
        var output = dir.File("warc-export");
        Assert.Equal(0, (await Support.Cli.RunAsync("--data", data, "-q", "export", "--format", "warc", "--out", output)).ExitCode);
        var file = Path.Combine(output, "data.warc.gz");

        var start = new System.Diagnostics.ProcessStartInfo(warcio!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "index", file, "-f", "offset,warc-type,warc-target-uri,warc-record-id" }) start.ArgumentList.Add(arg);
        using var process = System.Diagnostics.Process.Start(start)!;
        var listing = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, process.ExitCode);

        var theirs = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var ours = WarcReader.Read(file, new WarcReadOptions { Strict = true }).ToList();
        Assert.Equal(ours.Count, theirs.Count);
        Assert.Equal(ours.Select(r => r.RecordId), theirs.Select(t => t.GetProperty("warc-record-id").GetString()));
        Assert.Equal(ours.Select(r => r.Offset), theirs.Select(t => t.GetProperty("offset").GetInt64()));
        var cdxj = File.ReadAllLines(Path.Combine(output, "index.cdxj")).Select(l => CdxjEntry.Parse(l)!).ToList();
        Assert.Equal(theirs.Count(t => t.GetProperty("warc-type").GetString() == "response"), cdxj.Count);
        Assert.All(cdxj, e => Assert.Contains(theirs, t => t.GetProperty("offset").GetInt64() == e.Offset && t.GetProperty("warc-target-uri").GetString() == e.Url));
    }

    private static string Read(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }
}
