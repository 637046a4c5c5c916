using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Archiver.Capturing;
using Archiver.Cli;
using Archiver.Model;
using Archiver.Replica;
using Archiver.Tests.Support;

namespace Archiver.Tests.EndToEnd;

/// <summary>
/// The demo's watch step (issue 17): its second pass catches an edit, a deletion and a takedown, and every event it
/// records is a change the evolving replica's truth lists, with the WARC record that showed it.
/// </summary>
public sealed partial class DemoWatchTests
{
    private static readonly DemoWatchPlan Plan = DemoPlan.Watch;

    [GeneratedRegex(@"watch pass 2: (?<new>\d+) new, (?<edited>\d+) edited, (?<deleted>\d+) deleted(?<gone>(, \w+:\w+ gone \(\d+\))*)")]
    private static partial Regex SummaryLine();

    [GeneratedRegex(@"archiver replica truth [^#\n]*[^#\s]")]
    private static partial Regex TruthCommand();

    private static string TruthType(string eventType) => eventType.Replace('-', '_');

    /// <summary>The part of a post key after "platform:host:port:" (the truth's native id; the truth's hosts name other ports).</summary>
    private static string NativeId(string postKey) => postKey.Split(':', 4)[3];

    [Fact]
    public void The_demo_watch_plan_schedules_an_edit_a_deletion_and_a_takedown_of_its_channels_between_its_passes()
    {
        // The schedule is a pure function of (seed, size, start, days): what the second pass can see is fixed.
        var network = new ReplicaNetwork(Plan.Seed, ReplicaSize.Small, new EvolveSettings { Start = Plan.Start, Days = Plan.Days });
        var endpoints = ReplicaEndpoints.FromPort(8470);
        var truth = new ReplicaTruth(network, endpoints, 1);
        var watched = Plan.Channels.Select(c => (c.Platform, c.Name)).ToHashSet();
        var between = truth.Changes()
            .Where(c => watched.Contains((c.Platform, c.Channel)) && c.Time > Plan.Baseline.UtcDateTime && c.Time <= Plan.Second.UtcDateTime).ToList();
        var atSecond = new ReplicaTruth(network, endpoints, new ReplicaView(1, Plan.Second.ToUnixTimeMilliseconds()));
        var up = Plan.Channels.Where(c => atSecond.TakenDown(c.Platform == "telegram" ? OriginKind.Telegram : OriginKind.Mastodon, c.Name) is null).Select(c => c.Name).ToHashSet();
        var atBaseline = new ReplicaTruth(network, endpoints, new ReplicaView(1, Plan.Baseline.ToUnixTimeMilliseconds())).Posts().ToDictionary(p => p.Key);

        // An edit and a deletion of a post the baseline archived, on a channel still up at the second pass, inside the recheck window.
        bool Visible(ReplicaChange c) => up.Contains(c.Channel) && atBaseline.TryGetValue(c.Key!, out var post) && post.CreatedAt >= (Plan.Second - Plan.RecheckWindow).UtcDateTime;
        Assert.Contains(between, c => c.Type == ArchiveEventType.Edited && Visible(c));
        Assert.Contains(between, c => c.Type == ArchiveEventType.Deleted && Visible(c));
        // A channel taken down between the passes and still down at the second.
        Assert.Contains(between, c => c.Type == ArchiveEventType.ChannelGone && !up.Contains(c.Channel));
        // The baseline sees every channel up: what it stores is the watch's starting point, not a takedown.
        var atFirst = new ReplicaTruth(network, endpoints, new ReplicaView(1, Plan.Baseline.ToUnixTimeMilliseconds()));
        Assert.All(Plan.Channels, c => Assert.Null(atFirst.TakenDown(c.Platform == "telegram" ? OriginKind.Telegram : OriginKind.Mastodon, c.Name)));
    }

