using Archiver.Model;
using Archiver.Platforms.Common;

namespace Archiver.Platforms.Sites;

/// <summary>
/// Sites without an adapter, described by a profile: seeds <c>site:PROFILE:URL</c> where PROFILE is a
/// profile name or a path to its JSON file.
/// </summary>
public sealed class SitePlatform(SiteProfileCatalog catalog) : IPlatform
{
    public string Name => SiteParser.Platform;

    public SiteProfileCatalog Catalog => catalog;

    public bool TryParseSeed(string seed, out Seed parsed)
    {
        parsed = null!;
        if (!TrySplit(seed, out var profileName, out var url)) return false;
        // Loading here (not in Parse) keeps Parse pure: a bad profile is reported when the seed is given.
        var profile = catalog.Resolve(profileName);
        parsed = new Seed
        {
            Platform = Name,
            Host = UrlTools.HostKey(url),
            Kind = "site",
            Value = url.AbsoluteUri,
            Original = seed,
            BaseUrl = url.GetLeftPart(UriPartial.Authority),
        };
        _ = profile;
        return true;
    }

    /// <summary>Splits <c>site:PROFILE:URL</c>; the URL starts at the first ":http://" or ":https://".</summary>
    public static bool TrySplit(string seed, out string profile, out Uri url)
    {
        profile = "";
        url = null!;
        if (!seed.StartsWith("site:", StringComparison.OrdinalIgnoreCase)) return false;
        var rest = seed[5..];
        var at = rest.IndexOf(":http://", StringComparison.OrdinalIgnoreCase);
        if (at < 0) at = rest.IndexOf(":https://", StringComparison.OrdinalIgnoreCase);
        if (at <= 0) return false;
        profile = rest[..at];
        return Uri.TryCreate(rest[(at + 1)..], UriKind.Absolute, out url!);
    }

    public IEnumerable<CrawlRequest> Start(Seed seed)
    {
        if (!TrySplit(seed.Original, out var profileName, out var url)) yield break;
        var profile = catalog.Resolve(profileName);
        yield return new CrawlRequest
        {
            Url = url,
            Platform = Name,
            Purpose = SiteParser.PagePurpose,
            Priority = 1,
            NeedsBrowser = profile.NeedsJavascript,
            SeedOriginal = seed.Original,
            Context = new Dictionary<string, string> { [SiteParser.ProfileKey] = profile.Name },
        };
    }

    public bool CanParse(Uri url) => catalog.ForUrl(url) is not null;

    public ParseResult Parse(FetchedPage page)
    {
        var profile = page.Request?.Context.GetValueOrDefault(SiteParser.ProfileKey) is { } name
            ? catalog.Find(name)
            : catalog.ForUrl(page.Url);
        if (profile is null)
            return ParseResult.Failure($"no site profile for {page.Url} (the request names none and no profile's \"urls\" match)", page.Url.AbsoluteUri);
        return SiteParser.Parse(profile, page);
    }
}
