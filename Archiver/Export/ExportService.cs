using System.Diagnostics;
using System.IO.Hashing;
using System.Text;
using System.Threading.Channels;
using Archiver.Export.Formats;
using Archiver.Model;
using Archiver.Storage;

namespace Archiver.Export;

public sealed record ExportRequest
{
    /// <summary>jsonl, csv, parquet or ids.</summary>
    public required string Format { get; init; }
    public required string OutPath { get; init; }
    public string? Query { get; init; }
    public StoreFieldFilter Filter { get; init; } = new();
    public IReadOnlyList<string>? Fields { get; init; }
    public bool WithHistory { get; init; }
    public bool WithMedia { get; init; }
    public Pseudonymizer? Pseudonymizer { get; init; }
    public bool Force { get; init; }
    public TableFormatOptions FormatOptions { get; init; } = new();
    /// <summary><c>--out -</c>: the posts table is streamed here (JSONL or CSV), with no directory and no manifest.</summary>
    public Stream? Stdout { get; init; }
    /// <summary>WARC/WACZ with --pseudonymise: the user knowingly exports the raw, not pseudonymised, captures.</summary>
    public bool RawCaptures { get; init; }
}

public sealed record ExportResult
{
    public required string Path { get; init; }
    public required string Format { get; init; }
    public required long Posts { get; init; }
    public required long EarlierVersions { get; init; }
    public required long Authors { get; init; }
    public required long MediaFiles { get; init; }
    /// <summary>Rows of the media table (files copied are <see cref="MediaFiles"/>, only with --with-media).</summary>
    public long MediaRows { get; init; }
    public bool WithMedia { get; init; }
    public bool Streamed { get; init; }
    public required long Scanned { get; init; }
    public required string ReadMode { get; init; }
    public required TimeSpan Elapsed { get; init; }
    public required IReadOnlyList<ExportedFile> Files { get; init; }
    public required IReadOnlyList<string> Warnings { get; init; }
    public double PostsPerSecond => Elapsed.TotalSeconds > 0 ? Posts / Elapsed.TotalSeconds : 0;
}

/// <summary>Live counters for a progress display (read from another thread).</summary>
public sealed class ExportProgress
{
    private long _posts;
    public PostScanProgress Scan { get; } = new();
    public long Total { get; internal set; }
    public long Posts => Interlocked.Read(ref _posts);
    public string Phase { get; internal set; } = "posts";
    private readonly TaskCompletionSource _checked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>
    /// Completes once the request passed every check (options, names, query) and writing begins: a front end that
    /// runs the export in the background waits for this or the export's failure to answer "started" or the refusal.
    /// </summary>
    public Task Checked => _checked.Task;
    internal void AddPost() => Interlocked.Increment(ref _posts);
    internal void MarkChecked() => _checked.TrySetResult();
}

/// <summary>
/// Runs one export: reads the matching posts from the store on one thread while another formats and
/// writes them, then the referenced authors and media, then the manifest, then moves the finished
/// directory into place. Memory stays bounded: posts stream through a small channel; only 8-byte hashes
/// of referenced author keys and media hashes are remembered.
/// </summary>
public sealed class ExportService(ArchiveStore store, IPostKeySource? keySource, TimeProvider time, string toolVersion)
{
    private const int BatchSize = 512;
    /// <summary>A query matching fewer posts than this share of the archive is fetched key by key instead of scanned.</summary>
    private const double KeyLookupShare = 0.05;

    public static IReadOnlyList<string> Formats { get; } = ["jsonl", "csv", "parquet", "ids", "warc", "wacz"];

