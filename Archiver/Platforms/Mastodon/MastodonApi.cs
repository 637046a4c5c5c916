using System.Globalization;

namespace Archiver.Platforms.Mastodon;

/// <summary>The API requests of the crawl flow and the purposes that tell the parser what an answer is.</summary>
public static class MastodonApi
{
    public const string Lookup = "account-lookup";
    /// <summary>An account by id, asked only to learn whether it still exists (its timeline is not walked again).</summary>
    public const string Account = "account";
    public const string AccountStatuses = "account-statuses";
    public const string TagTimeline = "tag-timeline";
    public const string Status = "status";
    public const string Context = "context";
    public const string History = "history";

    public const string ContextAcct = "acct";
    public const string ContextAccountId = "account_id";
    public const string ContextStatusId = "status_id";
    public const string ContextTag = "tag";

    /// <summary>Statuses per page: Mastodon's maximum for account and tag timelines.</summary>
    public const int PageSize = 40;

    /// <summary>Priority of the first timeline page; later pages, threads and histories come after.</summary>
    public const int NewestPriority = 1000;

    public static Uri LookupUrl(string origin, string acct) => new($"{origin}/api/v1/accounts/lookup?acct={Uri.EscapeDataString(acct)}");

    public static Uri StatusesUrl(string origin, string accountId) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{origin}/api/v1/accounts/{Uri.EscapeDataString(accountId)}/statuses?limit={PageSize}"));

    public static Uri TagUrl(string origin, string tag) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{origin}/api/v1/timelines/tag/{Uri.EscapeDataString(tag)}?limit={PageSize}"));

    public static Uri AccountUrl(string origin, string id) => new($"{origin}/api/v1/accounts/{Uri.EscapeDataString(id)}");

    public static Uri StatusUrl(string origin, string id) => new($"{origin}/api/v1/statuses/{Uri.EscapeDataString(id)}");

    public static Uri ContextUrl(string origin, string id) => new($"{origin}/api/v1/statuses/{Uri.EscapeDataString(id)}/context");

    public static Uri HistoryUrl(string origin, string id) => new($"{origin}/api/v1/statuses/{Uri.EscapeDataString(id)}/history");

    /// <summary>What an API URL answers, from its path, for pages without a request (imports, tests).</summary>
    public static string? PurposeOf(Uri url)
    {
        var s = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return s switch
        {
            ["api", "v1", "accounts", "lookup"] => Lookup,
            ["api", "v1", "accounts", "verify_credentials"] => Lookup,
            ["api", "v1", "accounts", "search"] => "accounts",
            ["api", "v1", "accounts", _] => Lookup,
            ["api", "v1", "accounts", _, "statuses"] => AccountStatuses,
            ["api", "v1", "timelines", "tag", _] => TagTimeline,
            ["api", "v1", "timelines", ..] => "timeline",
            ["api", "v1", "statuses", _, "context"] => Context,
            ["api", "v1", "statuses", _, "history"] => History,
            ["api", "v1", "statuses", _, "favourited_by" or "reblogged_by"] => "accounts",
            ["api", "v1", "statuses", _, "quotes"] => "timeline",
            ["api", "v1", "statuses", _, "source"] => "status-source",
            ["api", "v1", "statuses", _, "translate"] => "translation",
            ["api", "v1", "statuses"] => Status,
            ["api", "v1", "statuses", _] => Status,
            ["api", "v1", "statuses", _, "reblog" or "unreblog" or "favourite" or "unfavourite" or "bookmark" or "pin"] => Status,
            ["api", "v1" or "v2", "search"] => "search",
            ["api", "v1", "polls", ..] => "poll",
            ["api", "v1" or "v2", "media", ..] => "media",
            ["api", "v1" or "v2", "instance", ..] => "instance",
            ["api", "v1", "accounts", _, "follow" or "unfollow" or "block" or "mute"] => "relationship",
            _ => null,
        };
    }
}
