using Archiver.Model;
using Archiver.Watching;

namespace Archiver.Tests.Watching;

/// <summary>The schedule after each check: adaptive within the entry's bounds, jittered, backing off on errors, slow for a gone channel.</summary>
public sealed class WatchCadenceTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private static WatchEntry Entry(string every = "30m..8h") => WatchRecords.NewEntry("telegram:news", "telegram", WatchInterval.Parse(every), null, T0, new HashSet<string>());

    private static WatchCheckResult Read(long found) => new(WatchCheckKind.Read, "archived", New: found);

    [Fact]
    public void A_busy_channel_is_checked_more_often_down_to_the_shortest_interval_and_a_quiet_one_less_up_to_the_longest()
    {
        var random = new Random(7);
        var e = WatchCadence.After(Entry(), Read(50), T0, random);
        Assert.Equal(TimeSpan.FromHours(2), e.Interval); // the baseline keeps the start (the middle of 30m..8h)
        var intervals = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            e = WatchCadence.After(e, Read(3), T0, random);
            intervals.Add(e.Interval);
        }
        Assert.Equal([TimeSpan.FromHours(1), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30)], intervals.Take(3));
        Assert.All(intervals.Skip(1), i => Assert.Equal(TimeSpan.FromMinutes(30), i)); // never below the shortest
        intervals.Clear();
        for (var i = 0; i < 12; i++)
        {
            e = WatchCadence.After(e, Read(0), T0, random);
            intervals.Add(e.Interval);
        }
        Assert.Equal(TimeSpan.FromMinutes(45), intervals[0]);
        Assert.True(intervals.Zip(intervals.Skip(1)).All(p => p.Second >= p.First), string.Join(", ", intervals));
        Assert.Equal(TimeSpan.FromHours(8), intervals[^1]);
        Assert.Equal(3 * 8, e.TotalNew);
        Assert.Equal(0, e.LastNew);
    }

    [Fact]
    public void Jitter_keeps_every_next_check_within_ten_percent_of_the_interval_and_within_the_bounds()
    {
        var random = new Random(11);
        var baseline = WatchCadence.After(Entry(), Read(0), T0, random);
        var delays = new List<double>();
        for (var i = 0; i < 2000; i++)
        {
            var found = i % 3 == 0 ? 1 : 0;
            var before = baseline with { Interval = TimeSpan.FromMinutes(30 + i % 500) };
            var after = WatchCadence.After(before, Read(found), T0, random);
            var delay = after.NextCheckAt - T0;
            Assert.InRange(delay, after.Interval * 0.9 - TimeSpan.FromMilliseconds(1), after.Interval * 1.1 + TimeSpan.FromMilliseconds(1));
            Assert.InRange(delay, after.MinInterval, after.MaxInterval);
            delays.Add(delay / after.Interval);
        }
        // Spread, not a constant: both halves of the jitter range are used.
        Assert.Contains(delays, d => d < 0.97);
        Assert.Contains(delays, d => d > 1.03 && d <= 1.1);
    }

    [Fact]
    public void Failures_back_off_doubling_from_a_quarter_of_the_shortest_interval_up_to_the_longest_and_a_success_resets_them()
    {
        var random = new Random(3);
        var e = WatchCadence.After(Entry("1h..8h"), Read(0), T0, random);
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            e = WatchCadence.After(e, WatchCheckResult.Failure("unreachable: connection refused"), T0, random);
            waits.Add(e.NextCheckAt - T0);
            Assert.Equal(i + 1, e.ConsecutiveFailures);
            Assert.Equal(WatchStatus.Failing, e.Status);
            Assert.Equal("unreachable: connection refused", e.LastError);
        }
        double[] expectedMinutes = [15, 30, 60, 120, 240, 480, 480, 480];
        for (var i = 0; i < waits.Count; i++)
            Assert.InRange(waits[i].TotalMinutes, expectedMinutes[i] * 0.9 - 0.01, expectedMinutes[i] * 1.1 + 0.01);
        e = WatchCadence.After(e, Read(0), T0, random);
        Assert.Equal(0, e.ConsecutiveFailures);
        Assert.Null(e.LastError);
        Assert.Equal(WatchStatus.Active, e.Status);
    }

    [Fact]
    public void A_gone_channel_is_rechecked_three_times_at_the_shortest_interval_then_kept_as_gone_and_checked_slowly()
    {
        var random = new Random(5);
        var e = WatchCadence.After(Entry("1h..6h"), Read(0), T0, random);
        var gone = new WatchCheckResult(WatchCheckKind.Gone, "gone (HTTP 451)");
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            e = WatchCadence.After(e, gone, T0, random);
            waits.Add(e.NextCheckAt - T0);
            Assert.Equal(WatchStatus.Gone, e.Status);
        }
        Assert.All(waits.Take(3), w => Assert.InRange(w.TotalHours, 0.9, 1.1));
        Assert.All(waits.Skip(3), w => Assert.InRange(w.TotalHours, 24 * 0.9, 24 * 1.1));
        Assert.Equal(5, e.GoneChecks);
        e = WatchCadence.After(e, Read(0), T0, random);
        Assert.Equal((WatchStatus.Active, 0), (e.Status, e.GoneChecks));
    }

    [Theory]
    [InlineData("30m", 15, 60)]
    [InlineData("6h", 180, 720)]
    [InlineData("1d", 720, 2880)]
    [InlineData("30m..1d", 30, 1440)]
    [InlineData("90s..2m", 1.5, 2)]
    public void Every_gives_the_bounds(string every, double min, double max)
    {
        var interval = WatchInterval.Parse(every);
        Assert.Equal((min, max), (interval.Min.TotalMinutes, interval.Max.TotalMinutes));
    }
}
