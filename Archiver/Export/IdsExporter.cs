namespace Archiver.Export;

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
