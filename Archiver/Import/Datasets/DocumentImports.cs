using Archiver.Inputs;
using Archiver.Storage;

namespace Archiver.Import.Datasets;

/// <summary>
/// Inputs that are not one record per line: Archiver's own export (posts with their versions, authors and
/// media read together) and single-document Mastodon API responses. <see cref="ImportService"/> asks here first.
/// </summary>
public static class DocumentImports
{
    /// <summary>Imports <paramref name="path"/> when it is one of these inputs; false leaves it to the line importer.</summary>
    public static bool TryImport(ArchiveWriter writer, TimeProvider clock, string path, ImportFormat format, bool again, ImportReport report,
        Action<StoreBatchResult>? committed, CancellationToken ct)
    {
        var regular = InputFiles.IsRegular(path);
        // A FIFO is not opened to look at it (its lines would be gone): only --format jsonl sends it here.
        if ((regular || format == ImportFormat.Jsonl) && ExportImport.Handles(path, format))
        {
            // A stream (FIFO) has no identity to resume or skip by: read it whole.
            new ExportImport(writer, clock).Import(path, again || !regular, report, committed, ct);
            return true;
        }
        // A saved document is read twice (recognised, then parsed): not from a stream.
        if (!regular) return false;
        if (MastodonFileImport.Handles(path, format))
        {
            new MastodonFileImport(writer, clock).Import(path, again, report, committed, ct);
            return true;
        }
        return false;
    }
}
