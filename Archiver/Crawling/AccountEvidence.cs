using Archiver.Capturing;
using Archiver.Model;
using Archiver.Platforms;
using Archiver.Platforms.Mastodon;
using Archiver.Storage;

namespace Archiver.Crawling;

/// <summary>
/// Whether a status's own URL answering 404/410/451 says its author deleted it. On Mastodon-API networks (Mastodon,
/// Truth Social, Gab) a suspended or removed account's statuses answer as deleted ones do ("Record not found"), so
/// the 404 alone says nothing until the account is known to be there. Per run, the first such answer of an account
/// sends one request for the account itself (<c>accounts/:id</c>) back to the frontier and holds that account's
/// status disappearances until its answer: the account there, they are recorded (with the statuses' own responses
/// as evidence) in the batch of the account's answer; the account gone (404/410/451 or <c>suspended</c>), its
/// takedown is recorded from that answer and the statuses are not claimed deleted. An account the archive already
/// holds as gone is no evidence either way: its statuses are not claimed. A status disappearance whose account
/// answer never comes in the run (the check failed, the crawl stopped) is not recorded: when unsure, say less.
/// Other platforms' disappearances pass through as they are.
/// </summary>
internal sealed class AccountEvidence(ArchiveStore store)
{
    private sealed class Account
    {
        /// <summary>When the first status of the account that answered gone was fetched (the check is asked then).</summary>
        public DateTime? Since;
        /// <summary>The account's answer fetched since then: null until it comes.</summary>
        public bool? Gone;
        public readonly List<Disappearance> Waiting = [];
    }

    private readonly Dictionary<string, Account> _accounts = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>
    /// The disappearances of a parsed page to record now (the page's own, and those of an account this page shows
    /// to be there), and the account checks to request.
    /// </summary>
    public (List<Disappearance> Record, List<CrawlRequest> Checks) Sift(IPlatform? platform, CrawlRequest request, int status, ParseResult result,
        IReadOnlyList<Disappearance> gone, Capture capture)
    {
        var record = new List<Disappearance>(gone.Count);
        var checks = new List<CrawlRequest>();
        if (platform is not MastodonPlatform mastodon)
        {
            record.AddRange(gone.Where(d => d.Kind != DisappearanceKind.Post || !AuthorHeldGone(d.Key)));
            return (record, checks);
        }
        lock (_lock)
        {
            Answered(request, status, result, gone, capture.FetchedAt, record);
            foreach (var d in gone)
            {
                if (d.Kind != DisappearanceKind.Post)
                {
                    record.Add(d);
                    continue;
                }
                if (Decide(mastodon, request, d.Key, capture.FetchedAt, checks) is { } account) account.Waiting.Add(d);
                else if (Recordable(d.Key)) record.Add(d);
            }
            // A status hidden with a message about its account ("This account has been suspended"): no deletion (the
            // parser claims none), but its account is asked, so that a takedown is recorded in this run.
            if (gone.Count == 0 && status is 404 or 410 or 451 && request.Purpose == MastodonApi.Status && StatusKey(mastodon, request.Url) is { } hidden)
                Decide(mastodon, request, hidden, capture.FetchedAt, checks);
        }
        return (record, checks);
    }

    /// <summary>
    /// An account's own answer (its lookup or <c>accounts/:id</c>): it settles the statuses held for it when it was
    /// fetched after the first of them; gone, it settles every later one of the run too.
    /// </summary>
    private void Answered(CrawlRequest request, int status, ParseResult result, IReadOnlyList<Disappearance> gone, DateTime fetchedAt, List<Disappearance> record)
    {
        if (request.Purpose is not (MastodonApi.Account or MastodonApi.Lookup)) return;
        foreach (var d in gone.Where(d => d.Kind == DisappearanceKind.Author))
        {
            var account = Of(d.Key);
            account.Gone = true;
            account.Waiting.Clear();
        }
        if (status is < 200 or >= 300 || result.Authors.Count == 0) return;
        var author = result.Authors[0];
        if (!_accounts.TryGetValue(author.Key, out var there) || there.Since is not { } since || fetchedAt < since || there.Gone is not null) return;
        there.Gone = false;
        record.AddRange(there.Waiting);
        there.Waiting.Clear();
    }

