using Archiver.Export;
using Archiver.Search;
using Archiver.Storage;

namespace Archiver.Indexing;

/// <summary>Lets exports select posts with a search query, through the same parser `archiver search` uses.</summary>
public sealed class SearchKeySource(ArchiveStore store) : IPostKeySource
{
    public ISet<string> MatchingKeys(string query, CancellationToken ct)
    {
        using var index = ArchiveIndex.OpenForSearch(store, out _, ct);
        try
        {
            return index.MatchingKeys(new SearchRequest { Query = query, Limit = 0, Snippets = false });
        }
        catch (QuerySyntaxException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
