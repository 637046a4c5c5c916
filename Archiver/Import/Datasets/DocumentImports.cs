using Archiver.Storage;

namespace Archiver.Import.Datasets;

/// <summary>
/// Inputs that are not one record per line: Archiver's own export (posts with their versions, authors and
/// media read together) and single-document Mastodon API responses. <see cref="ImportService"/> asks here first.
/// </summary>
public static class DocumentImports
{
    /// <summary>Imports <paramref name="path"/> when it is one of these inputs; false leaves it to the line importer.</summary>
    public static bool TryImport(ArchiveStore store, TimeProvider clock, string path, ImportFormat format, bool again, ImportReport report,
        Action<StoreBatchResult>? committed, CancellationToken ct)
    {
        if (ExportImport.Handles(path, format))
        {
            new ExportImport(store, clock).Import(path, again, report, committed, ct);
            return true;
        }
        if (MastodonFileImport.Handles(path, format))
        {
            new MastodonFileImport(store, clock).Import(path, again, report, committed, ct);
            return true;
        }
        return false;
    }
}
