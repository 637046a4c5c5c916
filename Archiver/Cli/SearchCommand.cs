using System.CommandLine;
using System.Globalization;
using Archiver.Indexing;
using Archiver.Search;
using Archiver.Storage;
using Spectre.Console;

namespace Archiver.Cli;

/// <summary><c>archiver search QUERY</c>: full-text search with fields, dates, snippets, counts and a histogram.</summary>
public sealed class SearchCommand : ICliCommand
{
    public Command Build(CommandRunner run)
    {
        var query = new Argument<string[]>("QUERY")
        {
            Description = "Lucene syntax: words (ANDed), \"phrases\", OR, NOT, -word, word*, author:, channel:, platform:, lang:, #tag, @mention, domain:, date:2021-01-06, date:[2021-01-01 TO 2021-01-10}",
            Arity = ArgumentArity.OneOrMore,
        };
        var stem = new Option<bool>("--stem") { Description = "Also match other forms of the words (stemming by the post's language: en, fr, ru, ar, de)" };
        var since = new Option<string?>("--since") { Description = DateSyntax.SinceHelp, HelpName = "DATE" };
        var until = new Option<string?>("--until") { Description = DateSyntax.UntilHelp, HelpName = "DATE" };
        var by = new Option<string[]>("--by") { Description = "Count the matches by author|channel|platform|lang|hashtag|domain (repeatable)", HelpName = "FIELD" };
        var histogram = new Option<string?>("--histogram") { Description = "Matches over time per day|week|month", HelpName = "PERIOD" };
        var sort = new Option<string>("--sort") { Description = "relevance|newest|oldest", DefaultValueFactory = _ => "relevance" };
        var limit = new Option<int>("--limit") { Description = "Results to show", DefaultValueFactory = _ => 20 };
        var offset = new Option<int>("--offset") { Description = "Results to skip (paging)" };
        var top = new Option<int>("--top") { Description = "Values to list per --by field", DefaultValueFactory = _ => 10 };
        var command = new Command("search", "Search the archive (full text, fields, dates) with snippets, counts by field and a histogram. "
            + $"Matched words are highlighted on a terminal and set in {SearchOutput.MarkOpen} {SearchOutput.MarkClose} when the output is piped or redirected; --json gives their offsets")
        {
            query, stem, since, until, by, histogram, sort, limit, offset, top,
        };
        run.Attach(command, (context, parse, ct) =>
        {
            var request = new SearchRequest
            {
                Query = string.Join(' ', parse.GetValue(query) ?? []),
                Stem = parse.GetValue(stem),
                Since = parse.GetValue(since) is { } s ? SearchValues.Date($"--since '{s}'", s).Start : null,
                Until = parse.GetValue(until) is { } u ? SearchValues.Date($"--until '{u}'", u).End : null,
                CountBy = (parse.GetValue(by) ?? []).Select(b => SearchValues.CountField($"--by '{b}'", b)).ToList(),
                Histogram = parse.GetValue(histogram) is { } h ? SearchValues.Choice<HistogramPeriod>($"--histogram '{h}'", h) : null,
                Sort = SearchValues.Choice<SearchSort>($"--sort '{parse.GetValue(sort)}'", parse.GetValue(sort)!),
                Limit = NonNegative("--limit", parse.GetValue(limit)),
                Offset = NonNegative("--offset", parse.GetValue(offset)),
                TopValues = Math.Max(1, parse.GetValue(top)),
            };
            using var store = ArchiveSession.OpenReader(context.DataDir);
            using var index = ArchiveIndex.OpenForSearch(store, out var note, ct);
            if (note is not null && !context.Quiet) context.WriteNote(note);
            SearchResults results;
            try
            {
                results = index.Search(request);
            }
            catch (QuerySyntaxException e)
            {
                throw new UsageException(e.Message);
            }
            var details = SearchOutput.Details(store, results);
            if (context.Json) context.WriteJson(SearchOutput.From(request, results, details));
            else SearchOutput.Render(context.Console, request, results, details);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static int NonNegative(string option, int value) =>
        value >= 0 ? value : throw new UsageException($"{option} must be 0 or more (got {value.ToString(CultureInfo.InvariantCulture)}).");
}
