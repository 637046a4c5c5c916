using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Archiver.Model;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Export;

/// <summary>
/// CSV read back by two independent readers (Python's csv module and DuckDB's read_csv): texts with bare
/// line breaks, carriage returns, quotes, commas, formula starts and non-Latin script come back as exactly
/// one row each with the exact text, and the file carries the UTF-8 byte order mark spreadsheets need.
/// </summary>
public sealed class CsvReadBackTests : IDisposable
{
    private static readonly DateTime Seen = new(2024, 3, 1, 10, 0, 0, DateTimeKind.Utc);

    /// <summary>Text as stored → the cell the CSV must hold (formula starts get the guard's apostrophe).</summary>
    public static readonly (string Text, string Cell)[] Texts =
    [
        ("first line\nsecond line", "first line\nsecond line"),
        ("only a carriage\rreturn", "only a carriage\rreturn"),
        ("windows\r\nline end", "windows\r\nline end"),
        ("she said \"hi\" to me", "she said \"hi\" to me"),
        ("one, two", "one, two"),
        ("=1+2", "'=1+2"),
        ("+49 30 123", "'+49 30 123"),
        ("-minus first", "'-minus first"),
        ("@handle first", "'@handle first"),
        ("Привет, мир — ünïcödé ✓ 中文", "Привет, мир — ünïcödé ✓ 中文"),
        ("  leading and trailing spaces  ", "  leading and trailing spaces  "),
        ("tab\tinside", "tab\tinside"),
        ("last\n", "last\n"),
    ];

    private readonly TempArchive _dir = new();
    private readonly string _data;

    public CsvReadBackTests()
    {
        _data = _dir.File("data");
        using var store = ArchiveStore.Open(_data);
        store.Write(new StoreBatch
        {
            Posts = Texts.Select((t, i) => new PostObservation(new Post
            {
                Platform = "telegram",
                Host = "t.me",
                NativeId = $"chan/{i}",
                Channel = "chan",
                AuthorHandle = "chan",
                AuthorName = "Кана́л \"quoted\", with comma\nand line",
                CreatedAt = Seen.AddMinutes(i),
                Text = t.Text,
                Hashtags = ["line\nbreak", "plain"],
            }, Seen)).ToList(),
        });
    }

    public void Dispose() => _dir.Dispose();

    private async Task<string> ExportCsvAsync(params string[] extra)
    {
        var dir = _dir.File("csv-" + Guid.NewGuid().ToString("N")[..6]);
        var result = await Support.Cli.RunAsync(["--data", _data, "-q", "export", "--format", "csv", "--out", dir, .. extra]);
        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        return Path.Combine(dir, "posts.csv");
    }

    [Fact]
    public async Task Every_text_reads_back_as_one_row_with_its_exact_value_in_python_csv()
    {
        var file = await ExportCsvAsync();
        var rows = await PythonCsvAsync(file);
        Assert.Equal(Texts.Length, rows.Count);
        var byKey = rows.ToDictionary(r => r["key"]);
        for (var i = 0; i < Texts.Length; i++)
        {
            var row = byKey[$"telegram:t.me:chan/{i}"];
            Assert.Equal(Texts[i].Cell, row["text"]);
            Assert.Equal("Кана́л \"quoted\", with comma\nand line", row["author_name"]);
            Assert.Equal("line\nbreak|plain", row["hashtags"]);
            Assert.Equal("post", row["record_type"]);
        }
    }

    [Fact]
    public async Task Every_text_reads_back_as_one_row_with_its_exact_value_in_DuckDB_read_csv()
    {
        var file = await ExportCsvAsync();
        using var duck = new DuckDb();
        var source = $"read_csv({DuckDb.Quote(file)}, header = true, all_varchar = true)";
        Assert.Equal((long)Texts.Length, duck.Scalar($"SELECT count(*) FROM {source}"));
        for (var i = 0; i < Texts.Length; i++)
            Assert.Equal(Texts[i].Cell, duck.Scalar($"SELECT text FROM {source} WHERE key = 'telegram:t.me:chan/{i}'"));
    }

    [Fact]
    public async Task Csv_starts_with_a_UTF8_byte_order_mark_by_default_and_is_strict_UTF8()
    {
        var file = await ExportCsvAsync();
        var bytes = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        // Exactly one BOM, then valid UTF-8 throughout (a strict decoder throws on anything else).
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 3, bytes.Length - 3);
        Assert.StartsWith("record_type,", text);
        Assert.Contains("Привет, мир — ünïcödé ✓ 中文", text);
        foreach (var table in new[] { "authors.csv", "media.csv" })
            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, (await File.ReadAllBytesAsync(Path.Combine(Path.GetDirectoryName(file)!, table), TestContext.Current.CancellationToken))[..3]);
    }

    [Fact]
    public async Task No_bom_leaves_the_byte_order_mark_out()
    {
        var file = await ExportCsvAsync("--no-bom");
        var bytes = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
        Assert.Equal("record_type,"u8.ToArray(), bytes[..12]);
        Assert.Equal(Texts.Length, (await PythonCsvAsync(file)).Count);
    }

    [Fact]
    public async Task Every_text_reads_back_as_one_row_with_its_exact_value_in_LibreOffice_Calc()
    {
        var file = await ExportCsvAsync();
        // Opened as Calc's text import opens it (the character set left for Calc to recognise), saved as a
        // spreadsheet, and that spreadsheet saved again as UTF-8 CSV for Python to compare cell by cell.
        var sheet = await LibreOffice.ConvertAsync(file, "xlsx", "Text - txt - csv (StarCalc):44,34,,1", _dir.File("lo-xlsx"));
        var back = await LibreOffice.ConvertAsync(sheet, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", null, _dir.File("lo-csv"));
        var rows = await PythonCsvAsync(back);

        Assert.Equal(Texts.Length, rows.Count);
        var byKey = rows.ToDictionary(r => r["key"]);
        for (var i = 0; i < Texts.Length; i++)
        {
            var row = byKey[$"telegram:t.me:chan/{i}"];
            Assert.Equal(LibreOffice.Cell(Texts[i].Cell), row["text"]);
            Assert.Equal("Кана́л \"quoted\", with comma\nand line", row["author_name"]);
            Assert.Equal("line\nbreak|plain", row["hashtags"]);
        }
    }

    /// <summary>Python's csv module, as a researcher would read the file (utf-8-sig skips the BOM).</summary>
    internal static async Task<List<Dictionary<string, string>>> PythonCsvAsync(string file)
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("import csv, json, sys\nwith open(sys.argv[1], newline='', encoding='utf-8-sig') as f:\n    rows = list(csv.DictReader(f))\nsys.stdout.write(json.dumps(rows))");
        info.ArgumentList.Add(file);
        using var python = Process.Start(info)!;
        var output = await python.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = await python.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await python.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(python.ExitCode == 0, error);
        return JsonSerializer.Deserialize<List<Dictionary<string, string>>>(output)!;
    }
}
