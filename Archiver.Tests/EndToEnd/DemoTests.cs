using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.EndToEnd;

public sealed class DemoTests
{
    [Fact]
    public async Task The_demo_archives_searches_and_exports_the_replica_and_leaves_a_verifiable_export()
    {
        using var dir = new TempArchive();
        var demo = dir.File("demo");

        var result = await Support.Cli.RunAsync("demo", "--out", demo);

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        Assert.Contains("Example searches", result.Out);
        Assert.Contains("nothing is left running", result.Out);
        using (var store = ArchiveStore.Open(demo, readOnly: true))
        {
            Assert.True(store.Counters.Posts > 400, $"only {store.Counters.Posts} posts archived");
            Assert.Equal(["feed", "gab", "mastodon", "site", "telegram", "truthsocial"], store.Counters.ByPlatform.Keys.Order(StringComparer.Ordinal));
        }
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(demo, "warc"), "*.warc.gz"));
        var export = Path.Combine(demo, "exports", "telegram-jsonl");
        Assert.True(File.Exists(Path.Combine(export, "datapackage.json")));
        var verify = await Support.Cli.RunAsync("verify", export);
        Assert.True(verify.ExitCode == 0, verify.Error + verify.Out);
    }

    [Fact]
    public async Task The_demo_refuses_to_wipe_a_directory_it_did_not_create()
    {
        using var dir = new TempArchive();
        File.WriteAllText(dir.File("thesis.txt"), "precious");

        var result = await Support.Cli.RunAsync("demo", "--out", dir.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.True(File.Exists(dir.File("thesis.txt")));
    }
}
