namespace Archiver.Export;

/// <summary>
/// <c>--out -</c>: the posts table (with earlier versions when asked) streamed as JSONL or CSV to an open
/// stream, as twarc and minet do; no authors, media or manifest (there is no directory to hold them).
/// </summary>
public sealed class StreamExporter(Formats.ITableFormat format, Stream output, Table<PostRow> posts, Formats.TableFormatOptions options) : IExporter
{
    private readonly Formats.ITableWriter<PostRow> _writer = ((Formats.IStreamTableFormat)format).Create(output, posts, options);

    public string Format => format.Name;
    public bool WantsAuthorsAndMedia => false;

    public async ValueTask WritePostAsync(ExportItem item, CancellationToken ct)
    {
        foreach (var earlier in item.History) await _writer.WriteAsync(earlier, ct);
        await _writer.WriteAsync(item.Row, ct);
    }

    public ValueTask WriteAuthorAsync(AuthorRow row, CancellationToken ct) => ValueTask.CompletedTask;
    public ValueTask WriteMediaAsync(MediaRow row, CancellationToken ct) => ValueTask.CompletedTask;

    public async ValueTask<IReadOnlyList<ExportedFile>> CompleteAsync(CancellationToken ct)
    {
        await _writer.CompleteAsync(ct);
        return [];
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
