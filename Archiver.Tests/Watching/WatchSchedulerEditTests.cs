using System.Collections.Concurrent;
using Archiver.Model;
using Archiver.Watching;
using Microsoft.Extensions.Time.Testing;

namespace Archiver.Tests.Watching;

/// <summary>
/// The watch list changed while the scheduler runs (serve's watch page): an entry added is checked at once, even on an
/// empty list; a paused one is not checked, also when it is paused during its check; a removed one is forgotten, and a
/// check in flight does not bring it back; edits from many threads at once lose nothing and start no check twice.
/// </summary>
public sealed class WatchSchedulerEditTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly WatchCheckResult Quiet = new(WatchCheckKind.Read, "archived 1 posts (1 pages)", PostsSeen: 1);

    /// <summary>A scheduler whose store is a dictionary: saves after checks and edits both write it.</summary>
    private sealed class Harness
    {
        public FakeTimeProvider Time { get; } = new(new DateTimeOffset(T0));
        public ConcurrentQueue<string> Started { get; } = new();
        public ConcurrentDictionary<string, WatchEntry> Stored { get; } = new();

        public int StartsOf(string id) => Started.Count(s => s == id);

        public WatchScheduler Scheduler(IEnumerable<WatchEntry> entries, Func<WatchEntry, CancellationToken, Task<WatchCheckResult>>? check = null)
        {
            var list = entries.ToList();
            foreach (var e in list) Stored[e.Id] = e;
            return new WatchScheduler(list, e => e.Seed.Split('/')[2], async (e, ct) =>
            {
                Started.Enqueue(e.Id);
                return check is null ? Quiet : await check(e, ct);
            }, (e, _) =>
            {
                Stored[e.Id] = e;
                return Task.CompletedTask;
            }, Time, new WatchSchedulerOptions { MaxChecks = 4 }, new Random(1), persist: edit =>
            {
                foreach (var e in edit.Removed) Stored.TryRemove(e.Id, out _);
                foreach (var e in edit.Upserts) Stored[e.Id] = e;
                return Task.CompletedTask;
            });
        }
    }

    private static WatchEntry Entry(string id, string host, DateTime? created = null) =>
        WatchRecords.NewEntry($"telegram:http://{host}/s/{id}", "telegram", WatchInterval.Parse("1h..4h"), null, created ?? T0, new HashSet<string>()) with { Id = id };

    private static WatchEdit Add(WatchEntry e) => new([e], [], []);

    private static async Task Until(Func<bool> condition, string what, Func<string>? state = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting until " + what + (state is null ? "" : ": " + state()));
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Lets the loop run a while on the real clock (the fake one stands still): what has not started by then is not going to.</summary>
    private static Task Settle() => Task.Delay(200, TestContext.Current.CancellationToken);

    [Fact]
    public async Task An_entry_added_to_an_empty_running_list_is_checked_at_once_without_waking_the_clock()
    {
        var h = new Harness();
        var scheduler = h.Scheduler([]);
        using var stop = new CancellationTokenSource();
        var running = scheduler.RunAsync(stop.Token);
        await Settle();
        Assert.Empty(h.Started);

        await scheduler.EditAsync(_ => Add(Entry("new", "a.example")), TestContext.Current.CancellationToken);

        await Until(() => h.Stored["new"].Checks == 1, "the added entry was checked and saved");
        Assert.Equal(1, h.StartsOf("new"));
        Assert.True(h.Stored["new"].NextCheckAt > T0, "the check's schedule was saved");
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_paused_entry_is_not_checked_when_due_and_a_resumed_one_is()
    {
        var h = new Harness();
        var scheduler = h.Scheduler([Entry("a", "a.example"), Entry("b", "b.example")]);
        using var stop = new CancellationTokenSource();
        var running = scheduler.RunAsync(stop.Token);
        await Until(() => h.Stored["a"].Checks == 1 && h.Stored["b"].Checks == 1, "both baselines saved");

        await scheduler.EditAsync(list => WatchListEdit.SetPaused(list, ["a"], true), TestContext.Current.CancellationToken);
        Assert.True(h.Stored["a"].Paused, "the pause was stored");
        h.Time.Advance(TimeSpan.FromHours(5));
        await Until(() => h.StartsOf("b") == 2, "b checked again when due");
        await Settle();
        Assert.Equal(1, h.StartsOf("a"));

        await scheduler.EditAsync(list => WatchListEdit.SetPaused(list, ["a"], false), TestContext.Current.CancellationToken);
        // Resumed long after it fell due: checked at once.
        await Until(() => h.StartsOf("a") == 2, "a checked after resume");
        await Until(() => h.Stored["a"].Checks == 2, "a's second check saved");
        Assert.False(h.Stored["a"].Paused);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task An_entry_paused_during_its_check_is_saved_paused_and_not_checked_again()
    {
        var h = new Harness();
        var release = new TaskCompletionSource<WatchCheckResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var scheduler = h.Scheduler([Entry("a", "a.example")], (_, _) => release.Task);
        using var stop = new CancellationTokenSource();
        var running = scheduler.RunAsync(stop.Token);
        await Until(() => h.StartsOf("a") == 1, "the check started");

        // The edit does not wait for the check: only saves are serialised with it.
        await scheduler.EditAsync(list => WatchListEdit.SetPaused(list, ["a"], true), TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        release.SetResult(Quiet);

        await Until(() => h.Stored["a"].Checks == 1, "the check was saved");
        Assert.True(h.Stored["a"].Paused, "the check's save kept the pause made during it");
        h.Time.Advance(TimeSpan.FromDays(2));
        await Settle();
        Assert.Equal(1, h.StartsOf("a"));
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task An_entry_removed_during_its_check_stays_removed_and_is_not_checked_again()
    {
        var h = new Harness();
        var release = new TaskCompletionSource<WatchCheckResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var scheduler = h.Scheduler([Entry("a", "a.example"), Entry("b", "b.example")], (e, _) => e.Id == "a" ? release.Task : Task.FromResult(Quiet));
        using var stop = new CancellationTokenSource();
        var running = scheduler.RunAsync(stop.Token);
        // b's baseline saved before the clock moves (saved after, it would be due two days later than the clock goes).
        await Until(() => h.StartsOf("a") == 1 && h.Stored["b"].Checks == 1, "a's check started and b's was saved");

        var edit = await scheduler.EditAsync(list => WatchListEdit.Remove(list, ["a"]), TestContext.Current.CancellationToken);
        Assert.Equal("a", Assert.Single(edit.Removed).Id);
        release.SetResult(Quiet);
        h.Time.Advance(TimeSpan.FromDays(2));
        await Until(() => h.StartsOf("b") == 2, "b checked again");
        await Settle();

        Assert.False(h.Stored.ContainsKey("a"), "the check that ended after the removal brought the entry back");
        Assert.Equal(1, h.StartsOf("a"));
        Assert.Equal(["b"], scheduler.Entries.Select(e => e.Id));
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Edits_from_many_threads_while_checks_run_lose_nothing_and_start_no_check_twice()
    {
        var h = new Harness();
        var scheduler = h.Scheduler([Entry("first", "h0.example")], async (_, ct) =>
        {
            await Task.Delay(2, ct);
            return Quiet;
        });
        using var stop = new CancellationTokenSource();
        var running = scheduler.RunAsync(stop.Token);
        var ct = TestContext.Current.CancellationToken;

        // 60 entries over 6 hosts, added from 6 threads at once; every third one paused and resumed, every fifth removed.
        var ids = Enumerable.Range(0, 60).Select(i => $"e{i:D2}").ToList();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(t => Task.Run(async () =>
        {
            foreach (var id in ids.Where((_, i) => i % 6 == t))
            {
                var n = int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture);
                await scheduler.EditAsync(_ => Add(Entry(id, $"h{n % 6}.example", T0.AddMilliseconds(-n))), ct);
                if (n % 3 == 0)
                {
                    await scheduler.EditAsync(list => WatchListEdit.SetPaused(list, [id], true), ct);
                    await scheduler.EditAsync(list => WatchListEdit.SetPaused(list, [id], false), ct);
                }
                if (n % 5 == 0) await scheduler.EditAsync(list => WatchListEdit.Remove(list, [id]), ct);
            }
        }, ct)));

        var kept = ids.Where(id => int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture) % 5 != 0).Append("first").ToList();
        await Until(() => kept.All(id => h.Stored.TryGetValue(id, out var e) && e.Checks == 1), "every entry kept was checked and saved",
            () => string.Join("; ", kept.Where(id => !(h.Stored.TryGetValue(id, out var e) && e.Checks == 1))
                .Select(id => $"{id}: stored {(h.Stored.TryGetValue(id, out var e) ? $"checks {e.Checks} paused {e.Paused} next {e.NextCheckAt:O}" : "no")}, started {h.StartsOf(id)}")));
        await Settle();
        await stop.CancelAsync();
        await running;

        // The clock never moved: each entry kept was checked once (its baseline), none twice.
        Assert.All(kept, id => Assert.Equal(1, h.StartsOf(id)));
        Assert.Equal(kept.Order(StringComparer.Ordinal), h.Stored.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(kept.Order(StringComparer.Ordinal), scheduler.Entries.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.All(h.Stored.Values, e => Assert.False(e.Paused));
        // A removed entry may have been checked before its removal, never saved after it.
        Assert.All(ids.Except(kept), id => Assert.InRange(h.StartsOf(id), 0, 1));
    }
}
