using Archiver.Model;
using Archiver.Watching;
using Microsoft.Extensions.Time.Testing;

namespace Archiver.Tests.Watching;

/// <summary>
/// The watcher gives its memory back once checks pause (<see cref="WatchMemoryTrim"/>): one full compacting collection
/// per quiet spell, none while checks keep finishing.
/// </summary>
public sealed class WatchMemoryTrimTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task After_a_burst_of_checks_one_full_collection_runs_once_checks_pause_and_none_while_they_run()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(T0));
        var scheduler = Scheduler(time, checksPerRun: 4);
        using var trim = new WatchMemoryTrim(scheduler, time, TimeSpan.FromSeconds(30));
        var fullBefore = GC.CollectionCount(GC.MaxGeneration);

        // Checks finishing every 10 s for a minute: never quiet for 30 s, no trim.
        for (var i = 0; i < 6; i++)
        {
            await scheduler.RunAsync(TestContext.Current.CancellationToken);
            time.Advance(TimeSpan.FromSeconds(10));
        }
        Assert.Equal(0, trim.Trims);

        // Quiet: one trim within the quiet time (plus a tick), and no second one while nothing is checked.
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, trim.Trims);
        Assert.True(GC.CollectionCount(GC.MaxGeneration) > fullBefore);
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        Assert.True(info.Compacted, "the trim's collection compacts");
        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, trim.Trims);

        // Checks again, then quiet again: one more.
        await scheduler.RunAsync(TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(2, trim.Trims);
    }

    [Fact]
    public async Task With_a_busy_interval_checks_that_never_pause_are_trimmed_once_per_interval()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(T0));
        var scheduler = Scheduler(time, checksPerRun: 1);
        using var trim = new WatchMemoryTrim(scheduler, time, TimeSpan.FromSeconds(30), busy: TimeSpan.FromMinutes(2));

        // A check every 10 s for 5 minutes: never quiet, so only the busy interval trims (at about 2 and 4 minutes).
        for (var i = 0; i < 30; i++)
        {
            await scheduler.RunAsync(TestContext.Current.CancellationToken);
            time.Advance(TimeSpan.FromSeconds(10));
        }
        Assert.Equal(2, trim.Trims);
        Assert.True(GC.GetGCMemoryInfo(GCKind.FullBlocking).Compacted, "the trim's collection compacts");
    }

    /// <summary>Five entries of five hosts whose checks each read one post at once; each run does <paramref name="checksPerRun"/> of them.</summary>
    private static WatchScheduler Scheduler(FakeTimeProvider time, int checksPerRun)
    {
        var entries = Enumerable.Range(0, 5).Select(i =>
            WatchRecords.NewEntry($"telegram:http://h{i}.example/s/c{i}", "telegram", WatchInterval.Parse("1h..4h"), null, T0, new HashSet<string>()) with { Id = $"e{i}" }).ToList();
        var read = new WatchCheckResult(WatchCheckKind.Read, "archived 1 posts (1 pages)", PostsSeen: 1);
        return new WatchScheduler(entries, e => e.Seed.Split('/')[2], (_, _) => Task.FromResult(read), (_, _) => Task.CompletedTask,
            time, new WatchSchedulerOptions { Once = true, All = true, MaxChecks = checksPerRun }, new Random(1));
    }
}
