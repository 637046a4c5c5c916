using Archiver.Storage;

namespace Archiver.Export;

/// <summary>
/// One exported post: the row as written (pseudonymised when asked), its earlier versions (with
/// --with-history), and the stored post it came from, whose <see cref="StoredPost.Capture"/> (WARC file
/// and offset) is what a WARC or WACZ exporter copies records from.
/// </summary>
public sealed record ExportItem(StoredPost Source, PostRow Row, IReadOnlyList<PostRow> History);

/// <summary>
/// An export format. The service streams posts in, then the referenced authors and media (when
/// <see cref="WantsAuthorsAndMedia"/>), then asks for the files written; the manifest is added around them.
/// WARC and WACZ slot in here: they copy each item's capture record from the archive's WARC files.
/// </summary>
public interface IExporter : IAsyncDisposable
{
    string Format { get; }
    bool WantsAuthorsAndMedia { get; }
    ValueTask WritePostAsync(ExportItem item, CancellationToken ct);
    ValueTask WriteAuthorAsync(AuthorRow row, CancellationToken ct);
    ValueTask WriteMediaAsync(MediaRow row, CancellationToken ct);
    /// <summary>Closes every file and describes them; nothing is complete before this returns.</summary>
    ValueTask<IReadOnlyList<ExportedFile>> CompleteAsync(CancellationToken ct);
}
