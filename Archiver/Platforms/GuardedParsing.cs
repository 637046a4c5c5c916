namespace Archiver.Platforms;

/// <summary>
/// The one place where "a parser never throws" is kept, for every caller of <see cref="IPlatform.Parse"/> (the
/// crawl's parse stage, WARC import): a parser that throws on markup or JSON nobody foresaw (hostile pages are
/// the normal case here) gives a reported problem for that page, and the crawl or import goes on. Parsers
/// themselves do not catch what they did not expect.
/// </summary>
public static class GuardedParsing
{
    public static ParseResult ParseGuarded(this IPlatform platform, FetchedPage page)
    {
        try
        {
            return platform.Parse(page);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            return ParseResult.Failure($"{platform.Name} parser failed on this page: {e.GetType().Name}: {e.Message}", page.Url.AbsoluteUri) with { Unreadable = true };
        }
    }
}
