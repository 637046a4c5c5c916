using System.CommandLine;
using Archiver.Storage;
using Spectre.Console;

namespace Archiver.Cli;

/// <summary><c>archiver show ID|URL</c>: one post with its versions and provenance.</summary>
public sealed class ShowCommand : ICliCommand
{
    public Command Build(CommandRunner run)
    {
        var id = new Argument<string>("ID|URL") { Description = "A post key (platform:host:id) or the post's URL" };
        var command = new Command("show", "Show a post with its versions and provenance") { id };
        run.Attach(command, (context, parse, _) =>
        {
            var wanted = parse.GetValue(id)!;
            using var store = ArchiveSession.OpenReader(context.DataDir);
            var post = store.GetPost(wanted) ?? store.FindPostByUrl(wanted)
                ?? throw new ArchiverException($"No post '{wanted}' in {store.Paths.Root}. Use a key as printed by 'archiver search' (platform:host:id) or the post's URL.");
            var view = new PostView(post, store.GetVersions(post.Key), store.LastSightingOf(post.Key));
            if (context.Json) context.WriteJson(view);
            else Render(context.Console, view);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static void Render(IAnsiConsole console, PostView view)
    {
        var stored = view.Current;
        var p = stored.Post;
        console.MarkupLine($"[bold]{Markup.Escape(stored.Key)}[/]  {Markup.Escape(p.Url ?? "")}");
        console.MarkupLine($"{Markup.Escape(p.AuthorName ?? p.AuthorHandle ?? p.Channel ?? "?")}  {p.CreatedAt:u}  kind={p.Kind}  version {stored.Version}"
            + (stored.IsDeleted ? $"  [red]deleted (seen gone {stored.DeletedAt:u}, HTTP {stored.DeletedStatus})[/]" : ""));
        if (view.Deletion is { } d)
        {
            console.MarkupLine($"[red]deletion evidence:[/] {Markup.Escape(d.Reason ?? "")}; response HTTP {d.HttpStatus} from {Markup.Escape(d.Url ?? "?")} at {d.FetchedAt:u}, "
                + $"WARC {Markup.Escape(d.WarcFile ?? "(none kept)")}@{d.WarcOffset}");
        }
        console.WriteLine();
        console.WriteLine(p.Text);
        console.WriteLine();
        if (p.Hashtags.Count > 0) console.MarkupLine($"hashtags: {Markup.Escape(string.Join(' ', p.Hashtags.Select(t => "#" + t)))}");
        if (p.Mentions.Count > 0) console.MarkupLine($"mentions: {Markup.Escape(string.Join(' ', p.Mentions.Select(t => "@" + t)))}");
        if (p.Links.Count > 0) console.MarkupLine($"links: {Markup.Escape(string.Join(' ', p.Links))}");
        foreach (var m in p.Media) console.MarkupLine($"media: {m.Kind} {Markup.Escape(m.Url ?? "")} {m.Sha256}");
        var counts = new[] { ("views", p.Views), ("likes", p.Likes), ("shares", p.Shares), ("replies", p.Replies) }
            .Where(c => c.Item2 is not null).Select(c => $"{c.Item1} {c.Item2}");
        console.MarkupLine(Markup.Escape(string.Join("  ", counts)));
        console.MarkupLine($"first seen {stored.FirstSeen:u}; this version seen {stored.VersionSeen:u}"
            + (view.LastSeenUnchanged is { } ls ? $"; last seen unchanged {ls:u}" : ""));
        if (stored.Capture is { } c)
            console.MarkupLine($"capture: {Markup.Escape(c.Url)} HTTP {c.Status} at {c.FetchedAt:u} sha256:{c.PayloadSha256} {Markup.Escape(c.WarcFile ?? "")}@{c.WarcOffset}");
        if (view.History.Count > 0)
        {
            var table = new Table().AddColumns("version", "first seen", "replaced", "text");
            foreach (var v in view.History)
                table.AddRow(v.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{v.FirstSeen:u}", $"{v.ReplacedAt:u}", Markup.Escape(Truncate(v.Post.Text, 80)));
            console.Write(table);
        }
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}

public sealed record PostView(StoredPost Current, IReadOnlyList<PostVersion> History, DateTime? LastSeenUnchanged)
{
    /// <summary>Why the archive says the post was deleted: the response that showed it (null while it is not).</summary>
    public Evidence? Deletion => Evidence.OfDeletion(Current);
}
