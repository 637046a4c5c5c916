using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Archiver.Cli;
using Archiver.Export;
using Archiver.Search;
using Archiver.Storage;

namespace Archiver.Serve;

/// <summary>
/// What the web app's export form and <c>POST /api/exports</c> take: the options of <c>archiver export</c> under the
/// same names (snake_case in JSON), except the destination (the server chooses it) and the key file, which is a
/// name among the archive's <c>keys/NAME.key</c> files: a browser must not name files on the server.
/// </summary>
public sealed record ExportForm
{
    /// <summary>jsonl, csv, parquet, ids, warc or wacz.</summary>
    public string Format { get; init; } = "";
    public string? Query { get; init; }
    public string? Since { get; init; }
    public string? Until { get; init; }
    /// <summary>Platforms (each may be comma-separated, as --platform).</summary>
    public IReadOnlyList<string>? Platform { get; init; }
    /// <summary>Channels (each may be comma-separated, as --channel).</summary>
    public IReadOnlyList<string>? Channel { get; init; }
    /// <summary>Post fields, comma-separated (--fields).</summary>
    public string? Fields { get; init; }
    public bool WithHistory { get; init; }
    public bool WithMedia { get; init; }
    public bool Pseudonymise { get; init; }
    /// <summary>With pseudonymise: the key's name in the archive's keys folder (optional when it holds exactly one).</summary>
    public string? Key { get; init; }
    public bool RawCaptures { get; init; }
    public bool NoBom { get; init; }
    public bool NoCsvInjectionGuard { get; init; }

    /// <summary>The CLI's options for this form, writing to <paramref name="outPath"/>; empty fields are left out, as an option not given.</summary>
    public ExportOptions ToOptions(ArchivePaths paths, string outPath) => new()
    {
        Format = Format.Trim(),
        Out = outPath,
        Query = Blank(Query),
        Since = Blank(Since),
        Until = Blank(Until),
        Platforms = (Platform ?? []).Where(p => !string.IsNullOrWhiteSpace(p)).ToList(),
        Channels = (Channel ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).ToList(),
        Fields = Blank(Fields),
        WithHistory = WithHistory,
        WithMedia = WithMedia,
        Pseudonymise = Pseudonymise,
        KeyFile = Pseudonymise ? KeyFile(paths, Blank(Key)) : null,
        NoBom = NoBom,
        NoCsvInjectionGuard = NoCsvInjectionGuard,
        RawCaptures = RawCaptures,
    };

    /// <summary>The names of the archive's keys (<c>keys/NAME.key</c>), sorted.</summary>
    public static IReadOnlyList<string> Keys(ArchivePaths paths) =>
        Directory.Exists(paths.Keys)
            ? Directory.EnumerateFiles(paths.Keys, "*.key").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList()
            : [];

    public static string HowToAddKey(ArchivePaths paths) =>
        $"create one with 'mkdir -p {paths.Keys} && head -c 32 /dev/urandom > {Path.Combine(paths.Keys, "project.key")}' and keep it secret (never inside an export).";

