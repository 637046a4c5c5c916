using System.CommandLine;
using Archiver.Cli;
using Archiver.Notifications;
using Archiver.Storage;

namespace Archiver.Benchmarks;

/// <summary>
/// Hidden commands for the test suite's crash and lock tests: a second process that writes to an archive until
/// killed and reports each batch on stdout only after its commit returned. It lives here, not in the shipped
/// <c>archiver</c>, which users never need it in.
/// </summary>
public sealed class DebugCommand : ICliCommand
{
    public Command Build(CommandRunner run)
    {
        var command = new Command("debug", "Developer tools used by the tests") { Hidden = true };
        var batches = new Option<int>("--batches") { DefaultValueFactory = _ => int.MaxValue };
        var size = new Option<int>("--batch-size") { DefaultValueFactory = _ => 1000 };
        var snapshotEvery = new Option<long?>("--snapshot-every") { Description = "Known-posts log entries between snapshots (the store's default otherwise)" };
        var edits = new Option<bool>("--edits") { Description = "Each batch also stores the previous batch's posts again, edited" };
        var recordEvents = new Option<bool>("--record-events") { Description = "Store the batches with StoreBatch.RecordEvents (one NewPost event per post)" };
        var writeLoop = new Command("write-loop", "Write numbered batches of posts, printing 'committed N' after each commit") { batches, size, snapshotEvery, edits, recordEvents };
        run.Attach(writeLoop, async (context, parse, ct) =>
        {
            await using var session = ArchiveSession.Open(context.DataDir, ct: ct);
            var store = session.Store;
            if (parse.GetValue(snapshotEvery) is { } every) store.SnapshotEvery = every;
            var perBatch = parse.GetValue(size);
            // Continue numbering where the archive stopped so repeated runs write new posts only.
            var next = (int)store.Counters.Posts;
            for (var b = 0; b < parse.GetValue(batches) && !ct.IsCancellationRequested; b++)
            {
                var posts = Enumerable.Range(next, perBatch)
                    .Select(i => new PostObservation(SyntheticPosts.Make(i), DateTime.UtcNow))
                    .ToList();
                if (parse.GetValue(edits) && next >= perBatch)
                {
                    posts.AddRange(Enumerable.Range(next - perBatch, perBatch).Select(i =>
                        new PostObservation(SyntheticPosts.Make(i) with { Text = $"{SyntheticPosts.Make(i).Text} (edited in batch {b})" }, DateTime.UtcNow)));
                }
                // Printed only once the writer acknowledged the commit.
                var result = await session.Writer.WriteAsync(new StoreBatch { Posts = posts, RecordEvents = parse.GetValue(recordEvents) }, CancellationToken.None);
                context.Out.WriteLine($"committed {result.Sequence} {next} {perBatch}");
                context.Out.Flush();
                next += perBatch;
            }
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(writeLoop);
        command.Subcommands.Add(NotifyLoop(run));
        return command;
    }

    /// <summary>
    /// Writes a batch of new posts with events every 100 ms while an <see cref="EventNotifier"/> posts them to
    /// --notify-url: the notifier's kill -9 test kills it at random moments and checks what the receiver got.
    /// </summary>
    private static Command NotifyLoop(CommandRunner run)
    {
        var url = new Option<string>("--notify-url") { Required = true };
        var batches = new Option<int>("--batches") { DefaultValueFactory = _ => int.MaxValue };
        var size = new Option<int>("--batch-size") { DefaultValueFactory = _ => 3 };
        var command = new Command("notify-loop", "Write batches of new posts with events while the notifier delivers them to a webhook") { url, batches, size };
        run.Attach(command, async (context, parse, ct) =>
        {
            await using var session = ArchiveSession.Open(context.DataDir, ct: ct);
            var options = new NotifyOptions
            {
                Url = NotifyOptions.ParseUrl(parse.GetValue(url)!),
                FirstBackoff = TimeSpan.FromMilliseconds(50),
                PollInterval = TimeSpan.FromMilliseconds(100),
            };
            using var notifier = EventNotifier.For(session, options, log: context.Error);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var notifying = notifier.RunAsync(stop.Token);
            var next = (int)session.Store.Counters.Posts;
            var perBatch = parse.GetValue(size);
            for (var b = 0; b < parse.GetValue(batches) && !ct.IsCancellationRequested; b++)
            {
                var posts = Enumerable.Range(next, perBatch).Select(i => new PostObservation(SyntheticPosts.Make(i), DateTime.UtcNow)).ToList();
                var result = await session.Writer.WriteAsync(new StoreBatch { Posts = posts, RecordEvents = true }, CancellationToken.None);
                context.Out.WriteLine($"committed {result.Sequence} {next} {perBatch}");
                context.Out.Flush();
                next += perBatch;
                await Task.Delay(100, CancellationToken.None);
            }
            // Then deliver until stopped (killed, or Ctrl-C).
            await Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            await stop.CancelAsync();
            await notifying;
            return ExitCodes.Ok;
        });
        return command;
    }
}
