using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Archiver.Model;
using Archiver.Storage;
using Archiver.Tests.Export;
using Archiver.Tests.Support;

namespace Archiver.Tests.Import;

/// <summary>
/// Crafted and oversized inputs (issue 15): bombs, huge rows, garbage before good rows, FIFOs, and exports
/// whose rows try to decide where the archive writes or what it reads later. All through <c>archiver import</c>.
/// </summary>
public sealed class HostileImportTests : IDisposable
{
    private readonly TempArchive _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string CorpusLine(int i, string? text = null) =>
        $$"""{"id":"c{{i}}","platform":"telegram","channel":"chan","author":"a{{i % 3}}","created_at":"2024-01-0{{1 + (i % 9)}}T10:00:00Z","lang":"en","text":"{{text ?? $"post number {i}"}}","hashtags":[],"urls":[]}""";

    private string Write(string name, IEnumerable<string> lines)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    private static Task<Support.Cli.Result> Import(string data, params string[] args) =>
        Support.Cli.RunAsync(["import", "--data", data, "--no-index", .. args]);

    [Fact]
    public async Task A_gzip_bomb_of_zeros_stops_at_the_line_bound_with_an_error_naming_file_and_line()
    {
        // 400 MB of zeros (no line break) in about 0.4 MB: before the bound, one ReadLine grew a string of all of it.
        var bomb = _dir.File("zeros.jsonl.gz");
        await using (var file = File.Create(bomb))
        await using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
        {
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 400; i++) gzip.Write(zeros);
        }
        var watch = Stopwatch.StartNew();

        var result = await Import(_dir.File("archive"), "--format", "corpus", bomb);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{bomb}: line 1 is longer than 64 MiB", result.Error);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Lines_before_an_overlong_line_are_stored_and_the_error_names_the_line()
    {
        var input = _dir.File("long.jsonl");
        await using (var file = new StreamWriter(input))
        {
            await file.WriteLineAsync(CorpusLine(1));
            await file.WriteLineAsync(CorpusLine(2));
            await file.WriteAsync(new string('x', (64 << 20) + 10));
            await file.WriteLineAsync();
            await file.WriteLineAsync(CorpusLine(4));
        }

        var result = await Import(_dir.File("archive"), input);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{input}: line 3 is longer than 64 MiB", result.Error);
        using var store = ArchiveStore.Open(_dir.File("archive"), readOnly: true);
        Assert.Equal(2, store.Counters.Posts);
    }

    [Fact]
    public async Task A_row_with_30_MB_of_text_is_reported_and_skipped_and_the_rows_after_it_import()
    {
        var input = Write("huge.jsonl", [CorpusLine(1), CorpusLine(2, new string('y', 30 << 20)), CorpusLine(3), CorpusLine(4)]);

        var first = await Import(_dir.File("archive"), input, "--json");
        var rerun = await Import(_dir.File("archive"), input, "--again", "--json");

        Assert.Equal(1, first.ExitCode);
        Assert.Contains("\"bad_lines\": 1", first.Out);
        Assert.Contains("\"line\": 2", first.Out);
        Assert.Contains("MB per post", first.Out);
        Assert.Equal(1, rerun.ExitCode);
        using var store = ArchiveStore.Open(_dir.File("archive"), readOnly: true);
        Assert.Equal(3, store.Counters.Posts);
        Assert.NotNull(store.GetPost("telegram:bench.corpus:c4"));
        Assert.Null(store.GetPost("telegram:bench.corpus:c2"));
    }

    [Fact]
    public async Task A_garbage_first_line_does_not_hide_the_export_rows_after_it()
    {
        var source = Write("corpus.jsonl", Enumerable.Range(1, 10).Select(i => CorpusLine(i)));
        Assert.Equal(0, (await Import(_dir.File("a"), source)).ExitCode);
        var export = _dir.File("export");
        var exported = await Support.Cli.RunAsync("--data", _dir.File("a"), "--quiet", "export", "--format", "jsonl", "--out", export);
        Assert.True(exported.ExitCode == 0, exported.Error);
        var posts = Path.Combine(export, "posts.jsonl");
        File.WriteAllText(posts, "%%% garbage, not JSON %%%\n" + File.ReadAllText(posts));
        File.Delete(Path.Combine(export, "authors.jsonl"));

        var result = await Import(_dir.File("b"), posts);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("1 of 11 line(s) could not be imported", result.Error);
        using var store = ArchiveStore.Open(_dir.File("b"), readOnly: true);
        Assert.Equal(10, store.Counters.Posts);
        Assert.Equal("post number 7", store.GetPost("telegram:bench.corpus:c7")!.Post.Text);
    }