    public async Task<ExportResult> RunAsync(ExportRequest request, ExportProgress progress, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var format = request.Format.ToLowerInvariant();
        if (!Formats.Contains(format))
            throw new UsageException($"Unknown --format '{request.Format}'; use one of {string.Join(", ", Formats)}.");
        if (format is "ids" or "warc" or "wacz" && request.Fields is { Count: > 0 }) throw new UsageException($"--fields does not apply to --format {format}.");
        if (request.Stdout is not null && format is not ("jsonl" or "csv"))
            throw new UsageException($"--out - streams the posts as jsonl or csv; --format {format} needs a directory (--out DIR).");
        if (request.Stdout is not null && request.WithMedia) throw new UsageException("--with-media needs a directory (--out DIR), not --out -.");
        if (format is "warc" or "wacz" && request.Pseudonymizer is not null && !request.RawCaptures)
            throw new UsageException($"--format {format} copies the raw captures, which cannot be pseudonymised (they hold the pages as served, names and all). "
                + "Export jsonl, csv or parquet with --pseudonymise, or pass --raw-captures to export the raw captures knowingly.");
        if (request.RawCaptures && format is not ("warc" or "wacz")) throw new UsageException("--raw-captures only applies to --format warc or wacz.");
        var posts = ExportTables.Posts.Select(request.Fields);
        ExportNames.Check(store, request.Filter);
        var filters = BuildFilters(request, ct, out var keys);
        progress.Total = keys?.Count ?? store.Counters.Posts;
        progress.MarkChecked();

        var warnings = new List<string>();
        if (request.Pseudonymizer is { } pseudonymizer && format is not ("warc" or "wacz"))
        {
            progress.Phase = "names";
            LearnNames(pseudonymizer, warnings, ct);
        }

        using var directory = request.Stdout is null ? ExportDirectory.Create(request.OutPath, request.Force) : null;
        await using var exporter = request.Stdout is { } stdout
            ? new StreamExporter(TableFormats.Find(format)!, stdout, posts, request.FormatOptions)
            : CreateExporter(format, directory!, posts, request.FormatOptions, store.Paths.Warc, toolVersion, time, request.WithMedia);
        var counts = new Counts();
        var authorKeys = new HashSet<ulong>();
        var mediaHashes = new HashSet<ulong>();

        var channel = Channel.CreateBounded<List<StoredPost>>(new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Factory.StartNew(() => Produce(channel.Writer, filters, keys, progress, stopReading.Token),
            stopReading.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(ct))
            {
                foreach (var stored in batch)
                {
                    await WritePostAsync(stored, request, exporter, authorKeys, mediaHashes, counts, ct);
                    progress.AddPost();
                }
            }
        }
        catch
        {
            // The writing side failed: stop the reader (it may be waiting on a full channel) and report this failure.
            await stopReading.CancelAsync();
            await producer.ContinueWith(_ => { }, TaskScheduler.Default);
            throw;
        }
        await producer;

        if (request.Pseudonymizer is not null && format is "warc" or "wacz")
            warnings.Add($"--raw-captures: the {format} export holds the raw captures, not pseudonymised; names, handles and URLs in them are as served.");
        long mediaFiles = 0, mediaRows = 0;
        if (exporter.WantsAuthorsAndMedia)
        {
            progress.Phase = "authors";
            foreach (var author in store.ScanAuthors())
            {
                ct.ThrowIfCancellationRequested();
                if (!authorKeys.Contains(KeyHash(author.Author.Platform, author.Author.Host, author.Author.NativeId))) continue;
                var row = new AuthorRow { Key = author.Author.Key, Stored = author };
                await exporter.WriteAuthorAsync(request.Pseudonymizer?.Apply(row) ?? row, ct);
                counts.Authors++;
            }
            progress.Phase = "media";
            var copier = request.WithMedia ? new MediaCopier(store.Paths.Root, directory!) : null;
            foreach (var media in store.ScanMedia())
            {
                ct.ThrowIfCancellationRequested();
                if (!mediaHashes.Contains(Hash(media.Sha256.ToLowerInvariant()))) continue;
                var row = new MediaRow { Media = media, ExportPath = copier?.Copy(media) };
                await exporter.WriteMediaAsync(request.Pseudonymizer?.Apply(row) ?? row, ct);
                mediaRows++;
            }
            if (copier is not null)
            {
                mediaFiles = copier.Copied;
                warnings.AddRange(copier.Warnings);
            }
        }

        if (exporter is WarcExporter warcMedia && request.WithMedia)
        {
            // The media files' source URLs, where the crawl captured them (a post's media URL may differ).
            progress.Phase = "media";
            foreach (var media in store.ScanMedia())
            {
                ct.ThrowIfCancellationRequested();
                if (mediaHashes.Contains(Hash(media.Sha256.ToLowerInvariant()))) warcMedia.WantMedia(media.SourceUrl);
            }
        }

        progress.Phase = "manifest";
        var files = await exporter.CompleteAsync(ct);
        if (exporter is WarcExporter warc)
        {
            warnings.AddRange(warc.Warnings);
            mediaFiles = warc.MediaRecords;
        }
        if (directory is null)
        {
            // Streamed: no directory, so no manifest; what was written is the stream itself.
            progress.Phase = "done";
            return new ExportResult
            {
                Path = "-",
                Format = format,
                Posts = counts.Posts,
                EarlierVersions = counts.Versions,
                Authors = 0,
                MediaFiles = 0,
                Streamed = true,
                Scanned = progress.Scan.Scanned,
                ReadMode = progress.Scan.Mode,
                Elapsed = watch.Elapsed,
                Files = [],
                Warnings = warnings,
            };
        }
        var description = new ExportDescription
        {
            Format = format,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            ToolVersion = toolVersion,
            // A pseudonymised export names nobody, not even in the query and filters that selected it.
            Query = request.Pseudonymizer is not null && request.Query is not null ? "(withheld in a pseudonymised export)" : request.Query,
            Filters = filters.SelectMany(f => f.Describe())
                .Select(f => request.Pseudonymizer is { } p && f.Key == "channel"
                    ? new KeyValuePair<string, string>(f.Key, string.Join(",", f.Value.Split(',').Select(p.User)))
                    : f)
                .Where(f => request.Pseudonymizer is null || f.Key != "query")
                .ToList(),
            Fields = request.Fields is { Count: > 0 } ? posts.Columns.Select(c => c.Name).ToList() : null,
            WithHistory = request.WithHistory,
            WithMedia = request.WithMedia,
            Pseudonymised = request.Pseudonymizer is not null,
            Posts = counts.Posts,
            EarlierVersions = counts.Versions,
            Authors = counts.Authors,
            MediaFiles = mediaFiles,
            MediaRows = mediaRows,
            Warnings = warnings,
        };
        Manifest.Write(directory, description, files);
        ct.ThrowIfCancellationRequested();
        directory.Commit();
        progress.Phase = "done";
        return new ExportResult
        {
            Path = directory.Target,
            Format = format,
            Posts = counts.Posts,
            EarlierVersions = counts.Versions,
            Authors = counts.Authors,
            MediaFiles = mediaFiles,
            MediaRows = mediaRows,
            WithMedia = request.WithMedia,
            Scanned = progress.Scan.Scanned,
            ReadMode = progress.Scan.Mode,
            Elapsed = watch.Elapsed,
            Files = files,
            Warnings = warnings,
        };
    }