    /// <summary>Null when the status's disappearance can be decided now; else its account, which holds it until its answer.</summary>
    private Account? Decide(MastodonPlatform platform, CrawlRequest request, string postKey, DateTime fetchedAt, List<CrawlRequest> checks)
    {
        if (store.GetPost(postKey)?.Post is not { AuthorId: { } authorId } post) return null;
        var key = PostKey.Of(post.Platform, post.Host, authorId);
        if (store.GetAuthor(key) is { Status: AuthorStatus.Gone }) return null;
        var account = Of(key);
        if (account.Gone is not null) return null;
        if (account.Since is null)
        {
            account.Since = fetchedAt;
            checks.Add(AccountCheck(platform, request, authorId));
        }
        return account;
    }

    /// <summary>Recorded now: unless its account is known gone (in this run, or held as gone by the archive).</summary>
    private bool Recordable(string postKey)
    {
        if (store.GetPost(postKey)?.Post is not { AuthorId: { } authorId } post) return true;
        var key = PostKey.Of(post.Platform, post.Host, authorId);
        return !(_accounts.TryGetValue(key, out var account) && account.Gone == true) && !AuthorHeldGone(postKey);
    }

    private Account Of(string key)
    {
        if (!_accounts.TryGetValue(key, out var account)) _accounts[key] = account = new Account();
        return account;
    }

    /// <summary>
    /// A post whose account the archive holds as gone: its own URL answering 404/410 then says the account is down
    /// (servers hide a suspended account's statuses), not that its author deleted it.
    /// </summary>
    private bool AuthorHeldGone(string postKey) =>
        store.GetPost(postKey)?.Post is { AuthorId: { } author } post
        && store.GetAuthor(PostKey.Of(post.Platform, post.Host, author)) is { Status: AuthorStatus.Gone };

    private static string? StatusKey(MastodonPlatform platform, Uri url) =>
        url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) is ["api", "v1", "statuses", var id]
            ? PostKey.Of(platform.Name, UrlCanonicalizer.HostKey(url), Uri.UnescapeDataString(id))
            : null;

    /// <summary>Context key of an account check asked for another account than the seed's own (see <see cref="ForOtherAccount"/>).</summary>
    private const string OtherAccountKey = "account_check_other";

    /// <summary>
    /// An account check of an account that is not the seed's (a status of another account reached through the seed's
    /// threads): its takedown is recorded, but it is not the seed's outcome.
    /// </summary>
    public static bool ForOtherAccount(CrawlRequest request) => request.Context.ContainsKey(OtherAccountKey);

    /// <summary>The account itself, on the status's origin, before the rest of the crawl's work.</summary>
    private static CrawlRequest AccountCheck(MastodonPlatform platform, CrawlRequest status, string accountId)
    {
        var context = new Dictionary<string, string> { [MastodonApi.ContextAccountId] = accountId };
        // An account seed's requests carry its account's id from its lookup on; a status seed's is its own status's author.
        var own = status.Context.GetValueOrDefault(MastodonApi.ContextAccountId) is { } seedAccount
            ? seedAccount == accountId
            : status.Context.ContainsKey(MastodonApi.ContextStatusId) && status.Depth == 0;
        if (!own) context[OtherAccountKey] = "1";
        return new CrawlRequest
        {
            Url = MastodonApi.AccountUrl(status.Url.GetLeftPart(UriPartial.Authority), accountId),
            Platform = platform.Name,
            Purpose = MastodonApi.Account,
            Priority = MastodonApi.NewestPriority + 1,
            Depth = status.Depth,
            SeedOriginal = status.SeedOriginal,
            Context = context,
        };
    }
}
