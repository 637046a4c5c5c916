using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Archiver.Replica;

/// <summary>
/// Mastodon API v1 as Mastodon, Truth Social or Gab serve it: account lookup, accounts, account
/// statuses and hashtag timelines paged by <c>max_id</c>/<c>since_id</c>/<c>min_id</c> with <c>Link</c>
/// headers, single statuses and their context, and the instance description.
/// </summary>
public sealed class MastodonOrigin(MastodonGenerator generator, Flavor flavor, string origin) : IOriginHandler
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly MastodonJson json = new(flavor, origin);
    private IReadOnlyList<ApiAccount> Accounts => generator.Network.AccountsOf(flavor);

    public string? Entity(string path, IQueryCollection query)
    {
        if (path.StartsWith("/@", StringComparison.Ordinal)) return path[2..].Split('/')[0];
        if (path == "/api/v1/accounts/lookup") return query["acct"].ToString().Split('@')[0];
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length >= 4 && parts[2] == "accounts" && long.TryParse(parts[3], CultureInfo.InvariantCulture, out var accountId))
            return Accounts.FirstOrDefault(a => a.Id == accountId)?.Username;
        if (parts.Length >= 4 && parts[2] == "statuses" && long.TryParse(parts[3], CultureInfo.InvariantCulture, out var statusId))
            return Accounts.Count > (int)(statusId & 0xFFFF) ? Accounts[(int)(statusId & 0xFFFF)].Username : null;
        return null;
    }

    public Reply Handle(HttpRequestInfo r)
    {
        var parts = r.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (r.Path.StartsWith("/@", StringComparison.Ordinal)) return Profile(parts, r.Version);
        if (parts.Length < 3 || parts[0] != "api") return Reply.NotFound();
        if (!r.Authorized) return Reply.JsonError("This API requires an authenticated user", 401);
        return (parts[1], parts[2], parts.Length) switch
        {
            ("v1" or "v2", "instance", 3) => Instance(),
            ("v1", "accounts", 4) when parts[3] == "lookup" => Lookup(r),
            ("v1", "accounts", 4) => WithAccount(parts[3], a => Write(w => json.Account(w, a, r.Version))),
            ("v1", "accounts", 5) when parts[4] == "statuses" => WithAccount(parts[3], a => AccountStatuses(a, r)),
            ("v1", "statuses", 4) => WithStatus(parts[3], r.Version, (a, i) => Write(w => json.Status(w, generator.Status(a, i, r.Version)!, r.Version))),
            ("v1", "statuses", 5) when parts[4] == "context" => WithStatus(parts[3], r.Version, (a, i) => Context(a, i, r.Version)),
            // Mastodon (3.5+) answers every status's edit history; the older forks (Truth Social, Gab) have no such endpoint.
            ("v1", "statuses", 5) when parts[4] == "history" && flavor == Flavor.Mastodon => WithStatus(parts[3], r.Version, (a, i) => History(a, i, r.Version)),
            ("v1", "timelines", 5) when parts[3] == "tag" => TagTimeline(Uri.UnescapeDataString(parts[4]), r),
            _ => Reply.JsonError("Record not found", 404),
        };
    }

    private Reply Profile(string[] parts, ReplicaView version)
    {
        var a = generator.Network.FindAccount(flavor, parts[0][1..]);
        if (a is null) return Reply.NotFound();
        if (parts.Length == 2)
        {
            if (!long.TryParse(parts[1], CultureInfo.InvariantCulture, out var id) || generator.Find(flavor, id, version) is not { } found || found.Account != a)
                return Reply.NotFound();
        }
        return Reply.Html($"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{Html.Escape(a.DisplayName)} (@{a.Username})</title><link href=\"{json.AccountUrl(a)}\" rel=\"canonical\"><link href=\"{origin}/users/{a.Username}\" rel=\"alternate\" type=\"application/activity+json\"></head><body><div id=\"mastodon\" data-props=\"{{&quot;locale&quot;:&quot;en&quot;}}\"></div><noscript>To use this web application, please enable JavaScript.</noscript></body></html>\n") with { Cacheable = true };
    }

    private Reply Instance() => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("domain", new Uri(origin).Authority);
        w.WriteString("uri", new Uri(origin).Authority);
        w.WriteString("title", flavor switch { Flavor.TruthSocial => "Truth Social (replica)", Flavor.Gab => "Gab Social (replica)", _ => "Mastodon (replica)" });
        w.WriteString("version", flavor switch { Flavor.TruthSocial => "3.4.1 (compatible; TruthSocial 1.0.0)", Flavor.Gab => "2.8.4 (compatible; Gab Social 1.0)", _ => "4.3.0" });
        w.WriteString("description", "A replica server for tests: every account and post here is fictional.");
        w.WriteEndObject();
    });

    private Reply Lookup(HttpRequestInfo r)
    {
        var acct = r.Query["acct"].ToString();
        var a = acct.Length == 0 ? null : generator.Network.FindAccount(flavor, acct);
        return a is null ? Reply.JsonError("Record not found", 404) : Write(w => json.Account(w, a, r.Version));
    }

    private Reply WithAccount(string id, Func<ApiAccount, Reply> then)
    {
        var a = long.TryParse(id, CultureInfo.InvariantCulture, out var n) ? Accounts.FirstOrDefault(x => x.Id == n) : null;
        return a is null ? Reply.JsonError("Record not found", 404) : then(a);
    }

    private Reply WithStatus(string id, ReplicaView version, Func<ApiAccount, long, Reply> then) =>
        long.TryParse(id, CultureInfo.InvariantCulture, out var n) && generator.Find(flavor, n, version) is { } found
            ? then(found.Account, found.Index)
            : Reply.JsonError("Record not found", 404);

    /// <summary>The edit history: the status as first written, then (if edited) as it reads now, oldest first.</summary>
    private Reply History(ApiAccount a, long index, ReplicaView version)
    {
        var current = generator.Status(a, index, version)!;
        var shown = current.Reblog ?? current;
        return Write(w =>
        {
            w.WriteStartArray();
            if (current.Reblog is null && current.EditedAt is { } edited)
            {
                json.StatusEdit(w, generator.Status(a, index, version, beforeEdit: true)!, shown.CreatedAt, version);
                json.StatusEdit(w, shown, edited, version);
            }
            else json.StatusEdit(w, shown, shown.CreatedAt, version);
            w.WriteEndArray();
        });
    }

    private Reply Context(ApiAccount a, long index, ReplicaView version)
    {
        var (ancestors, descendants) = generator.Thread(a, index, version);
        return Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("ancestors");
            foreach (var i in ancestors) json.Status(w, generator.Status(a, i, version)!, version);
            w.WriteEndArray();
            w.WriteStartArray("descendants");
            foreach (var i in descendants) json.Status(w, generator.Status(a, i, version)!, version);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static (long? Max, long? Since, long? Min, int Limit, bool LimitGiven) Paging(IQueryCollection q)
    {
        static long? Id(IQueryCollection q, string key) => long.TryParse(q[key].ToString(), CultureInfo.InvariantCulture, out var v) ? v : null;
        var given = int.TryParse(q["limit"].ToString(), CultureInfo.InvariantCulture, out var limit);
        return (Id(q, "max_id"), Id(q, "since_id"), Id(q, "min_id"), given ? Math.Clamp(limit, 1, 40) : 20, given);
    }

    /// <summary>Index of the newest status with an id below <paramref name="id"/> (ids grow with the index).</summary>
    private static long LastBelow(ApiAccount a, long id, ReplicaView version)
    {
        long lo = 0, hi = a.Stream.Count(version) - 1, found = -1;
        while (lo <= hi)
        {
            var mid = lo + (hi - lo) / 2;
            if (MastodonGenerator.IdOf(a, mid) < id) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found;
    }

    private Reply AccountStatuses(ApiAccount a, HttpRequestInfo r)
    {
        var (max, since, min, limit, _) = Paging(r.Query);
        if (Flag(r.Query, "pinned")) return Page([], "", "", false, r.Version);
        var filter = new StatusFilter(Flag(r.Query, "exclude_replies"), Flag(r.Query, "exclude_reblogs"), Flag(r.Query, "only_media"));
        var page = new List<ApiStatus>(limit);
        if (min is { } minId && max is null)
        {
            for (var i = LastBelow(a, minId + 1, r.Version) + 1; i < a.Stream.Count(r.Version) && page.Count < limit; i++)
                if (Matching(a, i, filter, r.Version) is { } s) page.Add(s);
            page.Reverse();
        }
        else
        {
            var floor = since ?? long.MinValue;
            for (var i = max is { } m ? LastBelow(a, m, r.Version) : a.Stream.Count(r.Version) - 1; i >= 0 && page.Count < limit; i--)
            {
                if (MastodonGenerator.IdOf(a, i) <= floor) break;
                if (Matching(a, i, filter, r.Version) is { } s) page.Add(s);
            }
        }
        // Mastodon offers a next page whenever this one is full; an empty page ends the chain.
        var more = page.Count == limit;
        return Page(page, $"{origin}/api/v1/accounts/{a.Id}/statuses", KeptQuery(r.Query), more, r.Version);
    }

    private sealed record StatusFilter(bool ExcludeReplies, bool ExcludeReblogs, bool OnlyMedia);

    private ApiStatus? Matching(ApiAccount a, long i, StatusFilter f, ReplicaView version)
    {
        if (!a.Stream.Exists(i, version)) return null;
        if (f.ExcludeReblogs && generator.IsReblog(a, i)) return null;
        if (f.ExcludeReplies && generator.IsReply(a, i)) return null;
        var s = generator.Status(a, i, version);
        return s is null || (f.OnlyMedia && s.Media.Count == 0) ? null : s;
    }

    private static bool Flag(IQueryCollection q, string key) => q[key].ToString() is "true" or "1";

    /// <summary>The query a Link header repeats: everything but the paging ids, as Mastodon does.</summary>
    private static string KeptQuery(IQueryCollection q) => string.Concat(q
        .Where(kv => kv.Key is not ("max_id" or "min_id" or "since_id"))
        .OrderBy(kv => kv.Key, StringComparer.Ordinal)
        .Select(kv => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(kv.Value.ToString())}&"));

    private Reply TagTimeline(string tag, HttpRequestInfo r)
    {
        var (max, since, min, limit, _) = Paging(r.Query);
        var found = new List<ApiStatus>();
        foreach (var a in Accounts)
        {
            var taken = 0;
            if (min is { } minId && max is null)
            {
                for (var i = LastBelow(a, minId + 1, r.Version) + 1; i < a.Stream.Count(r.Version) && taken < limit; i++)
                    if (Tagged(a, i, tag, r.Version) is { } s) { found.Add(s); taken++; }
            }
            else
            {
                for (var i = max is { } m ? LastBelow(a, m, r.Version) : a.Stream.Count(r.Version) - 1; i >= 0 && taken < limit; i--)
                {
                    if (since is { } s0 && MastodonGenerator.IdOf(a, i) <= s0) break;
                    if (Tagged(a, i, tag, r.Version) is { } s) { found.Add(s); taken++; }
                }
            }
        }
        var statuses = min is not null && max is null
            ? found.OrderBy(s => s.Id).Take(limit).OrderByDescending(s => s.Id).ToList()
            : found.OrderByDescending(s => s.Id).Take(limit).ToList();
        // Another page may exist when this one is full; an empty page ends the chain.
        return Page(statuses, $"{origin}/api/v1/timelines/tag/{Uri.EscapeDataString(tag)}", KeptQuery(r.Query), statuses.Count == limit, r.Version);
    }

    private ApiStatus? Tagged(ApiAccount a, long i, string tag, ReplicaView version)
    {
        if (generator.IsReblog(a, i)) return null;
        var s = generator.Status(a, i, version);
        return s is not null && s.Reblog is null && s.Text.Hashtags.Any(h => string.Equals(h, tag, StringComparison.OrdinalIgnoreCase)) ? s : null;
    }

    private Reply Page(List<ApiStatus> statuses, string basePath, string keptQuery, bool more, ReplicaView version)
    {
        string? link = null;
        if (statuses.Count > 0)
        {
            var prefix = $"{basePath}?{keptQuery}";
            var prev = $"<{prefix}min_id={statuses[0].Id}>; rel=\"prev\"";
            link = more ? $"<{prefix}max_id={statuses[^1].Id}>; rel=\"next\", {prev}" : prev;
        }
        return Write(w =>
        {
            w.WriteStartArray();
            foreach (var s in statuses) json.Status(w, s, version);
            w.WriteEndArray();
        }) with
        { Link = link };
    }

    private static Reply Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions)) body(w);
        return new Reply(200, Reply.JsonType, buffer.WrittenMemory) { Cacheable = true };
    }
}
