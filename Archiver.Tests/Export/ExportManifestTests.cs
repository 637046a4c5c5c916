using System.Text.Json;
using Archiver.Tests.Support;

namespace Archiver.Tests.Export;

public sealed class ExportManifestTests : IDisposable
{
    private readonly ExportFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private async Task<string> ExportAsync(params string[] extra)
    {
        var dir = _fixture.Out("export-" + Guid.NewGuid().ToString("N")[..6]);
        var result = await Support.Cli.RunAsync(["--data", _fixture.Data, "--quiet", "export", "--out", dir, .. extra]);
        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        return dir;
    }

    [Fact]
    public async Task Datapackage_lists_resources_with_schema_rows_filters_and_tool_version()
    {
        var dir = await ExportAsync("--format", "parquet", "--platform", "telegram");
        using var package = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "datapackage.json"), TestContext.Current.CancellationToken));
        var root = package.RootElement;
        Assert.Equal("data-package", root.GetProperty("profile").GetString());
        var archiver = root.GetProperty("archiver");
        Assert.Equal("2", archiver.GetProperty("schema_version").GetString());
        Assert.Equal("parquet", archiver.GetProperty("format").GetString());
        Assert.Equal("telegram", archiver.GetProperty("filters").GetProperty("platform").GetString());
        Assert.Equal(JsonValueKind.Null, archiver.GetProperty("query").ValueKind);
        Assert.False(archiver.GetProperty("pseudonymisation").GetProperty("applied").GetBoolean());
        Assert.StartsWith("0.1.0", archiver.GetProperty("tool_version").GetString());
        Assert.EndsWith("Z", root.GetProperty("created").GetString());
        var posts = root.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "posts");
        Assert.Equal("posts.parquet", posts.GetProperty("path").GetString());
        Assert.Equal(2, posts.GetProperty("rows").GetInt64());
        Assert.Equal(new FileInfo(Path.Combine(dir, "posts.parquet")).Length, posts.GetProperty("bytes").GetInt64());
        var fields = posts.GetProperty("schema").GetProperty("fields").EnumerateArray().ToList();
        Assert.Equal("record_type", fields[0].GetProperty("name").GetString());
        Assert.Equal("datetime", fields.Single(f => f.GetProperty("name").GetString() == "created_at").GetProperty("type").GetString());
        Assert.Equal("array", fields.Single(f => f.GetProperty("name").GetString() == "hashtags").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Manifest_lists_every_file_with_its_sha256_and_verify_passes()
    {
        var dir = await ExportAsync("--format", "jsonl", "--with-media");
        var lines = await File.ReadAllLinesAsync(Path.Combine(dir, "manifest-sha256.txt"), TestContext.Current.CancellationToken);
        var paths = lines.Select(l => l[66..]).ToList();
        Assert.Equal(["authors.jsonl", "datapackage.json", "media.jsonl", $"media/{ExportFixture.MediaSha}.jpg", "posts.jsonl"], paths);
        Assert.Equal(ExportFixture.MediaSha, lines[3][..64]);

        var verify = await Support.Cli.RunAsync(["verify", dir]);
        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("OK: export", verify.Out);
        Assert.Contains("5 files verified", verify.Out);
    }

    [Fact]
    public async Task Verify_fails_on_a_tampered_a_missing_and_an_extra_file()
    {
        var dir = await ExportAsync("--format", "csv");
        await File.AppendAllTextAsync(Path.Combine(dir, "posts.csv"), "x", TestContext.Current.CancellationToken);
        File.Delete(Path.Combine(dir, "media.csv"));
        await File.WriteAllTextAsync(Path.Combine(dir, "notes.txt"), "added later", TestContext.Current.CancellationToken);

        var verify = await Support.Cli.RunAsync(["verify", dir]);

        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("FAILED  posts.csv: checksum mismatch", verify.Out);
        Assert.Contains("FAILED  media.csv: missing", verify.Out);
        Assert.Contains("FAILED  notes.txt: not listed in the manifest", verify.Out);
        Assert.Contains("3 problem(s)", verify.Out);
    }

    [Fact]
    public async Task Export_with_media_copies_the_file_and_records_its_export_path()
    {
        var dir = await ExportAsync("--format", "jsonl", "--with-media");
        var copied = Path.Combine(dir, "media", ExportFixture.MediaSha + ".jpg");
        Assert.Equal(ExportFixture.MediaBytes, await File.ReadAllBytesAsync(copied, TestContext.Current.CancellationToken));
        var media = JsonDocument.Parse(File.ReadLines(Path.Combine(dir, "media.jsonl")).Single()).RootElement;
        Assert.Equal("media", media.GetProperty("record_type").GetString());
        Assert.Equal($"media/{ExportFixture.MediaSha}.jpg", media.GetProperty("export_path").GetString());
        Assert.Equal(ExportFixture.MediaBytes.Length, media.GetProperty("size").GetInt64());
    }

    [Fact]
    public async Task History_adds_earlier_versions_oldest_first_before_the_current_one()
    {
        var dir = await ExportAsync("--format", "jsonl", "--with-history", "--platform", "mastodon");
        var rows = File.ReadLines(Path.Combine(dir, "posts.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["post_version", "post_version", "post"], rows.Select(r => r.GetProperty("record_type").GetString()));
        Assert.Equal([1, 2, 3], rows.Select(r => r.GetProperty("version").GetInt32()));
        Assert.Equal("-1 points to @alice_news", rows[0].GetProperty("text").GetString());
        Assert.Equal("2024-03-02T10:00:00.000Z", rows[0].GetProperty("replaced_at").GetString());
        Assert.Equal(JsonValueKind.Null, rows[2].GetProperty("replaced_at").ValueKind);
        using var package = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "datapackage.json"), TestContext.Current.CancellationToken));
        Assert.Equal(2, package.RootElement.GetProperty("archiver").GetProperty("counts").GetProperty("earlier_versions").GetInt64());
    }

    [Theory]
    [InlineData(new[] { "--platform", "telegram" }, 2)]
    [InlineData(new[] { "--platform", "MASTODON,telegram" }, 3)]
    [InlineData(new[] { "--channel", "ALICE_NEWS" }, 2)]
    [InlineData(new[] { "--since", "2024-02-01" }, 1)]
    [InlineData(new[] { "--until", "2024-02-01" }, 2)]
    [InlineData(new[] { "--since", "2024-01-02T03:04:05.678Z", "--until", "2024-01-02T03:04:05.679Z" }, 2)]
    public async Task Store_field_filters_select_the_expected_posts(string[] filter, int expected)
    {
        var dir = await ExportAsync(["--format", "ids", .. filter]);
        Assert.Equal(expected, File.ReadAllLines(Path.Combine(dir, "ids.txt")).Length);
    }

    [Fact]
    public async Task Only_authors_of_exported_posts_are_exported()
    {
        var dir = await ExportAsync("--format", "jsonl");
        var handles = File.ReadLines(Path.Combine(dir, "authors.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("handle").GetString()).Order().ToList();
        Assert.Equal(["alice_news", "bob_the_builder"], handles);
    }
}
