using System.CommandLine;
using Archiver.Storage;
using Spectre.Console;

namespace Archiver.Cli;

/// <summary><c>archiver channels</c>: every channel and account, whether it is still up (or gone, when, on what evidence), and its posts.</summary>
public sealed class ChannelsCommand : ICliCommand
{
    public Command Build(CommandRunner run)
    {
        var command = new Command("channels", "Every channel and account: status (active, or gone with when and the evidence), last check, posts, edited, deleted");
        run.Attach(command, (context, _, _) =>
        {
            using var store = ArchiveSession.OpenReader(context.DataDir);
            var rows = ChannelSummaries.From(store);
            if (context.Json) context.WriteJson(rows);
            else Render(context.Console, rows);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static void Render(IAnsiConsole console, IReadOnlyList<ChannelSummary> rows)
    {
        if (rows.Count == 0)
        {
            console.WriteLine("No channels or accounts in this archive yet.");
            return;
        }
        var table = new Table().AddColumns("platform", "channel", "status", "last check", "posts", "edited", "deleted");
        foreach (var r in rows)
        {
            var status = r.Status == "gone" && r.Evidence is { } e
                ? $"[red]gone[/] {r.GoneAt:u}, HTTP {e.HttpStatus}: {Markup.Escape(e.Reason ?? "")} ({Markup.Escape(e.WarcFile ?? "no capture")}@{e.WarcOffset})"
                : r.Status;
            table.AddRow(Markup.Escape(r.Platform), Markup.Escape($"{r.Name} ({r.Host})"), status, r.LastCheck is { } at ? $"{at:u}" : "",
                Format.Count(r.Posts), Format.Count(r.Edited), Format.Count(r.Deleted));
        }
        console.Write(table);
        var gone = rows.Count(r => r.Status == "gone");
        console.MarkupLine($"{Format.Count(rows.Count)} channels and accounts, {Format.Count(gone)} gone.");
    }
}
