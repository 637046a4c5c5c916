using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using Archiver.Capturing;
using Archiver.Tests.Support;

namespace Archiver.Tests.Capturing;

/// <summary>Checks our WARCs with an independent implementation, npm's warcio (CI installs it; see .ci/run).</summary>
public sealed class WarcioInteropTests
{
    private static string? FindWarcio()
    {
        var env = Environment.GetEnvironmentVariable("ARCHIVER_WARCIO");
        if (!string.IsNullOrEmpty(env) && File.Exists(env)) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".ci", "tools", "node_modules", ".bin", "warcio");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    [Fact]
    public async Task Warcio_lists_exactly_the_records_we_wrote_at_the_offsets_we_returned()
    {
        var warcio = FindWarcio();
        Assert.SkipWhen(warcio is null,
            "npm warcio not found: set ARCHIVER_WARCIO or run 'npm install --prefix .ci/tools warcio@2.4.11' (CI does).");
        using var dir = new TempArchive();
        var written = new List<WarcWritten>();
        using (var writer = new WarcWriter(WarcWriterTests.Options(dir.Path)))
        {
            var (req1, res1) = writer.WriteExchange(WarcWriterTests.Exchange("http://example.test/one", "first body"));
            var (req2, res2) = writer.WriteExchange(WarcWriterTests.Exchange("http://example.test/two?x=1", new string('y', 5000)));
            var dom = writer.WriteRecord(new WarcRecordDraft { Type = "conversion", TargetUri = "http://example.test/two?x=1", ContentType = "text/html", Block = "<html>rendered</html>"u8.ToArray() });
            written.AddRange([res1, req1, res2, req2, dom]);
        }
        var file = Path.Combine(dir.Path, written[0].File);

        var start = new ProcessStartInfo(warcio!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "index", file, "-f", "offset,length,warc-type,warc-target-uri" }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, process.ExitCode);

        var listed = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(["warcinfo", "response", "request", "response", "request", "conversion"], listed.Select(e => e.GetProperty("warc-type").GetString()));
        var records = listed.Skip(1).ToList();
        for (var i = 0; i < written.Count; i++)
        {
            Assert.Equal(written[i].Offset, records[i].GetProperty("offset").GetInt64());
            Assert.Equal(written[i].Length, records[i].GetProperty("length").GetInt64());
        }
        Assert.Equal("http://example.test/two?x=1", records[2].GetProperty("warc-target-uri").GetString());

        // warcio does not validate digests: recompute them from the bytes at each offset.
        var bytes = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
        foreach (var w in written)
        {
            using var gzip = new GZipStream(new MemoryStream(bytes, (int)w.Offset, (int)w.Length), CompressionMode.Decompress);
            var record = Assert.Single(WarcReader.Read(gzip, w.File, new WarcReadOptions { Strict = true }));
            Assert.Equal(w.RecordId, record.RecordId);
            Assert.True(record.BlockDigestMatches());
            if (w.PayloadDigest is not null) Assert.True(WarcDigest.Matches(w.PayloadDigest, record.Payload.Span));
        }
    }
}
