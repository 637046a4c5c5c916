using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Import;

/// <summary>An import killed with SIGKILL at random moments and run again ends with the archive an uninterrupted import gives.</summary>
public sealed class ImportKillTests : IDisposable
{
    private const int Lines = 60_000;
    private readonly TempArchive _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Lines in the shared corpus's shape (bench/gen_corpus.py), with unicode and repeated channels.</summary>
    private string WriteCorpus()
    {
        var path = _dir.File("corpus.jsonl");
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < Lines; i++)
        {
            writer.Write(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["id"] = $"p{i}",
                ["platform"] = i % 3 == 0 ? "telegram" : "mastodon",
                ["channel"] = $"channel{i % 97}",
                ["author"] = $"author{i % 311}",
                ["created_at"] = start.AddSeconds(i * 17).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
                ["lang"] = i % 2 == 0 ? "ru" : "en",
                ["text"] = $"пост номер {i}: the archive keeps everything #tag{i % 13} " + new string('x', i % 200),
                ["hashtags"] = new[] { $"tag{i % 13}" },
                ["urls"] = i % 5 == 0 ? new[] { $"https://example.org/{i}" } : Array.Empty<string>(),
            }));
            writer.Write('\n');
        }
        return path;
    }

    private static Dictionary<string, string> Contents(string data)
    {
        using var store = ArchiveStore.Open(data, readOnly: true);
        var posts = store.ScanPosts().ToList();
        Assert.Equal(posts.Count, posts.Select(p => p.Key).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(posts.Count, store.Counters.Posts);
        return posts.ToDictionary(p => p.Key, p => p.ContentHash, StringComparer.Ordinal);
    }

    [Fact]
    public async Task An_import_killed_three_times_and_resumed_equals_an_uninterrupted_one()
    {
        var ct = TestContext.Current.CancellationToken;
        var input = WriteCorpus();
        var data = _dir.File("killed");
        var random = new Random(20261125);
        var partial = new List<int>();

        for (var round = 0; round < 3; round++)
        {
            using var child = ArchiverProcess.Start("import", input, "--data", data, "--no-index", "--quiet");
            var watch = Stopwatch.StartNew();
            // Wait until this run writes to the archive (past its start-up and the lines it skips), then kill at a random moment.
            var before = BytesOnDisk(data);
            while (watch.Elapsed < TimeSpan.FromSeconds(30) && !child.HasExited && BytesOnDisk(data) <= before + (2 << 20)) await Task.Delay(10, ct);
            // Short enough that the last round, which resumes with the least left to do, is still busy when killed.
            await Task.Delay(random.Next(0, 250), ct);
            var finished = child.HasExited;
            ArchiverProcess.KillHard(child);
            Assert.False(finished, $"round {round}: the import finished before it could be killed: " + await child.StandardError.ReadToEndAsync(ct));

            // The archive opens as it is (LiteDB's rebuild is off: a damaged file would throw) and holds no post twice.
            partial.Add(Contents(data).Count);
        }
        Assert.True(partial.Any(n => n is > 0 and < Lines), $"no kill interrupted the import half-way: posts after each kill {string.Join(", ", partial)}");

        var resumed = await Support.Cli.RunAsync("import", input, "--data", data, "--no-index", "--json");
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        var reference = _dir.File("reference");
        Assert.Equal(0, (await Support.Cli.RunAsync("import", input, "--data", reference, "--no-index", "--quiet")).ExitCode);

        var expected = Contents(reference);
        var actual = Contents(data);
        Assert.Equal(Lines, expected.Count);
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), actual.OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.Empty(Directory.GetFiles(data, "*backup*"));
    }

    /// <summary>The size of the archive's files: it grows as the import writes (LiteDB's log files included).</summary>
    private static long BytesOnDisk(string data) =>
        Directory.Exists(data) ? Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories).Sum(f =>
        {
            try
            {
                return new FileInfo(f).Length;
            }
            catch (IOException)
            {
                return 0;
            }
        }) : 0;
}
