using System.Text.Json;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Search;

public sealed class EditedQueryTests
{
    [Fact]
    public async Task Is_edited_finds_the_posts_telegram_itself_labels_edited()
    {
        using var archive = new TempArchive();
        await ReplicaCrawl.IntoAsync(archive.Path, "telegram");
        int labelled;
        using (var store = ArchiveStore.Open(archive.Path, readOnly: true))
            labelled = store.ScanPosts().Count(p => p.Post.Extra.TryGetValue("edited", out var e) && e == "true");
        Assert.True(labelled > 0, "the replica's version 1 has posts Telegram shows as edited");

        var result = await Support.Cli.RunAsync("search", "--data", archive.Path, "--json", "--limit", "1", "is:edited");

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(labelled, json.RootElement.GetProperty("total").GetInt64());
    }
}