    [Fact]
    public async Task A_fifo_without_a_format_is_refused_at_once()
    {
        var fifo = MakeFifo("in.jsonl");

        // On a thread of its own: the bug blocked inside the call, in the kernel's open of the FIFO.
        var run = Task.Run(() => Import(_dir.File("archive"), fifo), TestContext.Current.CancellationToken);
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));
        if (finished != run) Unblock(fifo);

        Assert.Same(run, finished);
        var result = await run;
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not a regular file", result.Error);
    }

    [Fact]
    public async Task A_fifo_with_a_format_is_read_as_a_stream_of_lines()
    {
        var fifo = MakeFifo("in.jsonl");
        var writer = Task.Run(() => File.WriteAllText(fifo, string.Join('\n', Enumerable.Range(1, 5).Select(i => CorpusLine(i))) + "\n"), TestContext.Current.CancellationToken);

        var run = Task.Run(() => Import(_dir.File("archive"), "--format", "corpus", fifo), TestContext.Current.CancellationToken);
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        if (finished != run) Unblock(fifo);

        Assert.Same(run, finished);
        Assert.Equal(0, (await run).ExitCode);
        await writer;
        using var store = ArchiveStore.Open(_dir.File("archive"), readOnly: true);
        Assert.Equal(5, store.Counters.Posts);
    }

    private string MakeFifo(string name)
    {
        var path = _dir.File(name);
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    /// <summary>A reader stuck opening the FIFO (the bug) is released by a writer that opens and closes it.</summary>
    private static void Unblock(string fifo)
    {
        try
        {
            using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task A_crafted_media_row_cannot_overwrite_a_file_the_archive_holds()
    {
        using var fixture = new ExportFixture();
        var export = fixture.Out("export");
        var exported = await Support.Cli.RunAsync("--data", fixture.Data, "--quiet", "export", "--format", "jsonl", "--with-media", "--out", export);
        Assert.True(exported.ExitCode == 0, exported.Error);
        // The victim: an archive that already holds the fixture's media file.
        var victim = fixture.Out("victim");
        var evidencePath = $"media/{ExportFixture.MediaSha[..2]}/{ExportFixture.MediaSha}.jpg";
        using (var store = ArchiveStore.Open(victim))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(victim, evidencePath))!);
            File.WriteAllBytes(Path.Combine(victim, evidencePath), ExportFixture.MediaBytes);
            store.Write(new StoreBatch { Media = [new Media { Sha256 = ExportFixture.MediaSha, Mime = "image/jpeg", Size = ExportFixture.MediaBytes.Length, SourceUrl = "https://cdn.example/p.jpg", LocalPath = evidencePath, FetchedAt = ExportFixture.Seen1 }] });
        }
        // The crafted export: other bytes, hashed correctly, whose row says to put them where the evidence is.
        var forged = Encoding.UTF8.GetBytes("forged bytes that replace the evidence");
        var forgedSha = Convert.ToHexStringLower(SHA256.HashData(forged));
        File.WriteAllBytes(Path.Combine(export, "media", "forged.jpg"), forged);
        var row = JsonNode.Parse(File.ReadAllLines(Path.Combine(export, "media.jsonl"))[0])!.AsObject();
        row["sha256"] = forgedSha;
        row["size"] = forged.Length;
        row["archive_path"] = evidencePath;
        row["export_path"] = "media/forged.jpg";
        File.WriteAllText(Path.Combine(export, "media.jsonl"), row.ToJsonString() + "\n");

        await Import(victim, Path.Combine(export, "posts.jsonl"));

        Assert.Equal(ExportFixture.MediaBytes, File.ReadAllBytes(Path.Combine(victim, evidencePath)));
        using var after = ArchiveStore.Open(victim, readOnly: true);
        var stored = after.GetMedia(forgedSha)!;
        Assert.Contains(forgedSha, stored.LocalPath);
        Assert.Equal(forged, File.ReadAllBytes(Path.Combine(victim, stored.LocalPath)));
    }

    [Fact]
    public async Task A_crafted_capture_path_does_not_make_a_warc_export_copy_another_archives_record()
    {
        using var fixture = new ExportFixture();
        var export = fixture.Out("export");
        var exported = await Support.Cli.RunAsync("--data", fixture.Data, "--quiet", "export", "--format", "jsonl", "--out", export);
        Assert.True(exported.ExitCode == 0, exported.Error);
        // Another archive's WARC, named by its full path with the offset of its response record.
        var foreign = Fixtures.Path("warc/warcio/example.warc.gz");
        var foreignResponse = Archiver.Capturing.WarcReader.Read(foreign).First(r => r.Type == "response");
        var lines = File.ReadAllLines(Path.Combine(export, "posts.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var alice = lines.Single(l => (string?)l["native_id"] == "alice_news/7");
        alice["capture_warc_file"] = foreign;
        alice["capture_warc_offset"] = foreignResponse.Offset;
        File.WriteAllLines(Path.Combine(export, "posts.jsonl"), lines.Select(l => l.ToJsonString()));
        var copy = fixture.Out("copy");

        await Import(copy, Path.Combine(export, "posts.jsonl"));
        var warcOut = fixture.Out("warc-export");
        await Support.Cli.RunAsync("--data", copy, "--quiet", "export", "--format", "warc", "--out", warcOut);

        using (var store = ArchiveStore.Open(copy, readOnly: true))
        {
            var capture = store.GetPost(ExportFixture.AliceKey)!.Capture!;
            Assert.Null(capture.WarcFile);
            Assert.Equal("https://t.me/s/alice_news", capture.Url);
        }
        var copied = Directory.Exists(warcOut)
            ? Directory.GetFiles(warcOut, "*.warc.gz").SelectMany(f => Archiver.Capturing.WarcReader.Read(f)).Select(r => r.RecordId).ToList()
            : [];
        Assert.DoesNotContain(foreignResponse.RecordId, copied);
    }
}
