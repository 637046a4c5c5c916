using System.CommandLine;
using Archiver.Cli;
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
        var recordEvents = new Option<bool>("--record-events") { Description = "Store the batches with StoreBatch.RecordEvents (one NewPost event per post)" };
        var writeLoop = new Command("write-loop", "Write numbered batches of posts, printing 'committed N' after each commit") { batches, size, recordEvents };
        run.Attach(writeLoop, async (context, parse, ct) =>
        {
            await using var session = ArchiveSession.Open(context.DataDir, ct: ct);
            var store = session.Store;
            var perBatch = parse.GetValue(size);
            // Continue numbering where the archive stopped so repeated runs write new posts only.
            var next = (int)store.Counters.Posts;
            for (var b = 0; b < parse.GetValue(batches) && !ct.IsCancellationRequested; b++)
            {
                var posts = Enumerable.Range(next, perBatch)
                    .Select(i => new PostObservation(SyntheticPosts.Make(i), DateTime.UtcNow))
                    .ToList();
                // Printed only once the writer acknowledged the commit.
                var result = await session.Writer.WriteAsync(new StoreBatch { Posts = posts, RecordEvents = parse.GetValue(recordEvents) }, CancellationToken.None);
                context.Out.WriteLine($"committed {result.Sequence} {next} {perBatch}");
                context.Out.Flush();
                next += perBatch;
            }
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(writeLoop);
        return command;
    }
}
