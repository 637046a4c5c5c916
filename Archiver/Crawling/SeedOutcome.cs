namespace Archiver.Crawling;

/// <summary>What became of one seed in a crawl: the line a user reads to know whether the seed was archived.</summary>
public sealed record SeedOutcome(string Seed, SeedOutcomeKind Outcome, long Posts, long Pages, string? Detail)
{
    /// <summary>Outcomes that mean the seed was not archived and the user has to act (exit code 1).</summary>
    public bool Failed => Outcome is SeedOutcomeKind.NotFound or SeedOutcomeKind.Unreachable or SeedOutcomeKind.RefusedPrivate
        or SeedOutcomeKind.RefusedRobots or SeedOutcomeKind.Failed or SeedOutcomeKind.SkippedBrowser;

    /// <summary>One line of text: "archived 12 posts (3 pages)", "not found (HTTP 404 ...)", "refused: private address ...".</summary>
    public string Describe() => Outcome switch
    {
        SeedOutcomeKind.Archived => $"archived {Posts:N0} posts ({Pages:N0} pages)" + (Detail is null ? "" : $"; {Detail}"),
        SeedOutcomeKind.NotFound => $"not found ({Detail})",
        SeedOutcomeKind.Gone => $"gone ({Detail})" + (Posts > 0 ? $"; archived {Posts:N0} posts first" : ""),
        SeedOutcomeKind.Unreachable => $"unreachable: {Detail}",
        SeedOutcomeKind.RefusedPrivate => $"refused: private address: {Detail}",
        SeedOutcomeKind.RefusedRobots => $"refused: robots: {Detail}",
        SeedOutcomeKind.SkippedBrowser => $"skipped: needs a browser: {Detail}",
        SeedOutcomeKind.Failed => $"failed: {Detail}",
        SeedOutcomeKind.Pending => "pending: not fetched in this run (--max-pages or interrupted); re-run to continue",
        _ => "up to date: fetched in an earlier run (--recheck fetches it again)",
    };
}

public enum SeedOutcomeKind
{
    /// <summary>Pages of the seed were archived (Posts says how many posts).</summary>
    Archived,
    /// <summary>The seed's channel or account answered 404 and the archive never held it: most likely a misspelt name.</summary>
    NotFound,
    /// <summary>The platform says the channel or account is gone (410/451, or 404 for one archived before): recorded as evidence.</summary>
    Gone,
    /// <summary>No connection, no DNS answer, or no answer in time (robots.txt included).</summary>
    Unreachable,
    /// <summary>The address guard refused the host's address (loopback, private, link-local...).</summary>
    RefusedPrivate,
    /// <summary>robots.txt disallows the seed.</summary>
    RefusedRobots,
    /// <summary>The seed needs JavaScript and no browser could run.</summary>
    SkippedBrowser,
    /// <summary>Anything else that kept it from being archived: HTTP errors, refusals by the server, parser failures.</summary>
    Failed,
    /// <summary>Queued but not reached in this run (--max-pages, Ctrl-C).</summary>
    Pending,
    /// <summary>Nothing to do: every page of it was fetched in an earlier run of this crawl.</summary>
    UpToDate,
}
