using Archiver.Model;
using Archiver.Platforms.Common;

namespace Archiver.Platforms.Mastodon;

/// <summary>A network speaking the Mastodon client API, read without an account: Mastodon and each of <see cref="MastodonForks"/>.</summary>
public sealed class MastodonPlatform(MastodonNetwork network) : IPlatform
{
    public static MastodonPlatform Mastodon { get; } = new(MastodonNetwork.Mastodon);
    public static MastodonPlatform TruthSocial { get; } = new(MastodonForks.TruthSocial);
    public static MastodonPlatform Gab { get; } = new(MastodonForks.Gab);

    public MastodonNetwork Network => network;

    public string Name => network.Name;

    public bool TryParseSeed(string seed, out Seed parsed) => MastodonSeeds.TryParse(network, seed, out parsed);

    public IEnumerable<CrawlRequest> Start(Seed seed)
    {
        var origin = seed.BaseUrl ?? "https://" + seed.Host;
        switch (seed.Kind)
        {
            case "account":
                yield return Request(MastodonApi.LookupUrl(origin, seed.Value), MastodonApi.Lookup, seed, MastodonApi.ContextAcct);
                break;
            case "hashtag":
                yield return Request(MastodonApi.TagUrl(origin, seed.Value), MastodonApi.TagTimeline, seed, MastodonApi.ContextTag);
                break;
            case "status":
                yield return Request(MastodonApi.StatusUrl(origin, seed.Value), MastodonApi.Status, seed, MastodonApi.ContextStatusId);
                yield return Request(MastodonApi.ContextUrl(origin, seed.Value), MastodonApi.Context, seed, MastodonApi.ContextStatusId) with
                {
                    Priority = MastodonApi.NewestPriority - 1,
                };
                break;
        }
    }

    private CrawlRequest Request(Uri url, string purpose, Seed seed, string contextKey) => new()
    {
        Url = url,
        Platform = network.Name,
        Purpose = purpose,
        Priority = MastodonApi.NewestPriority,
        SeedOriginal = seed.Original,
        Context = new Dictionary<string, string> { [contextKey] = seed.Value },
    };

    public bool CanParse(Uri url) =>
        url.AbsolutePath.StartsWith("/api/v", StringComparison.Ordinal) && network.ClaimsHost(url.Host.ToLowerInvariant());

    /// <summary>
    /// A Mastodon API answer (an <c>/api/v1/</c> path with a JSON body) on a host nobody claims. Only generic
    /// Mastodon says so: a fork's captures are recognised by its home host.
    /// </summary>
    public bool RecognisesCapture(Uri url, string? contentType, ReadOnlySpan<byte> head) =>
        network.HomeHost is null && url.AbsolutePath.StartsWith("/api/v1/", StringComparison.Ordinal)
        && contentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;

    public ParseResult Parse(FetchedPage page) => MastodonPageParser.Parse(page, network);
}