    /// <summary>The key file a name stands for: only a name listed in the keys folder, never a path.</summary>
    private static string KeyFile(ArchivePaths paths, string? name)
    {
        var keys = Keys(paths);
        if (keys.Count == 0)
            throw new UsageException($"Pseudonymising needs a key file in the archive's keys folder ({paths.Keys}), which has none; {HowToAddKey(paths)}");
        if (name is null)
        {
            if (keys.Count == 1) return Path.Combine(paths.Keys, keys[0] + ".key");
            throw new UsageException($"Choose the pseudonymisation key: {string.Join(", ", keys)}.");
        }
        if (!keys.Contains(name, StringComparer.Ordinal))
            throw new UsageException($"No key '{name}' in {paths.Keys}; the keys there: {string.Join(", ", keys)}.");
        return Path.Combine(paths.Keys, name + ".key");
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>An export as the API reports it: its state, progress and, when done, what <c>archiver export --json</c> prints (the path being the zip's folder).</summary>
public sealed record ExportStatus
{
    public required string Id { get; init; }
    /// <summary>running, done, failed or cancelled.</summary>
    public required string State { get; init; }
    /// <summary>names, posts, authors, media, manifest, done: the export's current step.</summary>
    public required string Phase { get; init; }
    public required string Format { get; init; }
    public string? Query { get; init; }
    /// <summary>Posts written so far.</summary>
    public required long Posts { get; init; }
    /// <summary>Posts looked at so far, of <see cref="Total"/>.</summary>
    public required long Scanned { get; init; }
    public required long Total { get; init; }
    public required DateTime StartedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public string? Error { get; init; }
    /// <summary>Where the zip is, once done.</summary>
    public string? Download { get; init; }
    public ExportResult? Result { get; init; }
}

/// <summary>One export the server runs in the background.</summary>
internal sealed class ExportJob
{
    public required string Id { get; init; }
    /// <summary>The export folder's name, and the zip's (with .zip).</summary>
    public required string Name { get; init; }
    /// <summary>The export directory (inside this job's own folder).</summary>
    public required string Directory { get; init; }
    public required string Folder { get; init; }
    public required ExportForm Form { get; init; }
    public required DateTime StartedAt { get; init; }
    public ExportProgress Progress { get; } = new();
    public CancellationTokenSource Cancel { get; } = new();
    public Task<ExportResult> Task { get; set; } = System.Threading.Tasks.Task.FromException<ExportResult>(new InvalidOperationException("not started"));
    public DateTime? FinishedAt { get; set; }

    public bool Running => !Task.IsCompleted;

    public string State => Task.Status switch
    {
        TaskStatus.RanToCompletion => "done",
        TaskStatus.Canceled => "cancelled",
        TaskStatus.Faulted when Cancel.IsCancellationRequested && Task.Exception!.InnerException is OperationCanceledException => "cancelled",
        TaskStatus.Faulted => "failed",
        _ => "running",
    };

    public ExportStatus Status() => new()
    {
        Id = Id,
        State = State,
        Phase = Progress.Phase,
        Format = Form.Format,
        Query = Form.Query,
        Posts = Progress.Posts,
        Scanned = Progress.Scan.Scanned,
        Total = Progress.Total,
        StartedAt = StartedAt,
        FinishedAt = FinishedAt,
        Error = State == "failed" ? Message(Task.Exception!.InnerException!) : null,
        Download = State == "done" ? $"/api/exports/{Id}/download" : null,
        Result = State == "done" ? Task.Result with { Path = Name } : null,
    };

    /// <summary>What the CLI would print for the failure: its message for the errors it explains, the exception otherwise.</summary>
    private static string Message(Exception e) => e is ArchiverException ? e.Message : $"{e.GetType().Name}: {e.Message}";
}

/// <summary>
/// The exports a serve process runs: each in the background, in its own folder under a temporary directory outside
/// the archive (an export reads the archive and never writes to it, so it works with <c>--read-only</c> too), kept
/// until it is deleted, pushed out by newer ones, or the server stops, when the whole directory is removed.
/// </summary>
internal sealed class ExportJobs : IDisposable
{
    /// <summary>Exports running at once: more would only share the same two cores and disk.</summary>
    public const int MaxRunning = 2;
    /// <summary>Finished exports kept for download; the oldest is removed when a new one starts beyond this.</summary>
    public const int MaxKept = 10;
    private const string Prefix = "archiver-serve-exports-";

    private readonly ServeViews _views;
    private readonly ConcurrentDictionary<string, ExportJob> _jobs = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public ExportJobs(ServeViews views, string? temp = null)
    {
        _views = views;
        var parent = temp ?? Path.GetTempPath();
        RemoveAbandoned(parent);
        Root = Path.Combine(parent, Prefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Root);
    }

    /// <summary>This server's exports folder (removed when it stops).</summary>
    public string Root { get; }

    public ArchivePaths Paths => _views.Paths;

    public IReadOnlyList<ExportJob> All => _jobs.Values.OrderByDescending(j => j.StartedAt).ThenBy(j => j.Id, StringComparer.Ordinal).ToList();

    public ExportJob? Find(string id) => _jobs.GetValueOrDefault(id);

    /// <summary>
    /// Starts an export and returns once it passed the export's own checks (options, names, query) or failed them:
    /// a refused export throws the CLI's <see cref="UsageException"/> and leaves nothing behind.
    /// </summary>
    public async Task<ExportJob> StartAsync(ExportForm form, TimeProvider time)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var started = time.GetUtcNow().UtcDateTime;
        var name = $"archiver-export-{SafeName(form.Format)}-{started:yyyyMMdd-HHmmss}";
        var folder = Path.Combine(Root, id);
        var job = new ExportJob { Id = id, Name = name, Folder = folder, Directory = Path.Combine(folder, name), Form = form, StartedAt = started };
        var request = form.ToOptions(Paths, job.Directory).ToRequest();
        lock (_gate)
        {
            if (_jobs.Values.Count(j => j.Running) >= MaxRunning)
                throw new TooManyExportsException($"{MaxRunning} exports are running; wait for one to finish or cancel it.");
            foreach (var old in _jobs.Values.Where(j => !j.Running).OrderByDescending(j => j.StartedAt).Skip(MaxKept - 1).ToList()) Delete(old);
            System.IO.Directory.CreateDirectory(folder);
            // The export reads one view from start to end (a read-only server may refresh meanwhile).
            var view = _views.Acquire();
            try
            {
                var service = ExportOptions.Service(view.Store, new LiveKeySource(view.Index), time);
                job.Task = System.Threading.Tasks.Task.Run(async () =>
                {
                    try
                    {
                        return await service.RunAsync(request, job.Progress, job.Cancel.Token);
                    }
                    finally
                    {
                        job.FinishedAt = time.GetUtcNow().UtcDateTime;
                        view.Dispose();
                    }
                });
            }
            catch
            {
                view.Dispose();
                throw;
            }
            _jobs[id] = job;
        }
        await System.Threading.Tasks.Task.WhenAny(job.Progress.Checked, job.Task);
        if (job.Task is { IsFaulted: true, Exception.InnerException: UsageException refused })
        {
            Delete(job);
            throw refused;
        }
        return job;
    }

    /// <summary>Cancels a running export (its staging directory is removed by the export) and deletes its files.</summary>
    public bool Delete(string id)
    {
        if (!_jobs.TryGetValue(id, out var job)) return false;
        Delete(job);
        return true;
    }

    public void CancelRunning(string id)
    {
        if (_jobs.TryGetValue(id, out var job) && job.Running) job.Cancel.Cancel();
    }

    private void Delete(ExportJob job)
    {
        _jobs.TryRemove(job.Id, out _);
        job.Cancel.Cancel();
        // The export removes its own staging directory when cancelled; the folder goes once it has stopped.
        _ = job.Task.ContinueWith(_ => RemoveFolder(job.Folder), TaskScheduler.Default);
    }

    /// <summary>Stops every export and removes this server's exports folder (the server is stopping).</summary>
    public void Dispose()
    {
        foreach (var job in _jobs.Values) job.Cancel.Cancel();
        try
        {
            System.Threading.Tasks.Task.WaitAll(_jobs.Values.Select(j => (Task)j.Task).ToArray(), TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // Failed or cancelled exports: their state no longer matters.
        }
        RemoveFolder(Root);
    }

    /// <summary>Exports folders of serve processes that are gone (killed, crashed): nobody else will remove them.</summary>
    private static void RemoveAbandoned(string parent)
    {
        if (!System.IO.Directory.Exists(parent)) return;
        foreach (var dir in System.IO.Directory.EnumerateDirectories(parent, Prefix + "*"))
        {
            var rest = Path.GetFileName(dir)[Prefix.Length..];
            var dash = rest.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !int.TryParse(rest.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (Capturing.OwnerProcess.IsRunning(pid)) continue;
            RemoveFolder(dir);
        }
    }

    private static void RemoveFolder(string path)
    {
        try
        {
            if (System.IO.Directory.Exists(path)) System.IO.Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still open (a download in progress); the folder is in the temporary directory.
        }
        catch (UnauthorizedAccessException)
        {
            // Not ours to remove.
        }
    }

    private static string SafeName(string format) =>
        ExportService.Formats.Contains(format.Trim().ToLowerInvariant()) ? format.Trim().ToLowerInvariant() : "export";

    /// <summary>A query selects posts through the index this server keeps up to date, with the parser <c>archiver export</c> uses.</summary>
    private sealed class LiveKeySource(PostIndex index) : IPostKeySource
    {
        public ISet<string> MatchingKeys(string query, CancellationToken ct)
        {
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
}

/// <summary>More exports asked for than run at once (HTTP 429).</summary>
internal sealed class TooManyExportsException(string message) : ArchiverException(message);
