using System.Text.Json;
using Archiver.Model;
using Archiver.Platforms.Common;
using static Archiver.Platforms.Mastodon.JsonFields;

namespace Archiver.Platforms.Mastodon;

/// <summary>
/// One Mastodon-API answer into records and further requests. Timelines page only by the <c>Link</c> header's
/// rel="next"; threads come from /context, edits from /history. Refusals (401/403) are fatal problems that name
/// the host and the server's reason.
/// </summary>
public static class MastodonPageParser
{
    private static readonly JsonDocumentOptions JsonOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 };

    public static ParseResult Parse(FetchedPage page, MastodonNetwork network)
    {
        var host = UrlTools.HostKey(page.Url);
        var rate = RateLimitInfo.FromHeaders(page.Headers);
        var purpose = page.Request?.Purpose ?? MastodonApi.PurposeOf(page.Url);
        if (page.Status is < 200 or >= 300) return Refused(page, network, host, purpose, rate);

        JsonDocument document;
        try
        {
            // The JSON reader checks UTF-8 only when a string is read; broken bytes become U+FFFD up front instead.
            var body = System.Text.Unicode.Utf8.IsValid(page.Body.Span)
                ? page.Body
                : System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(page.Body.Span));
            document = JsonDocument.Parse(body, JsonOptions);
        }
        catch (JsonException error)
        {
            return ParseResult.Failure($"invalid JSON from {host}: {error.Message}", page.Url.AbsoluteUri) with { RateLimit = rate };
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && Str(root, "error") is { } error && Get(root, "id") is null)
                return ParseResult.Failure($"{host} answered with an error: {error}", page.Url.AbsoluteUri) with { RateLimit = rate };
            ParseResult result;
            try
            {
                result = Dispatch(page, network, host, purpose, root);
            }
            catch (InvalidOperationException unreadable)
            {
                return ParseResult.Failure($"unreadable JSON text from {host}: {unreadable.Message}", page.Url.AbsoluteUri) with { RateLimit = rate };
            }
            return result with { RateLimit = rate };
        }
    }

    private static ParseResult Dispatch(FetchedPage page, MastodonNetwork network, string host, string? purpose, JsonElement root) =>
        purpose switch
        {
            MastodonApi.Lookup or MastodonApi.Account => Account(page, network, host, root),
            MastodonApi.AccountStatuses or MastodonApi.TagTimeline or "timeline" => Timeline(page, network, host, root),
            MastodonApi.Context => Context(network, host, root),
            MastodonApi.History => MastodonHistory.Parse(page, network, host, root),
            MastodonApi.Status => Statuses(network, host, [root]),
            "accounts" => Accounts(network, host, root.ValueKind == JsonValueKind.Array ? root.EnumerateArray() : []),
            "search" => Search(network, host, root),
            "poll" or "media" or "instance" or "relationship" or "status-source" or "translation" => ParseResult.Empty,
            _ => ByShape(page, network, host, root),
        };

    private static ParseResult Refused(FetchedPage page, MastodonNetwork network, string host, string? purpose, RateLimitInfo? rate)
    {
        var reason = ErrorText(page.Body) ?? "no reason given";
        if (page.Status is 401 or 403)
        {
            return ParseResult.Failure(
                $"{host} refuses unauthenticated access to {page.Url.AbsolutePath} (HTTP {page.Status}: {reason}); " +
                "the server's public API or public preview is switched off, so it cannot be archived without an account.",
                page.Url.AbsoluteUri, fatal: true) with
            { RateLimit = rate };
        }
        if (page.Status is 404 or 410 or 451)
        {
            if (GoneKey(page, network, host) is { Kind: "post" } && AboutTheAccount(reason))
                return new ParseResult
                {
                    Problems = [new ParseProblem($"{host}: the status is unavailable because of its account (HTTP {page.Status}: {reason}); not recorded as deleted (the account's own answer records a takedown)", page.Url.AbsoluteUri)],
                    RateLimit = rate,
                };
            if (GoneKey(page, network, host) is { } gone)
                return new ParseResult { Gone = [new GoneEntity(gone.Key, gone.Kind, page.Status, $"{host}: {reason}")], RateLimit = rate };
            // A sub-resource (a status's /history or /context, an account's /statuses) answering 404 says nothing
            // about the status or account: servers answer 404 for "no edit history" or an endpoint they lack. Ask
            // the resource itself; only its own answer is evidence.
            if (Parent(page, network) is { } parent) return new ParseResult { Next = [parent], RateLimit = rate };
        }
        if (page.Status == 429)
            return ParseResult.Failure($"{host} is rate limiting (HTTP 429: {reason}); retry after {rate?.Reset?.ToString("O") ?? "a pause"}", page.Url.AbsoluteUri) with { RateLimit = rate };
        return ParseResult.Failure($"HTTP {page.Status} from {host}: {reason}", page.Url.AbsoluteUri) with { RateLimit = rate };
    }

    /// <summary>
    /// A status's error that speaks of its account ("This account has been suspended"): the status is hidden by the
    /// account's takedown, which is no evidence that its author deleted it.
    /// </summary>
    private static bool AboutTheAccount(string reason) =>
        reason.Contains("suspend", StringComparison.OrdinalIgnoreCase) || reason.Contains("account", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// What a 404/410/451 says is gone: only the resource itself, an account (lookup, accounts/:id) or a status
    /// (statuses/:id). Never a sub-resource (docs/records.md: a deletion is recorded only on evidence).
    /// </summary>
    private static (string Key, string Kind)? GoneKey(FetchedPage page, MastodonNetwork network, string host)
    {
        var context = page.Request?.Context ?? CrawlRequest.EmptyContext;
        var segments = page.Url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is ["api", "v1", "accounts", "lookup"])
        {
            var acct = QueryValue(page.Url, "acct") ?? context.GetValueOrDefault(MastodonApi.ContextAcct);
            return acct is null ? null : (PostKey.Of(network.Name, host, acct), "account");
        }
        return segments switch
        {
            ["api", "v1", "statuses", var id] => (PostKey.Of(network.Name, host, Uri.UnescapeDataString(id)), "post"),
            ["api", "v1", "accounts", var account] => (PostKey.Of(network.Name, host, Uri.UnescapeDataString(account)), "account"),
            _ => null,
        };
    }

    /// <summary>
    /// For the sub-resources a crawl asks for: the request for the resource they belong to (statuses/:id for its
    /// context or history, accounts/:id for its statuses). Other sub-resources (translate, ...) stay reported failures.
    /// </summary>
    private static CrawlRequest? Parent(FetchedPage page, MastodonNetwork network)
    {
        var origin = UrlTools.Origin(page.Url);
        var segments = page.Url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments switch
        {
            ["api", "v1", "statuses", var id, "context" or "history"] => Follow(page, MastodonApi.StatusUrl(origin, Uri.UnescapeDataString(id)), MastodonApi.Status, network,
                (page.Request?.Priority ?? MastodonApi.NewestPriority) + 1, new() { [MastodonApi.ContextStatusId] = Uri.UnescapeDataString(id) }, deeper: false),
            ["api", "v1", "accounts", var id, "statuses"] => Follow(page, MastodonApi.AccountUrl(origin, Uri.UnescapeDataString(id)), MastodonApi.Account, network,
                (page.Request?.Priority ?? MastodonApi.NewestPriority) + 1, new() { [MastodonApi.ContextAccountId] = Uri.UnescapeDataString(id) }, deeper: false),
            _ => null,
        };
    }

    private static ParseResult Account(FetchedPage page, MastodonNetwork network, string host, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || MastodonAccountMapper.Map(root, network.Name, host) is not { } author)
            return ParseResult.Failure($"{host}: the account answer is not an account object", page.Url.AbsoluteUri);
        // Mastodon answers a (temporarily) suspended account with 200 and "suspended": true, its profile emptied: the
        // account is gone. Its emptied record is not stored (it would read as the account answering again).
        if (Bool(root, "suspended") == true)
            return new ParseResult { Gone = [new GoneEntity(author.Key, "account", page.Status, $"{host}: the account is suspended")] };
        var next = new List<CrawlRequest>();
        if (page.Request?.Purpose == MastodonApi.Lookup && Str(root, "id") is { } id)
        {
            next.Add(Follow(page, MastodonApi.StatusesUrl(UrlTools.Origin(page.Url), id), MastodonApi.AccountStatuses, network,
                MastodonApi.NewestPriority, new() { [MastodonApi.ContextAccountId] = id }, deeper: false));
        }
        return new ParseResult { Authors = [author], Next = next, OwnPageOf = author.Key };
    }

    private static ParseResult Timeline(FetchedPage page, MastodonNetwork network, string host, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Array)
            return ParseResult.Failure($"{host}: a timeline answer must be a JSON array, got {root.ValueKind}", page.Url.AbsoluteUri);
        var context = page.Request?.Context;
        var since = DateBounds.FromContext(context, "since", isUpper: false);
        var until = DateBounds.FromContext(context, "until", isUpper: true);
        var mapper = new MastodonStatusMapper(network.Name, host);
        var next = new List<CrawlRequest>();
        var origin = UrlTools.Origin(page.Url);
        var priority = page.Request?.Priority ?? MastodonApi.NewestPriority;
        DateTime? oldest = null;
        var count = 0;
        var problems = new List<ParseProblem>();
        foreach (var status in root.EnumerateArray())
        {
            count++;
            if (status.ValueKind != JsonValueKind.Object || Str(status, "id") is null)
            {
                problems.Add(new ParseProblem($"{host}: timeline item {count - 1} is not a status with an id ({status.ValueKind})", page.Url.AbsoluteUri));
                continue;
            }
            var created = Date(status, "created_at", "createdAt");
            // Pinned statuses head an account timeline out of date order; they do not end the walk.
            if (created is { } at && Bool(status, "pinned") != true && (oldest is null || at < oldest)) oldest = at;
            if (!DateBounds.Contains(since, until, created)) continue;
            var post = mapper.Add(status);
            if (post is null || post.Kind == PostKinds.Reblog) continue;
            if (post.Replies > 0 || post.ReplyTo is not null)
                next.Add(Follow(page, MastodonApi.ContextUrl(origin, post.NativeId), MastodonApi.Context, network, priority - 2,
                    new() { [MastodonApi.ContextStatusId] = post.NativeId }, deeper: true));
            if (post.EditedAt is not null)
                next.Add(Follow(page, MastodonApi.HistoryUrl(origin, post.NativeId), MastodonApi.History, network, priority - 2,
                    new() { [MastodonApi.ContextStatusId] = post.NativeId }, deeper: true));
        }
        var listing = AccountListing(page, root);
        var reachedSince = since is { } bound && oldest is { } o && o < bound;
        if (count > 0 && !reachedSince && LinkHeader.Find(page.Headers.GetValueOrDefault("Link"), "next", page.Url) is { } nextPage && nextPage != page.Url)
            next.Insert(0, Follow(page, nextPage, page.Request?.Purpose ?? MastodonApi.PurposeOf(page.Url) ?? "timeline", network, priority - 1, [], deeper: false));
        return new ParseResult { Posts = mapper.Posts, Authors = mapper.Authors.Values.ToList(), Next = next, Problems = problems, Listing = listing };
    }

    /// <summary>
    /// What an account timeline page proves about the account's statuses: with <c>max_id</c> paging, every status
    /// of the account with an id from the page's oldest up to <c>max_id</c> (or the page's newest, on the first
    /// page) is on the page, so one archived in that range and missing was deleted. Only unfiltered pages of the
    /// account's own timeline count (a filter such as <c>exclude_replies</c> or <c>only_media</c> leaves statuses
    /// out on purpose); pinned statuses head the page out of order and do not bound it; ids must be numbers.
    /// </summary>
    private static ListingWindow? AccountListing(FetchedPage page, JsonElement root)
    {
        if ((page.Request?.Purpose ?? MastodonApi.PurposeOf(page.Url)) != MastodonApi.AccountStatuses) return null;
        if (page.Url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) is not ["api", "v1", "accounts", var accountId, "statuses"]) return null;
        long? maxId = null;
        foreach (var pair in page.Url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var name = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            if (name == "limit") continue;
            if (name == "max_id" && long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var max)) maxId = max;
            else return null;
        }
        var ids = new List<string>();
        long? lowest = null, highest = null;
        foreach (var status in root.EnumerateArray())
        {
            if (status.ValueKind != JsonValueKind.Object || Str(status, "id") is not { } id) return null;
            ids.Add(id);
            if (!long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)) return null;
            if (Bool(status, "pinned") == true) continue;
            // Statuses of other accounts (a fork that mixes them in) would make the range meaningless.
            if (Obj(status, "account") is { } account && Str(account, "id") is { } owner && owner != Uri.UnescapeDataString(accountId)) return null;
            lowest = lowest is null ? n : Math.Min(lowest.Value, n);
            highest = highest is null ? n : Math.Max(highest.Value, n);
        }
        if (lowest is null || highest is null) return null;
        var to = maxId is { } m ? Math.Max(m - 1, highest.Value) : highest.Value;
        return new ListingWindow(Uri.UnescapeDataString(accountId), lowest.Value, to, ids, ByAuthor: true, Head: maxId is null);
    }

    private static ParseResult Context(MastodonNetwork network, string host, JsonElement root)
    {
        var statuses = Arr(root, "ancestors").Concat(Arr(root, "descendants"));
        return Statuses(network, host, statuses);
    }

    private static ParseResult Statuses(MastodonNetwork network, string host, IEnumerable<JsonElement> statuses)
    {
        var mapper = new MastodonStatusMapper(network.Name, host);
        var problems = new List<ParseProblem>();
        foreach (var status in statuses)
        {
            if (mapper.Add(status) is null) problems.Add(new ParseProblem($"{host}: an item without a status id was skipped ({status.ValueKind})"));
        }
        return new ParseResult { Posts = mapper.Posts, Authors = mapper.Authors.Values.ToList(), Problems = problems };
    }

    private static ParseResult Accounts(MastodonNetwork network, string host, IEnumerable<JsonElement> accounts)
    {
        var authors = new Dictionary<string, Author>(StringComparer.Ordinal);
        foreach (var account in accounts)
        {
            if (MastodonAccountMapper.Map(account, network.Name, host) is { } author) authors.TryAdd(author.NativeId, author);
        }
        return new ParseResult { Authors = authors.Values.ToList() };
    }

    private static ParseResult Search(MastodonNetwork network, string host, JsonElement root)
    {
        var statuses = Statuses(network, host, Arr(root, "statuses"));
        var authors = Accounts(network, host, Arr(root, "accounts")).Authors.ToDictionary(a => a.NativeId, StringComparer.Ordinal);
        foreach (var author in statuses.Authors) authors.TryAdd(author.NativeId, author);
        return statuses with { Authors = authors.Values.ToList() };
    }

    /// <summary>No request and an unknown path: recognise the answer by its shape.</summary>
    private static ParseResult ByShape(FetchedPage page, MastodonNetwork network, string host, JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Object && Get(root, "ancestors") is not null) return Context(network, host, root);
        if (root.ValueKind == JsonValueKind.Object && Get(root, "content") is not null && Get(root, "id") is not null) return Statuses(network, host, [root]);
        if (root.ValueKind == JsonValueKind.Object && Get(root, "acct") is not null) return Accounts(network, host, [root]);
        if (root.ValueKind == JsonValueKind.Array)
        {
            var first = root.EnumerateArray().FirstOrDefault();
            if (first.ValueKind == JsonValueKind.Undefined) return ParseResult.Empty;
            if (Get(first, "content") is not null) return Timeline(page, network, host, root);
            if (Get(first, "acct") is not null) return Accounts(network, host, root.EnumerateArray());
        }
        return ParseResult.Failure($"{host}: {page.Url.AbsolutePath} is not a Mastodon API answer Archiver reads ({root.ValueKind})", page.Url.AbsoluteUri);
    }

    private static CrawlRequest Follow(FetchedPage page, Uri url, string purpose, MastodonNetwork network, int priority,
        Dictionary<string, string> context, bool deeper)
    {
        foreach (var pair in page.Request?.Context ?? CrawlRequest.EmptyContext) context.TryAdd(pair.Key, pair.Value);
        return new CrawlRequest
        {
            Url = url,
            Platform = network.Name,
            Purpose = purpose,
            Priority = priority,
            Depth = (page.Request?.Depth ?? 0) + (deeper ? 1 : 0),
            SeedOriginal = page.Request?.SeedOriginal,
            Context = context,
        };
    }

    private static string? ErrorText(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty) return null;
        try
        {
            using var document = JsonDocument.Parse(body, JsonOptions);
            return document.RootElement.ValueKind == JsonValueKind.Object ? Str(document.RootElement, "error", "error_description", "message") : null;
        }
        catch (JsonException)
        {
            var text = System.Text.Encoding.UTF8.GetString(body.Span[..Math.Min(body.Length, 200)]).Trim();
            return text.Length == 0 ? null : text;
        }
    }

    private static string? QueryValue(Uri url, string name)
    {
        foreach (var pair in url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            if (eq > 0 && pair[..eq] == name) return Uri.UnescapeDataString(pair[(eq + 1)..]);
        }
        return null;
    }
}