    [Fact]
    public async Task The_demo_watch_pass_catches_an_edit_a_deletion_and_a_takedown_and_events_lists_them_with_evidence_as_the_truth_has_them()
    {
        using var dir = new TempArchive();
        var demo = dir.File("demo");
        var watch = Path.Combine(demo, "watch");

        var result = await Support.Cli.RunAsync("demo", "--out", demo);

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        // The output names what the pass caught: the summary line and each event as the notifier prints it.
        var summary = SummaryLine().Match(result.Out);
        Assert.True(summary.Success, result.Out);
        int Count(string name) => int.Parse(summary.Groups[name].Value, CultureInfo.InvariantCulture);
        Assert.True(Count("edited") >= 1 && Count("deleted") >= 1, summary.Value);
        Assert.Matches(@"telegram:\w+ gone \((404|451)\)", summary.Groups["gone"].Value);
        foreach (var type in new[] { "new-post", "edited", "deleted", "channel-gone" })
            Assert.Matches($@"(?m)^\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\dZ  {type}  ", result.Out);
        Assert.Contains($"archiver --data {watch} events", result.Out);
        Assert.Contains($"archiver --data {watch} watch list", result.Out);

        // archiver events --json on the demo's watch archive lists exactly what the summary counted, each with its evidence.
        var listed = await Support.Cli.RunAsync("events", "--data", watch, "--json");
        Assert.True(listed.ExitCode == 0, listed.Error);
        using var json = JsonDocument.Parse(listed.Out);
        var events = json.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
        int Events(string type) => events.Count(e => e.GetProperty("type").GetString() == type);
        Assert.Equal((Count("new"), Count("edited"), Count("deleted")), (Events("new-post"), Events("edited"), Events("deleted")));
        Assert.Equal(Regex.Matches(summary.Groups["gone"].Value, " gone ").Count, Events("channel-gone"));
        Assert.Equal(events.Count, Events("new-post") + Events("edited") + Events("deleted") + Events("channel-gone"));
        foreach (var e in events)
        {
            var evidence = e.GetProperty("evidence");
            var file = Path.Combine(watch, "warc", evidence.GetProperty("warc_file").GetString()!);
            var offset = evidence.GetProperty("warc_offset").GetInt64();
            var record = WarcReader.Read(file).Single(r => r.Offset == offset);
            Assert.Equal("response", record.Type);
            Assert.Equal(evidence.GetProperty("warc_record_id").GetString(), record.RecordId);
            Assert.Equal(evidence.GetProperty("url").GetString(), record.TargetUri);
        }

        // Each event is a change the replica made between the two passes, as `replica truth --evolve` (the command the demo
        // prints) lists it: same kind, platform, channel, post (by native id) and, for a takedown, the status.
        var command = TruthCommand().Match(result.Out);
        Assert.True(command.Success, result.Out);
        var args = command.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..].Select(a => a == "changes.jsonl" ? "-" : a).ToArray();
        var truth = await Support.Cli.RunAsync(args);
        Assert.True(truth.ExitCode == 0, truth.Error);
        var changes = truth.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var unmatched = new List<string>();
        foreach (var e in events)
        {
            var type = TruthType(e.GetProperty("type").GetString()!);
            var platform = e.GetProperty("platform").GetString();
            var channel = e.GetProperty("channel").GetString();
            var postKey = e.TryGetProperty("post_key", out var k) ? k.GetString() : null;
            var match = changes.FirstOrDefault(c =>
                c.GetProperty("type").GetString() == type && c.GetProperty("platform").GetString() == platform && c.GetProperty("channel").GetString() == channel
                && c.GetProperty("time").GetDateTime() > Plan.Baseline.UtcDateTime
                && (postKey is null ? c.GetProperty("status").GetInt32() == e.GetProperty("evidence").GetProperty("http_status").GetInt32()
                    : c.GetProperty("native_id").GetString() == NativeId(postKey)));
            if (match.ValueKind == JsonValueKind.Undefined) unmatched.Add($"{type} {platform}:{channel} {postKey}");
        }
        Assert.True(unmatched.Count == 0, "events the truth does not list between the passes:\n" + string.Join("\n", unmatched));

        // And the other way: every change between the passes to a channel still up at the second pass was caught, as was
        // every takedown then in force (what a gone channel did before it went is not observable; the plan has no post
        // both published and edited or deleted between the passes, which would show as one new post or none).
        var gone = events.Where(e => e.GetProperty("type").GetString() == "channel-gone").Select(e => e.GetProperty("channel").GetString()).ToHashSet();
        var keys = events.Where(e => e.TryGetProperty("post_key", out _)).Select(e => (TruthType(e.GetProperty("type").GetString()!), NativeId(e.GetProperty("post_key").GetString()!))).ToHashSet();
        var watched = Plan.Channels.Select(c => (c.Platform, c.Name)).ToHashSet();
        var missed = changes
            .Where(c => c.GetProperty("time").GetDateTime() > Plan.Baseline.UtcDateTime && watched.Contains((c.GetProperty("platform").GetString()!, c.GetProperty("channel").GetString()!)))
            .Where(c => c.GetProperty("type").GetString() == "channel_gone"
                ? !gone.Contains(c.GetProperty("channel").GetString())
                : !gone.Contains(c.GetProperty("channel").GetString()) && !keys.Contains((c.GetProperty("type").GetString()!, c.GetProperty("native_id").GetString()!)))
            .Select(c => c.GetRawText()).ToList();
        Assert.True(missed.Count == 0, "changes between the passes with no event:\n" + string.Join("\n", missed));
    }
}
