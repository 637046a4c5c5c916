namespace Archiver.Export;

/// <summary>posts, authors and media tables in one tabular format (JSONL, CSV or Parquet).</summary>
public sealed class TabularExporter : IExporter
{
    private readonly Formats.ITableFormat _format;
    private readonly Table<PostRow> _posts;
    private readonly Formats.ITableWriter<PostRow> _postWriter;
    private readonly Formats.ITableWriter<AuthorRow> _authorWriter;
    private readonly Formats.ITableWriter<MediaRow> _mediaWriter;
    private readonly string _postsPath, _authorsPath, _mediaPath;

    public TabularExporter(Formats.ITableFormat format, ExportDirectory directory, Table<PostRow> posts, Formats.TableFormatOptions options)
    {
        _format = format;
        _posts = posts;
        _postsPath = $"{posts.Name}.{format.Extension}";
        _authorsPath = $"{ExportTables.Authors.Name}.{format.Extension}";
        _mediaPath = $"{ExportTables.Media.Name}.{format.Extension}";
        _postWriter = format.Create(directory.PathOf(_postsPath), posts, options);
        _authorWriter = format.Create(directory.PathOf(_authorsPath), ExportTables.Authors, options);
        _mediaWriter = format.Create(directory.PathOf(_mediaPath), ExportTables.Media, options);
    }

    public string Format => _format.Name;
    public bool WantsAuthorsAndMedia => true;

    public async ValueTask WritePostAsync(ExportItem item, CancellationToken ct)
    {
        foreach (var earlier in item.History) await _postWriter.WriteAsync(earlier, ct);
        await _postWriter.WriteAsync(item.Row, ct);
    }

    public ValueTask WriteAuthorAsync(AuthorRow row, CancellationToken ct) => _authorWriter.WriteAsync(row, ct);
    public ValueTask WriteMediaAsync(MediaRow row, CancellationToken ct) => _mediaWriter.WriteAsync(row, ct);

    public async ValueTask<IReadOnlyList<ExportedFile>> CompleteAsync(CancellationToken ct)
    {
        await _postWriter.CompleteAsync(ct);
        await _authorWriter.CompleteAsync(ct);
        await _mediaWriter.CompleteAsync(ct);
        return
        [
            Describe(_postsPath, _posts.Name, _posts.Description, _postWriter.Rows, _posts.Fields, _postWriter.Sha256),
            Describe(_authorsPath, ExportTables.Authors.Name, ExportTables.Authors.Description, _authorWriter.Rows, ExportTables.Authors.Fields, _authorWriter.Sha256),
            Describe(_mediaPath, ExportTables.Media.Name, ExportTables.Media.Description, _mediaWriter.Rows, ExportTables.Media.Fields, _mediaWriter.Sha256),
        ];
    }

    private ExportedFile Describe(string path, string name, string description, long rows, IReadOnlyList<SchemaField> fields, string? sha256) => new()
    {
        Path = path,
        Name = name,
        Format = _format.Name,
        MediaType = _format.MediaType,
        Description = description,
        Rows = rows,
        Fields = fields,
        Sha256 = sha256,
    };

    public async ValueTask DisposeAsync()
    {
        await _postWriter.DisposeAsync();
        await _authorWriter.DisposeAsync();
        await _mediaWriter.DisposeAsync();
    }
}
