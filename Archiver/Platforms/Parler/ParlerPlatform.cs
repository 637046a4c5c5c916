using System.Globalization;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Archiver.Model;
using Archiver.Platforms.Charsets;
using Archiver.Platforms.Common;
using Archiver.Platforms.Sites;

namespace Archiver.Platforms.Parler;

/// <summary>
/// Parler as archived after the January 2021 takedown: seeds <c>parler:URL</c> (a parler.com page or a mirror of the
/// dump) or <c>parler:FILE</c> (a page of the dump on disk).
/// </summary>
public sealed partial class ParlerPlatform : IPlatform
{
    public const string PlatformName = "parler";
    public const string PagePurpose = "parler-page";
    private const string DefaultHost = "parler.com";

    private static readonly HtmlParser Html = new(new HtmlParserOptions { IsScripting = false });

    public string Name => PlatformName;

    public bool TryParseSeed(string seed, out Seed parsed)
    {
        parsed = null!;
        if (!seed.StartsWith("parler:", StringComparison.OrdinalIgnoreCase)) return false;
        var rest = seed[7..].Trim();
        if (rest.Length == 0) return false;
        if (Uri.TryCreate(rest, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            parsed = new Seed { Platform = Name, Host = UrlTools.HostKey(url), Kind = "url", Value = url.AbsoluteUri, Original = seed, BaseUrl = url.GetLeftPart(UriPartial.Authority) };
            return true;
        }
        var path = rest.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? new Uri(rest).LocalPath : Path.GetFullPath(rest);
        parsed = new Seed { Platform = Name, Host = DefaultHost, Kind = "file", Value = path, Original = seed };
        return true;
    }

    public IEnumerable<CrawlRequest> Start(Seed seed)
    {
        var url = seed.Kind == "file" ? new Uri(seed.Value) : new Uri(seed.Value);
        yield return new CrawlRequest { Url = url, Platform = Name, Purpose = PagePurpose, SeedOriginal = seed.Original };
    }

    /// <summary>
    /// What Parler's relative ages ("2 weeks ago") count back from: the crawl's <c>--captured-at</c>; else the saved
    /// date a page saved with SingleFile states; else, for a page fetched or imported from a WARC, its capture time.
    /// A page read from a file has no capture time of its own (the file's read time is today, not 2021): its dates
    /// stay unknown rather than wrong.
    /// </summary>
    private static ParlerPageParser.CaptureTime CaptureOf(FetchedPage page, string text)
    {
        if (page.Request?.Context.TryGetValue(CrawlRequest.CapturedAtKey, out var given) == true
            && DateTime.TryParse(given, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
            return new(DateTime.SpecifyKind(at, DateTimeKind.Utc), "--captured-at");
        if (SavedDate(text) is { } saved) return new(saved, "page (SingleFile saved date)");
        if (page.Url.IsFile) return new(null, "no capture time: give --captured-at");
        if (page.FetchedAt == default) return new(null, "no capture time");
        var fetched = page.FetchedAt.Kind == DateTimeKind.Utc ? page.FetchedAt : DateTime.SpecifyKind(page.FetchedAt.ToUniversalTime(), DateTimeKind.Utc);
        return new(fetched, page.Request is null ? "capture record (WARC-Date)" : "fetch time");
    }

    // SingleFile writes "saved date: Sun Jan 10 2021 13:00:00 GMT+0100 (Central European Standard Time)" in a comment at the top.
    [GeneratedRegex(@"saved date:\s*\w{3}\s+(\w{3})\s+(\d{1,2})\s+(\d{4})\s+(\d{2}):(\d{2}):(\d{2})\s+GMT([+-])(\d{2})(\d{2})")]
    private static partial Regex SingleFileDate();

    private static DateTime? SavedDate(string text)
    {
        var head = text.AsSpan(0, Math.Min(text.Length, 4096));
        if (head.IndexOf("saved date:", StringComparison.Ordinal) < 0) return null;
        var m = SingleFileDate().Match(head.ToString());
        if (!m.Success || Feeds.FeedDates.Month(m.Groups[1].Value) is not { } month) return null;
        int G(int i) => int.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture);
        try
        {
            var local = new DateTime(G(3), month, G(2), G(4), G(5), G(6), DateTimeKind.Utc);
            var offset = new TimeSpan(G(8), G(9), 0) * (m.Groups[7].Value == "-" ? -1 : 1);
            return local - offset;
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    public bool CanParse(Uri url) =>
        url.Host.Equals(DefaultHost, StringComparison.OrdinalIgnoreCase) || url.Host.EndsWith(".parler.com", StringComparison.OrdinalIgnoreCase);

    public ParseResult Parse(FetchedPage page)
    {
        if (page.Status is 404 or 410)
            return new ParseResult { Gone = [new GoneEntity(page.Url.AbsoluteUri, "page", page.Status, $"HTTP {page.Status}")] };
        if (page.Status >= 400) return ParseResult.Failure($"HTTP {page.Status}", page.Url.AbsoluteUri);
        var text = TextDecoder.Decode(page.Body.Span, page.ContentType, DocumentKind.Html).Text;
        // Pages of the dump read from disk carry file: URLs; their records belong to parler.com.
        var host = page.Url.IsFile ? DefaultHost : UrlTools.HostKey(page.Url);
        if (PageLimits.Check(text, page.Url) is { } refused) return refused;
        using var document = Html.ParseDocument(text);
        return ParlerPageParser.Parse(document, page, host, CaptureOf(page, text));
    }
}
