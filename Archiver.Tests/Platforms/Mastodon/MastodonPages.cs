using Archiver.Platforms;
using Archiver.Platforms.Mastodon;
using Archiver.Tests.Support;

namespace Archiver.Tests.Platforms.Mastodon;

/// <summary>The Mastodon.py cassette bodies with the request URI, status and Link header _INDEX.tsv gives for each.</summary>
internal static class MastodonPages
{
    public sealed record IndexRow(string File, string Method, string Uri, int Status, string? Link);

    public static readonly IReadOnlyDictionary<string, IndexRow> Index = File.ReadAllLines(Fixtures.Path("mastodon/mastodon_py/_INDEX.tsv"))
        .Skip(1)
        .Select(line => line.Split('\t'))
        .Select(f => new IndexRow(f[0], f[1], f[2], int.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture), f[4] == "None" ? null : f[4]))
        .ToDictionary(r => r.File);

    public static FetchedPage Page(string file, CrawlRequest? request = null)
    {
        var row = Index[file];
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (row.Link is not null) headers["Link"] = row.Link;
        return new FetchedPage
        {
            Url = new Uri(row.Uri),
            Status = row.Status,
            Body = Fixtures.Bytes("mastodon/mastodon_py/" + file),
            ContentType = "application/json",
            Headers = headers,
            Request = request,
        };
    }

    public static ParseResult Parse(string file, CrawlRequest? request = null) => MastodonPlatform.Mastodon.Parse(Page(file, request));

    public static FetchedPage Json(string url, string json, int status = 200, CrawlRequest? request = null, params (string Name, string Value)[] headers)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers) map[name] = value;
        return new FetchedPage { Url = new Uri(url), Status = status, Body = System.Text.Encoding.UTF8.GetBytes(json), Headers = map, Request = request };
    }

    public static CrawlRequest Request(string url, string purpose, string platform = "mastodon", int priority = MastodonApi.NewestPriority, params (string Key, string Value)[] context) => new()
    {
        Url = new Uri(url),
        Platform = platform,
        Purpose = purpose,
        Priority = priority,
        SeedOriginal = "seed",
        Context = context.ToDictionary(c => c.Key, c => c.Value),
    };
}
