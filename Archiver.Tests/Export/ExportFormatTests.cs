using Archiver.Tests.Support;

namespace Archiver.Tests.Export;

/// <summary>Exports read back by DuckDB: exact row counts, types and values in every tabular format.</summary>
public sealed class ExportFormatTests : IDisposable
{
    private readonly ExportFixture _fixture = new();
    private readonly DuckDb _duck = new();

    public void Dispose()
    {
        _duck.Dispose();
        _fixture.Dispose();
    }

    private async Task<string> ExportAsync(string format, params string[] extra)
    {
        var dir = _fixture.Out(format + "-" + Guid.NewGuid().ToString("N")[..6]);
        var result = await Support.Cli.RunAsync(["--data", _fixture.Data, "--quiet", "export", "--format", format, "--out", dir, .. extra]);
        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        return dir;
    }

    [Fact]
    public async Task Parquet_export_has_real_types_and_exact_values_when_read_by_DuckDB()
    {
        var dir = await ExportAsync("parquet");
        var posts = $"read_parquet({DuckDb.Quote(Path.Combine(dir, "posts.parquet"))})";

        var types = _duck.Describe(posts);
        Assert.Equal("VARCHAR", types["record_type"]);
        Assert.Equal("TIMESTAMP WITH TIME ZONE", types["created_at"]);
        Assert.Equal("BIGINT", types["views"]);
        Assert.Equal("INTEGER", types["version"]);
        Assert.Equal("BOOLEAN", types["deleted"]);
        Assert.Equal("VARCHAR[]", types["hashtags"]);
        Assert.Equal("VARCHAR[]", types["mentions"]);
        Assert.Equal("STRUCT(kind VARCHAR, url VARCHAR, sha256 VARCHAR, mime VARCHAR, width INTEGER, height INTEGER, duration_seconds DOUBLE, title VARCHAR, description VARCHAR)[]", types["media"]);
        Assert.Equal("BIGINT", types["capture_warc_offset"]);
        Assert.Equal(3L, _duck.Scalar($"SELECT count(*) FROM {posts}"));
        AssertAliceRow(posts);
        Assert.Equal(0L, _duck.Scalar($"SELECT len(hashtags) FROM {posts} WHERE key = '{ExportFixture.BobKey}'"));
        Assert.Equal(0L, _duck.Scalar($"SELECT len(media) FROM {posts} WHERE key = '{ExportFixture.BobKey}'"));
        Assert.Equal(2L, _duck.Scalar($"SELECT count(*) FROM read_parquet({DuckDb.Quote(Path.Combine(dir, "authors.parquet"))})"));
        Assert.Equal(1L, _duck.Scalar($"SELECT count(*) FROM read_parquet({DuckDb.Quote(Path.Combine(dir, "media.parquet"))})"));
    }

    [Fact]
    public async Task Jsonl_export_is_one_object_per_line_read_by_DuckDB_with_the_same_values()
    {
        var dir = await ExportAsync("jsonl");
        var file = Path.Combine(dir, "posts.jsonl");
        Assert.Equal(3, File.ReadAllLines(file).Length);
        var posts = $"read_json_auto({DuckDb.Quote(file)})";

        var types = _duck.Describe(posts);
        Assert.Equal("VARCHAR[]", types["hashtags"]);
        Assert.Equal("BIGINT", types["views"]);
        Assert.Equal("BOOLEAN", types["deleted"]);
        Assert.StartsWith("TIMESTAMP", types["created_at"]);
        Assert.Equal(3L, _duck.Scalar($"SELECT count(*) FROM {posts}"));
        AssertAliceRow(posts);
        Assert.Equal("{\"q\":\"x\"}", _duck.Scalar($"SELECT extra.poll FROM {posts} WHERE key = '{ExportFixture.AliceKey}'"));
    }

