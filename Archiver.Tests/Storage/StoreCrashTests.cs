using Archiver.Benchmarks;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Storage;

public sealed class StoreCrashTests
{
    [Fact]
    public async Task Every_batch_reported_committed_survives_repeated_kill_9_exactly_once()
    {
        using var dir = new TempArchive();
        var random = new Random(20260301);
        var committed = new List<(int First, int Count)>();
        var ct = TestContext.Current.CancellationToken;

        for (var round = 0; round < 10; round++)
        {
            using var child = ArchiverProcess.StartWriteLoop("--data", dir.Path, "--batch-size", "400", "--edits", "--snapshot-every", "1000");
            var firstCommit = new TaskCompletionSource();
            var lines = new List<string>();
            var reader = Task.Run(async () =>
            {
                while (await child.StandardOutput.ReadLineAsync(ct) is { } line)
                {
                    lock (lines) lines.Add(line);
                    firstCommit.TrySetResult();
                }
            }, ct);
            var started = await Task.WhenAny(firstCommit.Task, Task.Delay(TimeSpan.FromSeconds(60), ct));
            await Task.Delay(random.Next(0, 700), ct);
            ArchiverProcess.KillHard(child);
            Assert.True(started == firstCommit.Task, $"round {round}: the writer never committed: " + await child.StandardError.ReadToEndAsync(ct));
            await reader.WaitAsync(TimeSpan.FromSeconds(30), ct);
            lock (lines)
            {
                foreach (var line in lines.Where(l => l.StartsWith("committed ", StringComparison.Ordinal)))
                {
                    var parts = line.Split(' ');
                    committed.Add((int.Parse(parts[2]), int.Parse(parts[3])));
                }
            }

            // The archive opens (LiteDB's auto-rebuild is off: a damaged file would throw) and holds every reported batch.
            using var store = ArchiveStore.Open(dir.Path);
            var keys = store.ScanPosts().Select(p => p.Key).ToList();
            Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(keys.Count, store.Counters.Posts);
            // The killed writer saved neither its known-posts map nor its channel counts on close: both come back
            // from the last snapshot and the log each commit wrote, exactly as a scan of every post gives them.
            var scannedCounts = store.ScanPosts()
                .GroupBy(p => $"{p.Post.Platform}:{p.Post.Channel ?? p.Post.AuthorHandle ?? "?"}", StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
            Assert.Equal(scannedCounts.OrderBy(c => c.Key, StringComparer.Ordinal), store.Counters.ByChannel.OrderBy(c => c.Key, StringComparer.Ordinal));
            var (loaded, scanned) = store.KnownPostsForCheck();
            Assert.True(store.KnownPostsReplayed, $"round {round}: the known-posts map was rebuilt by a scan, not replayed from the log");
            Assert.True(loaded.SameAs(scanned), $"round {round}: the replayed map ({loaded.Count}) differs from a scan ({scanned.Count})");
            var present = keys.ToHashSet(StringComparer.Ordinal);
            foreach (var (first, count) in committed)
            {
                for (var i = first; i < first + count; i++)
                    Assert.Contains(SyntheticPosts.Make(i).Key, present);
            }
        }

        Assert.True(committed.Count >= 10, $"expected at least 10 committed batches over 10 kills, saw {committed.Count}");
        Assert.Empty(Directory.GetFiles(dir.Path, "*backup*"));
    }
}
