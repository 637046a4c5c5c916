using Archiver.Search;

namespace Archiver.Tests.Support;

/// <summary>How many posts of an index a query matches: the figure the indexing tests compare with the store.</summary>
public static class IndexCounts
{
    public static long Count(PostIndex index, string query) => index.Search(new SearchRequest { Query = query, Limit = 0 }).Total;
}
