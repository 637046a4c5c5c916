using Archiver.Model;

namespace Archiver.Platforms;

/// <summary>
/// The seam for one network: which seeds it understands, what to fetch first, and a pure parse
/// function (a fetched page in; records and further requests out; no I/O, no clock, no randomness).
/// </summary>
public interface IPlatform
{
    /// <summary>Short lower-case name used in seeds, keys and output: "telegram", "mastodon", ...</summary>
    string Name { get; }

    /// <summary>Recognises a seed typed by a user (<c>telegram:durov</c>, a t.me URL, ...).</summary>
    bool TryParseSeed(string seed, out Seed parsed);

    /// <summary>The first requests for a seed.</summary>
    IEnumerable<CrawlRequest> Start(Seed seed);

    /// <summary>Whether a captured URL (e.g. from an imported WARC) is one this platform parses.</summary>
    bool CanParse(Uri url);

    /// <summary>
    /// Whether a captured response whose URL no platform claims (a mirror, a replica, another crawler's file) is
    /// one of this platform's by the unmistakable shape of its body (<paramref name="head"/>: its first 64 KiB)
    /// or its content type. Asked in registration order after every platform's <see cref="CanParse"/>.
    /// </summary>
    bool RecognisesCapture(Uri url, string? contentType, ReadOnlySpan<byte> head) => false;

    /// <summary>
    /// Pure: the same page always gives the same result. Reports what it foresees (an error status, a page over
    /// the limits, missing parts) as problems; callers go through <see cref="GuardedParsing.ParseGuarded"/>, which
    /// turns anything it throws into a problem for that page.
    /// </summary>
    ParseResult Parse(FetchedPage page);
}