    /// <summary>
    /// Every handle and name the archive knows (authors, and each post's author, channel and signature), so
    /// that a pseudonymised export replaces people named in anyone's text, not only in their own posts.
    /// Costs one more pass over the posts, only for pseudonymised exports.
    /// </summary>
    private void LearnNames(Pseudonymizer pseudonymizer, List<string> warnings, CancellationToken ct)
    {
        var handles = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        static void Add(HashSet<string> set, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value) && value.Length <= 200 && !value.Contains("://", StringComparison.Ordinal)) set.Add(value.Trim());
        }
        foreach (var stored in store.ScanAuthors())
        {
            ct.ThrowIfCancellationRequested();
            var a = stored.Author;
            Add(handles, a.Handle);
            Add(handles, a.NativeId);
            Add(names, a.DisplayName);
            Add(handles, a.Extra.GetValueOrDefault("username"));
        }
        store.ScanPostsForExport(null, stored =>
        {
            var p = stored.Post;
            Add(handles, p.AuthorHandle);
            Add(handles, p.AuthorId);
            Add(handles, p.Channel);
            Add(handles, p.ForwardedFrom);
            Add(names, p.AuthorName);
            Add(names, p.Extra.GetValueOrDefault("signature"));
            foreach (var m in p.Mentions) Add(handles, m);
        }, new PostScanProgress(), ct);
        if (!pseudonymizer.LearnNames(handles, names))
            warnings.Add($"the archive knows {handles.Count + names.Count} names, more than the {Pseudonymizer.MaxKnownNames} searched for in texts; "
                + "texts have only @mentions and each post's own author and channel replaced.");
    }

    private List<IExportFilter> BuildFilters(ExportRequest request, CancellationToken ct, out IReadOnlyList<string>? lookupKeys)
    {
        lookupKeys = null;
        var filters = new List<IExportFilter>();
        if (!string.IsNullOrWhiteSpace(request.Query))
        {
            if (keySource is null)
                throw new UsageException("A QUERY needs the search index, which this build of archiver does not include yet; "
                    + "filter with --since, --until, --platform and --channel instead.");
            var keys = keySource.MatchingKeys(request.Query, ct);
            filters.Add(new KeySetFilter(request.Query, keys));
            if (keys.Count < store.Counters.Posts * KeyLookupShare) lookupKeys = keys.Order(StringComparer.Ordinal).ToList();
        }
        if (!request.Filter.IsEmpty) filters.Add(request.Filter);
        return filters;
    }

    private void Produce(ChannelWriter<List<StoredPost>> writer, List<IExportFilter> filters, IReadOnlyList<string>? keys, ExportProgress progress, CancellationToken ct)
    {
        try
        {
            var batch = new List<StoredPost>(BatchSize);
            void Sink(StoredPost post)
            {
                batch.Add(post);
                if (batch.Count < BatchSize) return;
                Send(writer, batch, ct);
                batch = new List<StoredPost>(BatchSize);
            }
            Func<PostHeader, bool>? accept = filters.Count == 0 ? null : h =>
            {
                foreach (var f in filters)
                {
                    if (!f.Accepts(h)) return false;
                }
                return true;
            };
            if (keys is not null)
                store.GetPostsForExport(keys, post => { if (accept is null || accept(HeaderOf(post))) Sink(post); }, progress.Scan, ct);
            else
                store.ScanPostsForExport(accept, Sink, progress.Scan, ct);
            if (batch.Count > 0) Send(writer, batch, ct);
            writer.TryComplete();
        }
        catch (Exception e)
        {
            writer.TryComplete(e);
        }
    }

    private static void Send(ChannelWriter<List<StoredPost>> writer, List<StoredPost> batch, CancellationToken ct)
    {
        if (!writer.TryWrite(batch)) writer.WriteAsync(batch, ct).AsTask().GetAwaiter().GetResult();
    }

    private async ValueTask WritePostAsync(StoredPost stored, ExportRequest request, IExporter exporter, HashSet<ulong> authorKeys, HashSet<ulong> mediaHashes, Counts counts, CancellationToken ct)
    {
        var row = PostRow.From(stored);
        IReadOnlyList<PostRow> history = [];
        if (request.WithHistory && (stored.Version > 1 || stored.Post.EditedAt is not null)) history = store.GetVersions(stored.Key).Select(PostRow.From).ToList();
        if (exporter.WantsAuthorsAndMedia || (request.WithMedia && exporter is WarcExporter)) Remember(stored.Post, history, authorKeys, mediaHashes);
        if (request.Pseudonymizer is { } p)
        {
            row = p.Apply(row);
            if (history.Count > 0) history = history.Select(p.Apply).ToList();
        }
        await exporter.WritePostAsync(new ExportItem(stored, row, history), ct);
        counts.Posts++;
        counts.Versions += history.Count;
    }

    /// <summary>Authors are stored under their id, else their handle; a channel's posts name it as channel.</summary>
    private static void Remember(Post post, IReadOnlyList<PostRow> history, HashSet<ulong> authorKeys, HashSet<ulong> mediaHashes)
    {
        if (!string.IsNullOrEmpty(post.AuthorId)) authorKeys.Add(KeyHash(post.Platform, post.Host, post.AuthorId));
        if (!string.IsNullOrEmpty(post.AuthorHandle) && post.AuthorHandle != post.AuthorId) authorKeys.Add(KeyHash(post.Platform, post.Host, post.AuthorHandle));
        if (!string.IsNullOrEmpty(post.Channel) && post.Channel != post.AuthorHandle && post.Channel != post.AuthorId) authorKeys.Add(KeyHash(post.Platform, post.Host, post.Channel));
        foreach (var m in post.Media)
        {
            if (m.Sha256 is { Length: > 0 } sha) mediaHashes.Add(Hash(sha.ToLowerInvariant()));
        }
        foreach (var earlier in history)
        {
            foreach (var m in earlier.Post.Media)
            {
                if (m.Sha256 is { Length: > 0 } sha) mediaHashes.Add(Hash(sha.ToLowerInvariant()));
            }
        }
    }

    private static PostHeader HeaderOf(StoredPost post) => new(post.Key, post.Post.Platform, post.Post.Channel, post.Post.CreatedAt, post.FirstSeen);

    private static ulong Hash(string value) => XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(value));

    /// <summary>The hash of <see cref="PostKey.Of"/>(platform, host, id) without building the string (called for every post).</summary>
    private static ulong KeyHash(string platform, string host, string id)
    {
        var length = platform.Length + host.Length + id.Length + 2;
        if (length > 256) return Hash(PostKey.Of(platform, host, id));
        Span<char> chars = stackalloc char[length];
        var n = platform.AsSpan().ToLowerInvariant(chars);
        chars[n++] = ':';
        n += host.AsSpan().ToLowerInvariant(chars[n..]);
        chars[n++] = ':';
        id.AsSpan().CopyTo(chars[n..]);
        Span<byte> bytes = stackalloc byte[length * 3];
        return XxHash64.HashToUInt64(bytes[..Encoding.UTF8.GetBytes(chars, bytes)]);
    }

    private static IExporter CreateExporter(string format, ExportDirectory directory, Table<PostRow> posts, TableFormatOptions options,
        string warcDirectory, string toolVersion, TimeProvider time, bool withMedia) => format switch
        {
            "ids" => new IdsExporter(directory),
            "warc" or "wacz" => new WarcExporter(directory, warcDirectory, wacz: format == "wacz", toolVersion, time, withMedia),
            _ => new TabularExporter(TableFormats.Find(format)!, directory, posts, options),
        };

    private sealed class Counts
    {
        public long Posts;
        public long Versions;
        public long Authors;
    }
}
