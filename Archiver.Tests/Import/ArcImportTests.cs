using System.Globalization;
using System.IO.Compression;
using System.Text;
using Archiver.Capturing;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Import;

public sealed class ArcImportTests
{
    [Fact]
    public async Task An_arc_file_of_telegram_pages_imports_the_crawled_posts_and_exports_as_valid_warc()
    {
        using var dir = new TempArchive();
        await ReplicaCrawl.IntoAsync(dir.File("a"), "telegram");
        var arc = dir.File("old-crawl.arc.gz");
        var written = WriteArc(arc, Directory.GetFiles(dir.File("a/warc"), "*.warc.gz"));

        var import = await Support.Cli.RunAsync(["import", "--data", dir.File("b"), "--no-index", arc]);
        var export = await Support.Cli.RunAsync(["--data", dir.File("b"), "-q", "export", "--format", "warc", "--out", dir.File("out")]);

        Assert.True(import.ExitCode == 0, import.Error + import.Out);
        using var a = ArchiveStore.Open(dir.File("a"), readOnly: true);
        using var b = ArchiveStore.Open(dir.File("b"), readOnly: true);
        var imported = b.ScanPosts().ToList();
        Assert.Equal(a.ScanPosts().Select(p => p.Key).Order(StringComparer.Ordinal), imported.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.All(imported.Take(50), post =>
        {
            Assert.Equal(a.GetPost(post.Key)!.Post.Text, post.Post.Text);
            Assert.Equal(arc, post.Capture!.WarcFile);
            Assert.Contains(post.Capture.WarcOffset!.Value, written);
        });
        // The export cannot copy ARC bytes into a WARC: it writes the WARC records the ARC records were read as.
        Assert.True(export.ExitCode == 0, export.Error);
        var records = WarcReader.Read(Path.Combine(dir.File("out"), "data.warc.gz"), new WarcReadOptions { Strict = true }).ToList();
        Assert.All(records, r => Assert.Equal("response", r.Type));
        Assert.All(records, r => Assert.True(r.BlockDigestMatches(), r.TargetUri));
        Assert.Equal(imported.Select(p => p.Capture!.Url).Distinct().Order(), records.Select(r => r.TargetUri!).Order());
        Assert.Equal(0, (await Support.Cli.RunAsync("verify", dir.File("out"))).ExitCode);
    }

    /// <summary>
    /// Writes the HTTP responses of WARC files as an ARC version 1 file, one gzip member per record, as
    /// Heritrix wrote them (content type without parameters). Returns the offset of every URL record.
    /// </summary>
    private static List<long> WriteArc(string path, IEnumerable<string> warcs)
    {
        var offsets = new List<long>();
        using var file = File.Create(path);
        var description = "1 0 Archiver test\nURL IP-address Archive-date Content-type Archive-length\n";
        Member($"filedesc://{Path.GetFileName(path)[..^3]} 127.0.0.1 20210110000000 text/plain {description.Length}", Encoding.ASCII.GetBytes(description));
        foreach (var record in warcs.SelectMany(w => WarcReader.Read(w)).Where(r => r.Type == "response" && r.IsHttp))
        {
            var date = DateTime.Parse(record.Date!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            var type = record.Http!.Headers["Content-Type"]?.Split(';')[0].Trim() ?? "-";
            offsets.Add(file.Position);
            Member($"{record.TargetUri} {record.Headers["WARC-IP-Address"] ?? "127.0.0.1"} {date} {type} {record.Block.Length}", record.Block.Span);
        }
        return offsets;

        void Member(string header, ReadOnlySpan<byte> block)
        {
            using var gzip = new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true);
            gzip.Write(Encoding.UTF8.GetBytes(header + "\n"));
            gzip.Write(block);
            gzip.Write("\n"u8);
        }
    }
}
