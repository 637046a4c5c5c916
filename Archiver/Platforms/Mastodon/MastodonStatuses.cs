using System.Text.Json;
using Archiver.Model;

namespace Archiver.Platforms.Mastodon;

/// <summary>
/// Mastodon API statuses saved outside a crawl (a timeline or account-statuses response, one status per
/// line), mapped by the Mastodon platform's own <see cref="MastodonStatusMapper"/> so an imported status and
/// a crawled one are the same record. A status id is the id on the server that served it; that server is
/// the host of the post's key. A file does not say which server served it, so it is taken from the local
/// statuses in it (accounts whose <c>acct</c> has no <c>@domain</c>: their URLs are on the serving server).
/// </summary>
public static class MastodonStatuses
{
    /// <summary>Whether a JSON value looks like a status (id, account object, created_at and content).</summary>
    public static bool IsStatus(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("id", out _) && e.TryGetProperty("created_at", out _)
        && e.TryGetProperty("content", out _) && e.TryGetProperty("account", out var a) && a.ValueKind == JsonValueKind.Object;

    /// <summary>The serving host of a local status (its account has no <c>@domain</c>), else null.</summary>
    public static string? LocalHost(JsonElement status)
    {
        if (!IsStatus(status)) return null;
        var account = status.GetProperty("account");
        var acct = JsonFields.Str(account, "acct");
        if (acct is null || acct.Contains('@')) return null;
        var url = JsonFields.Str(status, "url") ?? JsonFields.Str(account, "url");
        return url is not null && Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.Authority.ToLowerInvariant() : null;
    }

    /// <summary>The serving host of a set of statuses: the most common host of the local ones.</summary>
    public static string? ServingHost(IEnumerable<JsonElement> statuses) =>
        statuses.Select(LocalHost).OfType<string>().GroupBy(h => h).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).FirstOrDefault();

    /// <summary>One status (with the reblogged and quoted statuses it embeds) into posts and authors.</summary>
    public static LineParse Parse(JsonElement status, string? servingHost)
    {
        if (status.ValueKind != JsonValueKind.Object) return LineParse.Fail($"not a status but a JSON {status.ValueKind.ToString().ToLowerInvariant()}");
        if (!IsStatus(status)) return LineParse.Fail("not a status (needs id, account, created_at and content)");
        var host = LocalHost(status) ?? servingHost;
        if (host is null)
            return LineParse.Fail($"status {JsonFields.Str(status, "id")} is from another server (acct {JsonFields.Str(status.GetProperty("account"), "acct")}) "
                + "and no local status says which server served it, so its id cannot be placed");
        var mapper = new MastodonStatusMapper(MastodonNetwork.OfHost(host).Name, host);
        if (mapper.Add(status) is null) return LineParse.Fail("status without an id");
        return new LineParse(mapper.Posts, mapper.Authors.Values.ToList());
    }
}

/// <summary>One Mastodon status per line (JSONL of statuses).</summary>
public sealed class MastodonFormat : IDatasetFormat
{
    public const string FormatName = "mastodon";

    public string Name => FormatName;

    public string Title => "saved Mastodon API statuses, as an array or one per line";

    public bool Recognises(JsonElement line) => MastodonStatuses.IsStatus(line) && !line.TryGetProperty("_type", out _);

    public LineParse Parse(JsonElement line) => MastodonStatuses.Parse(line, null);
}
