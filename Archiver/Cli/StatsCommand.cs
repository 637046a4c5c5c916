using System.CommandLine;
using Archiver.Storage;
using Spectre.Console;

namespace Archiver.Cli;

/// <summary><c>archiver stats</c>: what the archive holds, by platform, channel and status.</summary>
public sealed class StatsCommand : ICliCommand
{
    public Command Build(CommandRunner run)
    {
        var top = new Option<int>("--top") { Description = "How many channels to list", DefaultValueFactory = _ => 15 };
        var command = new Command("stats", "Counts by platform, channel and status; archive size; last crawl") { top };
        run.Attach(command, (context, parse, _) =>
        {
            using var store = ArchiveSession.OpenReader(context.DataDir);
            var report = ArchiveStats.From(store, parse.GetValue(top));
            if (context.Json) context.WriteJson(report);
            else Render(context.Console, report);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static void Render(IAnsiConsole console, ArchiveStats stats)
    {
        console.MarkupLine($"[bold]Archive[/] {Markup.Escape(stats.Path)}  ({Format.Bytes(stats.SizeBytes)})");
        var totals = new Table().AddColumns("", "count");
        totals.AddRow("posts", Format.Count(stats.Posts));
        totals.AddRow("  deleted (seen gone)", Format.Count(stats.PostsDeleted));
        totals.AddRow("  earlier versions (edits)", Format.Count(stats.Versions));
        totals.AddRow("authors / channels", Format.Count(stats.Authors));
        totals.AddRow("  gone", Format.Count(stats.AuthorsGone));
        totals.AddRow("media files", $"{Format.Count(stats.Media)} ({Format.Bytes(stats.MediaBytes)})");
        console.Write(totals);
        if (stats.ByPlatform.Count > 0)
        {
            var platforms = new Table().AddColumns("platform", "posts");
            foreach (var (name, count) in stats.ByPlatform) platforms.AddRow(Markup.Escape(name), Format.Count(count));
            console.Write(platforms);
        }
        if (stats.TopChannels.Count > 0)
        {
            var channels = new Table().AddColumns("channel", "posts");
            foreach (var (name, count) in stats.TopChannels) channels.AddRow(Markup.Escape(name), Format.Count(count));
            console.Write(channels);
        }
        console.MarkupLine(stats.LastCrawl is { } job
            ? $"Last crawl: {job.StartedAt:u} ({job.State}, {job.Pages} pages, {job.Posts} posts, {job.Errors} errors)"
            : "No crawl has run on this archive.");
    }
}

public sealed record ArchiveStats
{
    public required string Path { get; init; }
    public required long SizeBytes { get; init; }
    public required long Sequence { get; init; }
    public required long Posts { get; init; }
    public required long PostsDeleted { get; init; }
    public required long Versions { get; init; }
    public required long Authors { get; init; }
    public required long AuthorsGone { get; init; }
    public required long Media { get; init; }
    public required long MediaBytes { get; init; }
    public required IReadOnlyList<KeyValuePair<string, long>> ByPlatform { get; init; }
    public required IReadOnlyList<KeyValuePair<string, long>> TopChannels { get; init; }
    public Model.CrawlJob? LastCrawl { get; init; }

    public static ArchiveStats From(ArchiveStore store, int top)
    {
        var c = store.Counters;
        return new ArchiveStats
        {
            Path = store.Paths.Root,
            SizeBytes = store.SizeOnDisk(),
            Sequence = store.Sequence,
            Posts = c.Posts,
            PostsDeleted = c.PostsDeleted,
            Versions = c.Versions,
            Authors = c.Authors,
            AuthorsGone = c.AuthorsGone,
            Media = c.Media,
            MediaBytes = c.MediaBytes,
            ByPlatform = c.ByPlatform.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToList(),
            TopChannels = c.ByChannel.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(top).ToList(),
            LastCrawl = store.LastJob(),
        };
    }
}