    [Fact]
    public async Task Csv_export_is_RFC_4180_with_joined_lists_and_neutralised_formulas()
    {
        var dir = await ExportAsync("csv");
        var file = Path.Combine(dir, "posts.csv");
        var bytes = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]); // UTF-8 BOM by default: Excel needs it
        var posts = $"read_csv_auto({DuckDb.Quote(file)})";

        Assert.Equal(3L, _duck.Scalar($"SELECT count(*) FROM {posts}"));
        var row = _duck.Rows($"SELECT * FROM {posts} WHERE key = '{ExportFixture.AliceKey}'").Single();
        Assert.Equal("'=SUM(A1:A9) hello @bob_the_builder and @carol_w, line two\nsee https://example.org/a?b=1,2", row["text"]);
        Assert.Equal("news|a\\|b", row["hashtags"]);
        Assert.Equal("bob_the_builder|carol_w", row["mentions"]);
        Assert.Equal(12345L, Convert.ToInt64(row["views"]));
        Assert.Equal("{\"edited\":\"true\",\"poll\":\"{\\\"q\\\":\\\"x\\\"}\"}", row["extra"]);
        Assert.Equal(1704164645678L, _duck.Scalar($"SELECT epoch_ms(CAST(created_at AS TIMESTAMP)) FROM {posts} WHERE key = '{ExportFixture.AliceKey}'"));
        var bob = _duck.Rows($"SELECT text FROM {posts} WHERE key = '{ExportFixture.BobKey}'").Single();
        Assert.Equal("'-1 points to @alice_news (edit 2)", bob["text"]);
        Assert.Contains("\r\n", await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Csv_guard_can_be_switched_off_and_a_BOM_switched_on()
    {
        var dir = await ExportAsync("csv", "--no-csv-injection-guard", "--bom");
        var file = Path.Combine(dir, "posts.csv");
        var bytes = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = _duck.Scalar($"SELECT text FROM read_csv_auto({DuckDb.Quote(file)}) WHERE key = '{ExportFixture.BobKey}'");
        Assert.Equal("-1 points to @alice_news (edit 2)", text);
    }

    [Fact]
    public async Task Ids_export_lists_one_key_and_one_url_per_line()
    {
        var dir = await ExportAsync("ids");
        var ids = await File.ReadAllLinesAsync(Path.Combine(dir, "ids.txt"), TestContext.Current.CancellationToken);
        Assert.Equal([ExportFixture.BobKey, ExportFixture.AliceKey, ExportFixture.GoneKey], ids.Order(StringComparer.Ordinal).ToArray());
        var urls = await File.ReadAllLinesAsync(Path.Combine(dir, "urls.txt"), TestContext.Current.CancellationToken);
        Assert.Equal(3, urls.Length);
        Assert.Contains("https://social.example/@bob_the_builder/109300", urls);
    }

    [Fact]
    public async Task Fields_option_keeps_record_type_and_schema_version_first()
    {
        var dir = await ExportAsync("csv", "--fields", "text,key");
        var header = File.ReadLines(Path.Combine(dir, "posts.csv")).First();
        Assert.Equal("record_type,schema_version,text,key", header);
    }

    [Fact]
    public async Task Parquet_with_one_row_per_row_group_reads_back_the_same_rows_and_media_structs()
    {
        var dir = await ExportAsync("parquet", "--row-group-size", "1", "--with-history");
        var posts = $"read_parquet({DuckDb.Quote(Path.Combine(dir, "posts.parquet"))})";

        Assert.Equal(5L, _duck.Scalar($"SELECT count(*) FROM {posts}"));
        Assert.Equal("1,2,3", _duck.Scalar($"SELECT string_agg(version::VARCHAR, ',' ORDER BY version) FROM {posts} WHERE key = '{ExportFixture.BobKey}'"));
        Assert.Equal(4L, _duck.Scalar($"SELECT likes FROM {posts} WHERE key = '{ExportFixture.BobKey}' AND version = 2"));
        Assert.Equal(720, Convert.ToInt32(_duck.Scalar($"SELECT media[1].height FROM {posts} WHERE key = '{ExportFixture.AliceKey}'")));
        Assert.Equal(0L, _duck.Scalar($"SELECT CAST(sum(len(media)) AS BIGINT) FROM {posts} WHERE key <> '{ExportFixture.AliceKey}'"));
        Assert.Equal(ExportFixture.Alice.Text, _duck.Scalar($"SELECT text FROM {posts} WHERE key = '{ExportFixture.AliceKey}'"));
        Assert.Equal("news|a|b", _duck.Scalar($"SELECT array_to_string(hashtags, '|') FROM {posts} WHERE key = '{ExportFixture.AliceKey}'"));
    }

    [Fact]
    public async Task Unknown_field_is_a_usage_error()
    {
        var result = await Support.Cli.RunAsync(["--data", _fixture.Data, "export", "--format", "csv", "--out", _fixture.Out("x"), "--fields", "text,nope"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nope", result.Error);
        Assert.False(Directory.Exists(_fixture.Out("x")));
    }

    private void AssertAliceRow(string source)
    {
        var where = $"FROM {source} WHERE key = '{ExportFixture.AliceKey}'";
        Assert.Equal("post", _duck.Scalar($"SELECT record_type {where}"));
        Assert.Equal("2", _duck.Scalar($"SELECT schema_version {where}"));
        Assert.Equal(1704164645678L, _duck.Scalar($"SELECT epoch_ms(created_at) {where}"));
        Assert.Equal("news|a|b", _duck.Scalar($"SELECT array_to_string(hashtags, '|') {where}"));
        Assert.Equal(2L, _duck.Scalar($"SELECT len(hashtags) {where}"));
        Assert.Equal("bob_the_builder,carol_w", _duck.Scalar($"SELECT array_to_string(mentions, ',') {where}"));
        Assert.Equal(12345L, _duck.Scalar($"SELECT views {where}"));
        Assert.Null(_duck.Scalar($"SELECT likes {where}"));
        Assert.Equal("=SUM(A1:A9) hello @bob_the_builder and @carol_w, line two\nsee https://example.org/a?b=1,2", _duck.Scalar($"SELECT text {where}"));
        Assert.Equal(ExportFixture.MediaSha, _duck.Scalar($"SELECT media[1].sha256 {where}"));
        Assert.Equal("photo|https://cdn.example/p.jpg|image/jpeg|1280|720|2.5|a cat", _duck.Scalar(
            $"SELECT concat_ws('|', media[1].kind, media[1].url, media[1].mime, media[1].width, media[1].height, media[1].duration_seconds, media[1].description) {where}"));
        Assert.Null(_duck.Scalar($"SELECT media[1].title {where}"));
        Assert.Equal(1L, _duck.Scalar($"SELECT len(media) {where}"));
        Assert.Equal("https://t.me/s/alice_news", _duck.Scalar($"SELECT capture_url {where}"));
        Assert.Equal(200, Convert.ToInt32(_duck.Scalar($"SELECT capture_status {where}")));
        Assert.Equal(4096L, _duck.Scalar($"SELECT capture_warc_offset {where}"));
        Assert.Equal("crawl-0001.warc.gz", _duck.Scalar($"SELECT capture_warc_file {where}"));
        Assert.Equal(true, _duck.Scalar($"SELECT deleted FROM {source} WHERE key = '{ExportFixture.GoneKey}'"));
        Assert.Equal(410, Convert.ToInt32(_duck.Scalar($"SELECT deleted_status FROM {source} WHERE key = '{ExportFixture.GoneKey}'")));
        Assert.Equal(3, Convert.ToInt32(_duck.Scalar($"SELECT version FROM {source} WHERE key = '{ExportFixture.BobKey}'")));
    }
}
