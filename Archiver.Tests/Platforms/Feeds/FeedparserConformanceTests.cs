using Archiver.Platforms;
using Archiver.Platforms.Charsets;
using Archiver.Platforms.Feeds;

namespace Archiver.Tests.Platforms.Feeds;

public sealed class FeedparserConformanceTests
{
    public static TheoryData<string> Files() => new(FeedparserSuite.Files());

    [Theory]
    [MemberData(nameof(Files))]
    public void Reads_the_feedparser_suite_as_its_expectations_say(string file)
    {
        var suiteCase = FeedparserSuite.Load(file);
        var bytes = File.ReadAllBytes(Path.Combine(FeedparserSuite.Root, file));
        // The suite's harness serves the files at http://127.0.0.1:8097/tests/...; Content-Location overrides it.
        var url = new Uri(suiteCase.ContentLocation ?? "http://127.0.0.1:8097/tests/" + file.Replace('\\', '/'));

        var (feed, decoded) = FeedParser.Read(bytes, suiteCase.ContentType, url);
        var result = new FeedPlatform().Parse(new FetchedPage { Url = url, Status = 200, Body = bytes, ContentType = suiteCase.ContentType });

        Assert.True(result.Posts.Count > 0 || result.Problems.Count > 0 || feed is { Entries.Count: 0 });
        if (Path.GetFileName(file).StartsWith("cdf_", StringComparison.Ordinal))
        {
            // Microsoft's Channel Definition Format (1997) is not a feed format we read: it is reported, not guessed at.
            Assert.Null(feed);
            Assert.Equal("not a feed: no rss, RDF, feed or JSON Feed document", Assert.Single(result.Problems).Reason);
            return;
        }
        foreach (var clause in suiteCase.Clauses)
            Check(clause, feed, decoded, file, suiteCase.ContentType);
    }

    [Fact]
    public void Translates_a_known_number_of_expectations()
    {
        var clauses = FeedparserSuite.Files().Select(FeedparserSuite.Load).SelectMany(c => c.Clauses).ToList();

        // Printed so the report can cite it; asserted so a parsing regression in the translator shows up.
        TestContext.Current.SendDiagnosticMessage($"feedparser suite: {clauses.Count} Expect clauses checked ({clauses.Count(c => c.Target == "bozo")} bozo, {clauses.Count(c => c.Target == "encoding")} encoding, {clauses.Count(c => c.Tuple is not null)} dates, {clauses.Count(c => c.Text is not null && c.Target != "encoding")} values)");
        Assert.True(clauses.Count > 900, $"only {clauses.Count} clauses translated");
    }

    private static void Check(FeedparserSuite.Clause clause, FeedDocument? feed, DecodedText decoded, string file, string? contentType)
    {
        switch (clause.Target)
        {
            case "bozo":
                var wellFormed = feed is not null && feed.Problems.Count == 0;
                Assert.True(clause.Field == "bozo" ? !wellFormed || IsBozoForEncoding(file) : wellFormed,
                    $"{file}: expected {clause.Field}; problems: {string.Join("; ", feed?.Problems ?? ["not a feed"])}");
                return;
            case "encoding":
                // Deliberate difference: RFC 3023 made text/xml without a charset US-ASCII; RFC 7303 (2014) dropped
                // that rule, so like browsers we use the XML declaration, else UTF-8.
                var expected = contentType is not null && contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase) && TextDecoder.CharsetOf(contentType) is null
                    ? XmlDeclaration.Find(File.ReadAllBytes(Path.Combine(FeedparserSuite.Root, file))) ?? System.Text.Encoding.UTF8
                    : EncodingLabels.Resolve(clause.Text);
                Assert.Equal(expected?.CodePage, decoded.Encoding.CodePage);
                return;
        }
        Assert.NotNull(feed);
        var entry = clause.Target == "feed" ? null : feed.Entries.FirstOrDefault();
        if (clause.Target != "feed") Assert.NotNull(entry);
        object? actual = (clause.Target, clause.Field) switch
        {
            ("feed", "title" or "title_detail.value") => feed.Title,
            ("feed", "link") => feed.Link,
            ("feed", "id") => feed.Id,
            ("feed", "language") => feed.Language,
            ("feed", _) => feed.Updated,
            (_, "title" or "title_detail.value") => entry!.Title,
            (_, "link") => entry!.Link,
            (_, "id" or "guid") => entry!.Id,
            (_, "links.0.href") => entry!.Links.FirstOrDefault()?.Href ?? entry.Link,
            (_, "published_parsed" or "issued_parsed") => entry!.Published ?? entry.Updated,
            _ => entry!.Updated ?? entry.Published,
        };
        if (clause.Tuple is { } t)
        {
            var date = Assert.IsType<DateTime>(actual, exactMatch: false);
            Assert.Equal(new DateTime(t[0], t[1], t[2], t[3], t[4], t[5], DateTimeKind.Utc), date);
        }
        else Assert.Equal(clause.Text, (string?)actual);
    }

    // Encoding "bozo" cases are about a declared charset that is wrong or unknown; we decode them anyway,
    // which is the point of archiving, so they count as read rather than as ill-formed XML.
    private static bool IsBozoForEncoding(string file) =>
        file.Replace('\\', '/').StartsWith("encoding/", StringComparison.Ordinal) || file.Replace('\\', '/').StartsWith("illformed/chardet/", StringComparison.Ordinal);
}
