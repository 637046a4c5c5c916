using System.Collections.Concurrent;
using Archiver.Model;
using Archiver.Watching;
using Microsoft.Extensions.Time.Testing;

namespace Archiver.Tests.Watching;

/// <summary>
/// The watcher's loop on a fake clock: checks start when due, one host at a time, a hanging host is abandoned after the
/// check timeout without holding up the others, a pass (--once) checks the due entries and returns, and a stop saves no
/// half-done check.
/// </summary>
public sealed class WatchSchedulerTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private sealed class Harness
    {
        public FakeTimeProvider Time { get; } = new(new DateTimeOffset(T0));
        public ConcurrentQueue<(string Id, DateTime At)> Started { get; } = new();
        public ConcurrentDictionary<string, WatchEntry> Saved { get; } = new();
        public ConcurrentQueue<(WatchEntry Entry, WatchCheckResult Result)> Checked { get; } = new();

        public int StartsOf(string id) => Started.Count(s => s.Id == id);

        public WatchScheduler Scheduler(IEnumerable<WatchEntry> entries, Func<WatchEntry, CancellationToken, Task<WatchCheckResult>> check, WatchSchedulerOptions? options = null)
        {
            var scheduler = new WatchScheduler(entries, e => e.Seed.Split('/')[2], async (e, ct) =>
            {
                Started.Enqueue((e.Id, Time.GetUtcNow().UtcDateTime));
                return await check(e, ct);
            }, (e, _) =>
            {
                Saved[e.Id] = e;
                return Task.CompletedTask;
            }, Time, options, new Random(1));
            scheduler.Checked += (e, r) => Checked.Enqueue((e, r));
            return scheduler;
        }
    }

    private static WatchEntry Entry(string id, string host, string every = "1h..4h") =>
        WatchRecords.NewEntry($"telegram:http://{host}/s/{id}", "telegram", WatchInterval.Parse(every), null, T0, new HashSet<string>()) with { Id = id };

    private static readonly WatchCheckResult Quiet = new(WatchCheckKind.Read, "archived 1 posts (1 pages)", PostsSeen: 1);

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting until " + what);
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task A_hanging_host_does_not_delay_another_host_and_is_abandoned_after_the_check_timeout()
    {
        var h = new Harness();
        var hangs = Entry("slow", "hangs.example");
        var fine = Entry("fine", "fine.example");
        var scheduler = h.Scheduler([hangs, fine], async (e, ct) =>
        {
            if (e.Id == "slow") await Task.Delay(Timeout.Infinite, ct); // a host that never answers: only the timeout ends it
            return Quiet;
        }, new WatchSchedulerOptions { MaxChecks = 2, CheckTimeout = TimeSpan.FromHours(10) });
        using var stop = new CancellationTokenSource();
        var running = scheduler.RunAsync(stop.Token);

        await Until(() => h.StartsOf("fine") == 1 && h.StartsOf("slow") == 1, "both checks started");
        // Hours pass while the slow host hangs: the other host is checked each time it falls due.
        for (var round = 2; round <= 4; round++)
        {
            await Until(() => h.Saved.TryGetValue("fine", out var s) && s.Checks == round - 1, $"check {round - 1} of fine was saved");
            h.Time.SetUtcNow(h.Saved["fine"].NextCheckAt);
            await Until(() => h.StartsOf("fine") == round, $"check {round} of fine started");
        }
        var fineStarts = h.Started.Where(s => s.Id == "fine").Select(s => s.At).ToList();
        Assert.Equal(T0, fineStarts[0]);
        Assert.True(fineStarts[^1] - T0 >= TimeSpan.FromHours(2), string.Join(", ", fineStarts));
        Assert.Equal(1, h.StartsOf("slow"));
        Assert.False(h.Saved.ContainsKey("slow"));

        // Past the timeout the hanging check is abandoned, counted as failed, and retried with backoff.
        h.Time.SetUtcNow(T0 + TimeSpan.FromHours(10));
        await Until(() => h.Saved.ContainsKey("slow"), "the hanging check was given up");
        var slow = h.Saved["slow"];
        Assert.Equal(WatchStatus.Failing, slow.Status);
        Assert.Contains("took longer than 10h and was abandoned", slow.LastError);
        Assert.Equal(1, slow.ConsecutiveFailures);
        Assert.InRange(slow.NextCheckAt - (T0 + TimeSpan.FromHours(10)), TimeSpan.FromMinutes(15 * 0.9), TimeSpan.FromMinutes(15 * 1.1));

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Checks_of_one_host_never_overlap_and_at_most_max_checks_run_at_once()
    {
        var h = new Harness();
        var entries = new[] { Entry("a1", "a.example"), Entry("a2", "a.example"), Entry("a3", "a.example"), Entry("b1", "b.example"), Entry("c1", "c.example"), Entry("d1", "d.example") };
        var gates = entries.ToDictionary(e => e.Id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        var current = 0;
        var peak = 0;
        var hostsNow = new ConcurrentDictionary<string, int>();
        var overlap = false;
        var scheduler = h.Scheduler(entries, async (e, ct) =>
        {
            var host = e.Seed.Split('/')[2];
            if (hostsNow.AddOrUpdate(host, 1, (_, n) => n + 1) > 1) overlap = true;
            var now = Interlocked.Increment(ref current);
            InterlockedMax(ref peak, now);
            await gates[e.Id].Task.WaitAsync(ct);
            Interlocked.Decrement(ref current);
            hostsNow.AddOrUpdate(host, 0, (_, n) => n - 1);
            return Quiet;
        }, new WatchSchedulerOptions { MaxChecks = 3, Once = true });
        var pass = scheduler.RunAsync(TestContext.Current.CancellationToken);

        await Until(() => h.Started.Count == 3, "three checks started");
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Equal(3, h.Started.Count); // the bound holds: the others wait for a slot
        Assert.Equal(["a1", "b1", "c1"], h.Started.Select(s => s.Id).Order());
        foreach (var id in new[] { "a1", "b1", "c1", "d1", "a2", "a3" })
        {
            await Until(() => h.Started.Any(s => s.Id == id), id + " started");
            gates[id].SetResult();
        }
        var result = await pass;

        Assert.Equal(6, result.Checks);
        Assert.False(overlap, "two checks of one host ran at once");
        Assert.Equal(3, peak);
        Assert.Equal(entries.Select(e => e.Id).Order(), h.Saved.Keys.Order());
    }

    [Fact]
    public async Task A_pass_checks_the_due_entries_only_and_returns()
    {
        var h = new Harness();
        var due = Entry("due", "a.example");
        var later = Entry("later", "b.example") with { NextCheckAt = T0 + TimeSpan.FromMinutes(5) };
        var paused = Entry("paused", "c.example") with { Paused = true };
        var scheduler = h.Scheduler([due, later, paused], (_, _) => Task.FromResult(Quiet), new WatchSchedulerOptions { Once = true });

        var pass = await scheduler.RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal((1, 1), (pass.Checks, pass.Read));
        Assert.Equal(["due"], h.Started.Select(s => s.Id));
        var saved = h.Saved["due"];
        Assert.Equal(T0, saved.LastCheckAt);
        Assert.Equal(T0, saved.BaselineAt);
        Assert.InRange(saved.NextCheckAt - T0, saved.Interval * 0.9, saved.Interval * 1.1);

        var all = await h.Scheduler([due, later, paused], (_, _) => Task.FromResult(Quiet), new WatchSchedulerOptions { Once = true, All = true })
            .RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, all.Checks); // --all: every entry that is not paused
        Assert.DoesNotContain(h.Started, s => s.Id == "paused");
    }

    [Fact]
    public async Task A_stop_during_a_check_saves_nothing_for_it_so_it_is_due_again_at_the_next_start()
    {
        var h = new Harness();
        var entry = Entry("x", "a.example");
        var scheduler = h.Scheduler([entry], async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return Quiet;
        });
        using var stop = new CancellationTokenSource();
        var running = scheduler.RunAsync(stop.Token);
        await Until(() => h.Started.Count == 1, "the check started");

        await stop.CancelAsync();
        var pass = await running.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        Assert.Equal((1, 1), (pass.Checks, pass.Interrupted));
        Assert.Empty(h.Saved);
        Assert.Empty(h.Checked);
        Assert.Equal(T0, scheduler.Entries.Single().NextCheckAt);
    }

    [Fact]
    public async Task Nothing_starts_before_an_entry_is_due_and_it_starts_when_the_clock_reaches_it()
    {
        var h = new Harness();
        var entry = Entry("x", "a.example") with { NextCheckAt = T0 + TimeSpan.FromMinutes(30) };
        var scheduler = h.Scheduler([entry], (_, _) => Task.FromResult(Quiet));
        using var stop = new CancellationTokenSource();
        var running = scheduler.RunAsync(stop.Token);

        await Task.Delay(100, TestContext.Current.CancellationToken);
        h.Time.Advance(TimeSpan.FromMinutes(29));
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Empty(h.Started);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await Until(() => h.Started.Count == 1, "the due check started");
        Assert.Equal(T0 + TimeSpan.FromMinutes(30), h.Started.Single().At);

        await stop.CancelAsync();
        await running;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
