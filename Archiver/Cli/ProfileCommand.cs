using System.CommandLine;
using System.Net;
using Archiver.Model;
using Archiver.Platforms;
using Archiver.Platforms.Sites;
using Spectre.Console;

namespace Archiver.Cli;

/// <summary><c>archiver profile test|list</c>: try a declarative site profile on a saved page or a loopback URL.</summary>
public sealed class ProfileCommand : ICliCommand
{
    public Command Build(CommandRunner run)
    {
        var command = new Command("profile", "Declarative site profiles: list them, or test one on a page");
        command.Subcommands.Add(Test(run));
        command.Subcommands.Add(List(run));
        return command;
    }

    private static Command Test(CommandRunner run)
    {
        var profileArg = new Argument<string>("PROFILE") { Description = "Profile name, or path to a profile .json file" };
        var pageArg = new Argument<string>("URL|FILE") { Description = "A saved HTML file, or an http://127.0.0.1 URL" };
        var baseUrl = new Option<string?>("--url") { Description = "For a FILE: the URL it was served from (resolves links, sets the host)" };
        var limit = new Option<int>("--limit") { Description = "Rows to show in the table", DefaultValueFactory = _ => 50 };
        var command = new Command("test", "Print what a profile extracts from a page (a table, or --json)") { profileArg, pageArg, baseUrl, limit };
        run.Attach(command, async (context, parse, ct) =>
        {
            var profile = SiteProfileCatalog.CreateDefault().Resolve(parse.GetValue(profileArg)!);
            var page = await LoadPage(parse.GetValue(pageArg)!, parse.GetValue(baseUrl), ct);
            var result = SiteParser.Parse(profile, page);
            if (context.Json) context.WriteJson(new { profile = profile.Name, url = page.Url.AbsoluteUri, posts = result.Posts, next = result.Next.Select(n => new { n.Purpose, url = n.Url.AbsoluteUri }), problems = result.Problems });
            else Render(context.Console, profile, page, result, parse.GetValue(limit));
            return result.Posts.Count > 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static Command List(CommandRunner run)
    {
        var command = new Command("list", "List the site profiles found (shipped ones and $ARCHIVER_PROFILES)");
        run.Attach(command, (context, _, _) =>
        {
            var catalog = SiteProfileCatalog.CreateDefault();
            if (context.Json) context.WriteJson(catalog.All.Select(p => new { p.Name, p.Description, p.Source, p.NeedsJavascript }));
            else
            {
                var table = new Table().AddColumns("profile", "js", "description");
                foreach (var p in catalog.All) table.AddRow(Markup.Escape(p.Name), p.NeedsJavascript ? "yes" : "", Markup.Escape(p.Description ?? ""));
                context.Console.Write(table);
                foreach (var error in catalog.LoadErrors) context.Error.WriteLine($"warning: {error}");
            }
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static async Task<FetchedPage> LoadPage(string target, string? servedFrom, CancellationToken ct)
    {
        if (Uri.TryCreate(target, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            if (!IsLoopback(url)) throw new UsageException($"profile test fetches only loopback addresses (http://127.0.0.1:PORT/...); save {url.Host}'s page to a file and pass the file.");
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            try
            {
                using var response = await http.GetAsync(url, ct);
                var body = await response.Content.ReadAsByteArrayAsync(ct);
                return new FetchedPage { Url = url, Status = (int)response.StatusCode, Body = body, ContentType = response.Content.Headers.ContentType?.ToString() };
            }
            catch (HttpRequestException e)
            {
                throw new ArchiverException($"Cannot fetch {url}: {e.Message}", e);
            }
        }
        if (!File.Exists(target)) throw new UsageException($"{target} is neither an existing file nor an http(s) URL.");
        Uri pageUrl;
        if (servedFrom is null) pageUrl = new Uri(Path.GetFullPath(target));
        else if (!Uri.TryCreate(servedFrom, UriKind.Absolute, out pageUrl!)) throw new UsageException($"--url {servedFrom} is not an absolute URL.");
        return new FetchedPage { Url = pageUrl, Status = 200, Body = await File.ReadAllBytesAsync(target, ct), ContentType = "text/html" };
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private static void Render(IAnsiConsole console, SiteProfile profile, FetchedPage page, Platforms.ParseResult result, int limit)
    {
        // Redirected output defaults to 80 columns, too narrow for eight columns of posts.
        if (!console.Profile.Capabilities.Interactive) console.Profile.Width = Math.Max(console.Profile.Width, 160);
        console.MarkupLine($"[bold]{Markup.Escape(profile.Name)}[/] on {Markup.Escape(page.Url.AbsoluteUri)}: {result.Posts.Count} posts");
        var table = new Table().AddColumns("id", "author", "channel", "date (UTC)", "likes", "shares", "views", "text");
        foreach (var post in result.Posts.Take(limit))
            table.AddRow(Cell(post.NativeId), Cell(post.AuthorHandle), Cell(post.Channel), post.CreatedAt?.ToString("yyyy-MM-dd HH:mm:ss") ?? "",
                post.Likes?.ToString() ?? "", post.Shares?.ToString() ?? "", post.Views?.ToString() ?? "", Cell(Clip(post.Text.ReplaceLineEndings(" "), 60)));
        console.Write(table);
        if (result.Posts.Count > limit) console.MarkupLine($"... {result.Posts.Count - limit} more (--limit, or --json for all)");
        foreach (var next in result.Next) console.MarkupLine($"{next.Purpose}: {Markup.Escape(next.Url.AbsoluteUri)}");
        foreach (var problem in result.Problems) console.MarkupLine($"[yellow]problem:[/] {Markup.Escape(problem.Reason)}");
    }

    private static string Cell(string? text) => Markup.Escape(text ?? "");

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
