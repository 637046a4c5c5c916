using System.Text.Json;
using Archiver.Tests.Indexing;

namespace Archiver.Tests.Import;

/// <summary>Every importer writes through the session's one writer, so the search index follows all of them.</summary>
public sealed class SessionImportIndexTests
{
    [Fact]
    public async Task An_import_of_an_export_and_a_dataset_together_leaves_both_searchable()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new Support.TempArchive();
        var first = dir.File("first");
        var exported = dir.File("export");
        await File.WriteAllTextAsync(dir.File("a.jsonl"), CorpusSample.Lines(40, oddWord: "zeppelin"), ct);
        await File.WriteAllTextAsync(dir.File("b.jsonl"), CorpusSample.Lines(80, oddWord: "lantern", include: i => i >= 40), ct);
        Assert.Equal(0, (await Support.Cli.RunAsync("import", dir.File("a.jsonl"), "--data", first, "-q")).ExitCode);
        Assert.Equal(0, (await Support.Cli.RunAsync("export", "--format", "jsonl", "--out", exported, "--data", first, "-q")).ExitCode);

        // One command, the export first (Archiver's own JSONL, read by ExportImport), then a dataset.
        var second = dir.File("second");
        var import = await Support.Cli.RunAsync("import", Path.Combine(exported, "posts.jsonl"), dir.File("b.jsonl"), "--data", second, "--json");
        Assert.True(import.ExitCode == 0, import.Error);

        Assert.Equal(20, await Count(second, "zeppelin"));
        Assert.Equal(20, await Count(second, "lantern"));
        Assert.Equal(80, await Count(second, "post"));
    }

    private static async Task<long> Count(string data, string query)
    {
        var search = await Support.Cli.RunAsync("search", query, "--data", data, "--json", "--limit", "0");
        Assert.True(search.ExitCode == 0, search.Error);
        using var json = JsonDocument.Parse(search.Out);
        return json.RootElement.GetProperty("total").GetInt64();
    }
}
