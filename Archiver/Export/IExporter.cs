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

/// <summary>
/// ID lists, to share a dataset without its contents (like twarc's dehydrate): <c>ids.txt</c> with one
/// post key per line and <c>urls.txt</c> with one post URL per line (posts without a URL are left out).
/// </summary>
public sealed class IdsExporter : IExporter
{
    public const string IdsFile = "ids.txt";
    public const string UrlsFile = "urls.txt";
    private readonly StreamWriter _ids;
    private readonly StreamWriter _urls;
    private long _idRows, _urlRows;

    public IdsExporter(ExportDirectory directory)
    {
        _ids = Open(directory.PathOf(IdsFile));
        _urls = Open(directory.PathOf(UrlsFile));
    }

    public string Format => "ids";
    public bool WantsAuthorsAndMedia => false;

    public ValueTask WritePostAsync(ExportItem item, CancellationToken ct)
    {
        _ids.Write(item.Row.Key);
        _ids.Write('\n');
        _idRows++;
        if (!string.IsNullOrEmpty(item.Row.Post.Url))
        {
            _urls.Write(item.Row.Post.Url);
            _urls.Write('\n');
            _urlRows++;
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask WriteAuthorAsync(AuthorRow row, CancellationToken ct) => ValueTask.CompletedTask;
    public ValueTask WriteMediaAsync(MediaRow row, CancellationToken ct) => ValueTask.CompletedTask;

    public async ValueTask<IReadOnlyList<ExportedFile>> CompleteAsync(CancellationToken ct)
    {
        foreach (var writer in new[] { _ids, _urls })
        {
            await writer.FlushAsync(ct);
            ((FileStream)writer.BaseStream).Flush(flushToDisk: true);
        }
        await DisposeAsync();
        return
        [
            new ExportedFile { Path = IdsFile, Name = "ids", Format = "txt", MediaType = "text/plain", Description = "One post key (platform:host:native_id) per line.", Rows = _idRows },
            new ExportedFile { Path = UrlsFile, Name = "urls", Format = "txt", MediaType = "text/plain", Description = "One post URL per line (posts without a URL are not listed).", Rows = _urlRows },
        ];
    }

    private static StreamWriter Open(string path) => new(Formats.TableFormats.CreateFile(path), new System.Text.UTF8Encoding(false), 1 << 16);

    public async ValueTask DisposeAsync()
    {
        await _ids.DisposeAsync();
        await _urls.DisposeAsync();
    }
}

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
