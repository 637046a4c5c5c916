using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Archiver.Benchmarks;
using Archiver.Model;
using Archiver.Notifications;
using Archiver.Platforms.Feeds;
using Archiver.Storage;
using Archiver.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Archiver.Tests.Notifications;

/// <summary>The notifier beside a writing session: webhook (signed, retried, once per event across restarts), stdout, Atom.</summary>
public sealed class EventNotifierTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private static Capture Cap(int i) => new() { Url = $"https://t.me/s/channel{i % 500}", FetchedAt = T0, Status = 200, WarcFile = "w.warc.gz", WarcOffset = i };

    private static Task<StoreBatchResult> NewPosts(ArchiveSession session, int from, int count) =>
        session.Writer.WriteAsync(new StoreBatch
        {
            RecordEvents = true,
            WatchId = "w",
            Posts = Enumerable.Range(from, count).Select(i => new PostObservation(SyntheticPosts.Make(i), T0.AddMinutes(i), Cap(i))).ToList(),
        }, TestContext.Current.CancellationToken);

    private static async Task Until(Func<bool> condition, string what, int seconds = 20)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(seconds), $"timed out waiting for {what}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task The_webhook_gets_each_event_once_signed_after_500s_and_across_a_restart()
    {
        using var dir = new TempArchive();
        await using var receiver = await WebhookReceiver.StartAsync();
        // The first two requests fail with 500: the first event is delivered on its third attempt.
        receiver.Answer = n => Task.FromResult(n <= 2 ? 500 : 200);
        const string secret = "s3cret-key";
        var options = new NotifyOptions { Url = receiver.Url, Secret = secret, Stdout = true, FirstBackoff = TimeSpan.FromMilliseconds(50), PollInterval = TimeSpan.FromMilliseconds(200) };
        var stdout = new StringWriter();
        await using (var session = ArchiveSession.Open(dir.Path, ct: TestContext.Current.CancellationToken))
        {
            await NewPosts(session, 0, 3);
            using var notifier = EventNotifier.For(session, options, TextWriter.Synchronized(stdout));
            using var stop = new CancellationTokenSource();
            var run = notifier.RunAsync(stop.Token);
            // Until the notifier heard the 2xx (and saved its cursor): stopping while an answer is on its way repeats that
            // event on restart, which is the at-least-once the kill -9 test measures, not what this test is about.
            await Until(() => notifier.WebhookDelivered == 3, "3 deliveries");
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            Assert.Equal(5, notifier.WebhookAttempts);
        }
        var firstIds = receiver.Accepted.ToList();
        Assert.Equal(3, firstIds.Distinct().Count());
        Assert.Equal(3, stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        // Every body is signed with HMAC-SHA256 of its bytes under the secret, and is the event as JSON.
        foreach (var (id, body, signature, _) in receiver.Requests)
        {
            Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)), signature);
            using var json = JsonDocument.Parse(body);
            Assert.Equal(id, json.RootElement.GetProperty("id").GetString());
            Assert.Equal("new-post", json.RootElement.GetProperty("type").GetString());
            Assert.Equal("w.warc.gz", json.RootElement.GetProperty("evidence").GetProperty("warc_file").GetString());
        }

        // A new notifier on the same archive (a restart) delivers only what came after.
        await using (var session = ArchiveSession.Open(dir.Path, ct: TestContext.Current.CancellationToken))
        {
            using var notifier = EventNotifier.For(session, options, TextWriter.Synchronized(stdout));
            using var stop = new CancellationTokenSource();
            var run = notifier.RunAsync(stop.Token);
            await NewPosts(session, 3, 2);
            await Until(() => notifier.WebhookDelivered == 2, "2 more deliveries");
            await Task.Delay(500, TestContext.Current.CancellationToken);
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            var ids = session.Store.ReadEvents().Select(e => e.Id).ToList();
            Assert.Equal(ids, receiver.Accepted.ToList());
        }
        Assert.Equal(5, stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task A_hanging_webhook_holds_up_neither_the_writer_nor_the_other_sinks()
    {
        using var dir = new TempArchive();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => Task.Delay(Timeout.Infinite).ContinueWith(_ => 200, TaskScheduler.Default);
        var atom = Path.Combine(dir.Path, "events.atom");
        var options = new NotifyOptions
        {
            Url = receiver.Url,
            Stdout = true,
            AtomPath = atom,
            RequestTimeout = TimeSpan.FromMilliseconds(300),
            FirstBackoff = TimeSpan.FromMilliseconds(100),
            MaxBackoff = TimeSpan.FromMilliseconds(400),
            PollInterval = TimeSpan.FromMilliseconds(200),
        };
        var stdout = new StringWriter();
        var log = new StringWriter();
        await using var session = ArchiveSession.Open(dir.Path, ct: TestContext.Current.CancellationToken);
        using var notifier = EventNotifier.For(session, options, TextWriter.Synchronized(stdout), TextWriter.Synchronized(log));
        using var stop = new CancellationTokenSource();
        var run = notifier.RunAsync(stop.Token);

        var writes = Stopwatch.StartNew();
        for (var b = 0; b < 5; b++) await NewPosts(session, b * 4, 4);
        writes.Stop();

        await Until(() => notifier.StdoutDelivered == 20, "20 stdout lines");
        await Until(() => File.Exists(atom) && File.ReadAllText(atom).Split("<entry>").Length - 1 == 20, "20 Atom entries");
        await Until(() => notifier.WebhookAttempts >= 3, "3 webhook attempts");
        Assert.True(writes.Elapsed < TimeSpan.FromSeconds(5), $"5 writes took {writes.Elapsed}");
        Assert.Equal(0, notifier.WebhookDelivered);
        Assert.Contains("no answer within 0.3 s", log.ToString());
        var stopping = Stopwatch.StartNew();
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(2), $"stopping took {stopping.Elapsed}");
    }

    [Fact]
    public async Task The_Atom_feed_reads_in_the_project_feed_parser_and_in_python_with_stable_entry_ids()
    {
        using var dir = new TempArchive();
        var atom = Path.Combine(dir.Path, "events.atom");
        var options = new NotifyOptions { AtomPath = atom, AtomEntries = 10, PollInterval = TimeSpan.FromMilliseconds(100) };
        await using var session = ArchiveSession.Open(dir.Path, ct: TestContext.Current.CancellationToken);
        await NewPosts(session, 0, 6);
        // A detail with markup and a control character must still make well-formed XML.
        await session.Writer.WriteAsync(new StoreBatch { Events = [new ArchiveEvent { Id = "ev-odd", Type = ArchiveEventType.CheckFailed, ObservedAt = T0.AddHours(1), Platform = "site", Channel = "a&b", Detail = "<b>500</b> \u0001 & \"quotes\"" }] }, TestContext.Current.CancellationToken);
        using var notifier = EventNotifier.For(session, options);
        using var stop = new CancellationTokenSource();
        var run = notifier.RunAsync(stop.Token);
        await Until(() => notifier.AtomWrites >= 1, "the feed");
        var firstIds = Entries(atom).Select(e => e.Id).ToList();
        await NewPosts(session, 6, 8);
        await Until(() => Entries(atom).Count == 10 && Entries(atom)[0].Id != firstIds[0], "the feed with 14 new posts");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        // The project's own feed reader: Atom 1.0, the last 10 events newest first, ids "urn:archiver:event:<event id>".
        var (feed, _) = FeedParser.Read(File.ReadAllBytes(atom), "application/atom+xml", null);
        Assert.NotNull(feed);
        Assert.Equal("atom10", feed.Format);
        Assert.Empty(feed.Problems);
        var last10 = session.Store.ReadEvents().TakeLast(10).Reverse().ToList();
        Assert.Equal(last10.Select(e => "urn:archiver:event:" + e.Id), feed.Entries.Select(e => e.Id));
        Assert.All(feed.Entries, e => Assert.NotNull(e.Updated));
        // An entry id names its event, whatever else the feed holds: the odd event kept its id after the rewrite.
        Assert.Contains("urn:archiver:event:ev-odd", feed.Entries.Select(e => e.Id));

        // An independent reader: Python's XML parser, checking what RFC 4287 requires of a feed and its entries.
        var script = """
            import sys, datetime, xml.etree.ElementTree as ET
            A = '{http://www.w3.org/2005/Atom}'
            root = ET.parse(sys.argv[1]).getroot()
            assert root.tag == A + 'feed', root.tag
            for name in ('id', 'title', 'updated'):
                assert len(root.findall(A + name)) == 1, name
            assert root.find(A + 'author/' + A + 'name') is not None
            ids = []
            for entry in root.findall(A + 'entry'):
                for name in ('id', 'title', 'updated'):
                    assert len(entry.findall(A + name)) == 1, name
                datetime.datetime.fromisoformat(entry.find(A + 'updated').text.replace('Z', '+00:00'))
                ids.append(entry.find(A + 'id').text)
            assert len(ids) == len(set(ids))
            print(len(ids))
            for i in ids: print(i)
            """;
        var python = Process.Start(new ProcessStartInfo("python3") { ArgumentList = { "-c", script, atom }, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await python.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = await python.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await python.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(python.ExitCode == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("10", lines[0]);
        Assert.Equal(feed.Entries.Select(e => e.Id), lines.Skip(1));
        Assert.False(File.Exists(atom + ".tmp"));
    }

    private static List<FeedEntry> Entries(string atom)
    {
        if (!File.Exists(atom)) return [];
        var (feed, _) = FeedParser.Read(File.ReadAllBytes(atom), "application/atom+xml", null);
        return feed?.Entries.ToList() ?? [];
    }

    [Fact]
    public async Task Across_kill_9_the_webhook_gets_every_event_and_again_at_most_the_one_in_flight_per_kill()
    {
        using var dir = new TempArchive();
        await using var receiver = await WebhookReceiver.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var random = new Random(20261201);
        // A receiver that takes a moment, so some kills land while a delivery is in flight.
        receiver.Answer = n => Task.Delay(n % 7 * 5).ContinueWith(_ => 200, TaskScheduler.Default);
        var kills = 0;
        for (var round = 0; round < 5; round++)
        {
            using var child = ArchiverProcess.StartBench("debug", "notify-loop", "--data", dir.Path, "--notify-url", receiver.Url.AbsoluteUri, "--batches", "6");
            var committed = new TaskCompletionSource();
            var reader = Task.Run(async () =>
            {
                while (await child.StandardOutput.ReadLineAsync(ct) is not null) committed.TrySetResult();
            }, ct);
            var started = await Task.WhenAny(committed.Task, Task.Delay(TimeSpan.FromSeconds(60), ct));
            await Task.Delay(random.Next(100, 900), ct);
            ArchiverProcess.KillHard(child);
            kills++;
            Assert.True(started == committed.Task, $"round {round}: nothing committed: " + await child.StandardError.ReadToEndAsync(ct));
            await reader.WaitAsync(TimeSpan.FromSeconds(30), ct);
        }

        // A last run writes nothing and delivers what is left.
        using (var last = ArchiverProcess.StartBench("debug", "notify-loop", "--data", dir.Path, "--notify-url", receiver.Url.AbsoluteUri, "--batches", "0"))
        {
            List<string> ids = [];
            try
            {
                await Until(() =>
                {
                    using var store = ArchiveStore.Open(dir.Path, readOnly: true);
                    ids = store.ReadEvents().Select(e => e.Id).ToList();
                    return ids.Count > 0 && receiver.Accepted.Distinct().Count() == ids.Count;
                }, "every event delivered", seconds: 60);
            }
            finally
            {
                ArchiverProcess.KillHard(last);
            }
            var accepted = receiver.Accepted.ToList();
            Assert.Equal(ids.Order(StringComparer.Ordinal), accepted.Distinct().Order(StringComparer.Ordinal));
            var again = accepted.Count - accepted.Distinct().Count();
            TestContext.Current.SendDiagnosticMessage($"{ids.Count} events, {accepted.Count} deliveries, {again} again over {kills} kills");
            Assert.True(again <= kills, $"{again} events delivered twice over {kills} kills");
        }
    }
}
