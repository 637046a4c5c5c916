using Archiver.Search;
using Archiver.Serve;
using Archiver.Tests.Support;

namespace Archiver.Tests.Serve;

/// <summary>
/// <see cref="ServeViews"/>, the read-only server's swap of one archive view for a newer one: a reader keeps the view it
/// took until it lets go, and a replaced view is closed only then.
/// </summary>
public sealed class ServeViewsTests : IDisposable
{
    private readonly TempArchive _archive = new();

    private string Data => _archive.File("data");

    [Fact]
    public async Task A_replaced_view_stays_open_for_its_readers_and_closes_when_the_last_lets_go()
    {
        // Given a view held by a reader (a request in flight)
        await ImportAsync("alpha");
        using var views = ServeViews.Following(SnapshotFollower.Open(Data));
        var reader = views.Acquire();
        var old = reader.View;

        // When the writer commits more and the view is replaced
        await ImportAsync("bravo");
        views.Replace(SnapshotFollower.Open(Data));

        // Then the reader still reads its own view, new readers the new one
        Assert.Equal(1, Total(old, "alpha"));
        Assert.Equal(0, Total(old, "bravo"));
        using (var next = views.Acquire())
        {
            Assert.NotSame(old, next.View);
            Assert.Equal(1, Total(next.View, "bravo"));
            Assert.NotNull(next.Store.GetPost("telegram:bench.corpus:te-bravo"));
        }
        Assert.Null(old.Store.GetPost("telegram:bench.corpus:te-bravo"));

        // And the old view closes when its reader lets go, not before
        reader.Dispose();
        Assert.ThrowsAny<ObjectDisposedException>(() => old.Store.GetPost("telegram:bench.corpus:te-alpha"));
        var closed = Record.Exception(() => Total(old, "alpha"));
        Assert.IsAssignableFrom<ObjectDisposedException>(closed as ObjectDisposedException ?? closed?.InnerException);
        reader.Dispose(); // letting go twice is harmless
        using var still = views.Acquire();
        Assert.Equal(1, Total(still.View, "alpha"));
    }

    [Fact]
    public async Task The_writing_servers_view_is_never_closed_by_its_readers()
    {
        await ImportAsync("alpha");
        var view = SnapshotFollower.Open(Data);
        try
        {
            var views = ServeViews.Fixed(view.Store, view.Index);
            using (var lease = views.Acquire()) Assert.Same(view.Store, lease.Store);
            views.Dispose();
            Assert.Equal(1, Total(view, "alpha"));
            Assert.NotNull(view.Store.GetPost("telegram:bench.corpus:te-alpha"));
        }
        finally
        {
            view.Index.Dispose();
            view.Store.Dispose();
        }
    }

    private static long Total(ServeView view, string word) => view.Index.Search(new SearchRequest { Query = word, Limit = 0 }).Total;

    private async Task ImportAsync(string word)
    {
        var file = _archive.File($"{word}.jsonl");
        await File.WriteAllTextAsync(file, System.Text.Json.JsonSerializer.Serialize(new
        {
            id = $"te-{word}",
            platform = "telegram",
            channel = "views",
            author = "a",
            created_at = "2024-01-01T00:00:00Z",
            lang = "en",
            text = $"{word} report",
            hashtags = Array.Empty<string>(),
            urls = Array.Empty<string>(),
        }) + "\n", TestContext.Current.CancellationToken);
        var import = await Support.Cli.RunAsync("--data", Data, "--quiet", "import", file);
        Assert.True(import.ExitCode == 0, import.Error);
    }

    public void Dispose() => _archive.Dispose();
}
