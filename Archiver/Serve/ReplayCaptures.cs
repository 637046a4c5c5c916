using System.Collections.Concurrent;
using System.Security.Cryptography;
using Archiver.Capturing;
using Archiver.Cli;
using Archiver.Export;
using Archiver.Storage;

namespace Archiver.Serve;

/// <summary>One capture the replay origin may serve: the post it belongs to, the page to replay and when it was captured.</summary>
internal sealed record ReplayTicket(string Id, string PostKey, string PageUrl, DateTime CapturedAt, DateTime Expires);

/// <summary>
/// The captures the replay origin serves, each as a small WACZ built on demand (by the WACZ exporter, with media)
/// from the post's captures: the page it was parsed from, those of its earlier versions, and the captured
/// responses of its media. The replay origin knows nothing of the archive but these: a capture is reachable
/// only through a ticket (128 random bits) that the app hands out on a post page, to a user it let in (with its
/// token beyond loopback); tickets expire, and the app's token is never accepted on the replay origin.
/// </summary>
internal sealed partial class ReplayCaptures(ServeViews views) : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);
    private readonly ConcurrentDictionary<string, ReplayTicket> _tickets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _built = new(StringComparer.Ordinal);
    private readonly string _cache = Path.Combine(Path.GetTempPath(), $"archiver-replay-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");

    /// <summary>A ticket for the post's current capture; null when the post has none (imported without its page).</summary>
    public ReplayTicket? Issue(PostView view)
    {
        if (view.Current.Capture is not { WarcFile: not null, WarcOffset: not null } capture) return null;
        var now = DateTime.UtcNow;
        foreach (var old in _tickets.Values.Where(t => t.Expires < now)) _tickets.TryRemove(old.Id, out _);
        var ticket = new ReplayTicket(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), view.Current.Key, capture.Url, capture.FetchedAt, now + Lifetime);
        _tickets[ticket.Id] = ticket;
        return ticket;
    }

    public ReplayTicket? Find(string? id) =>
        id is not null && _tickets.TryGetValue(id, out var ticket) && ticket.Expires > DateTime.UtcNow ? ticket : null;

    /// <summary>The WACZ of the ticket's post (built once per post and capture; null when the post is gone from the store).</summary>
    public async Task<string?> WaczAsync(ReplayTicket ticket, CancellationToken ct)
    {
        StoredPost? stored;
        using (var view = views.Acquire()) stored = view.Store.GetPost(ticket.PostKey);
        if (stored is null) return null;
        var id = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{stored.Key}\n{stored.Version}\n{stored.Capture?.WarcFile}\n{stored.Capture?.WarcOffset}")))[..32];
        var build = _built.GetOrAdd(id, _ => new Lazy<Task<string>>(() => BuildAsync(stored, Path.Combine(_cache, id), CancellationToken.None)));
        try
        {
            return await build.Value.WaitAsync(ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            _built.TryRemove(id, out _); // a failed build is tried again on the next request
            throw;
        }
    }

    private async Task<string> BuildAsync(StoredPost stored, string target, CancellationToken ct)
    {
        Directory.CreateDirectory(_cache);
        // The build outlives the request that asked for it: it holds its own view of the archive until done.
        using var view = views.Acquire();
        var store = view.Store;
        using var directory = ExportDirectory.Create(target, force: false);
        var history = store.GetVersions(stored.Key).Select(PostRow.From).ToList();
        await using (var exporter = new WarcExporter(directory, store.Paths.Warc, wacz: true, ExportCommand.ToolVersion, TimeProvider.System, withMedia: true))
        {
            await exporter.WritePostAsync(new ExportItem(stored, PostRow.From(stored), history), ct);
            // The page's own images, styles and scripts, where the crawl captured them: the replay then shows the page
            // as it was, not only the post's media.
            foreach (var url in PageResources(stored.Capture)) exporter.WantMedia(url);
            await exporter.CompleteAsync(ct);
        }
        directory.Commit();
        return Path.Combine(target, "archive.wacz");
    }

    private const int MaxResources = 1000;

    /// <summary>The URLs the captured page loads (img, source, video poster, stylesheet, script, style url(...)), resolved against it.</summary>
    private IEnumerable<string> PageResources(Model.Capture? capture)
    {
        if (capture is not { WarcFile: { } file, WarcOffset: { } offset } || file.Contains('!', StringComparison.Ordinal)) return [];
        var path = Path.IsPathRooted(file) ? file : Path.Combine(views.Paths.Warc, file);
        if (!File.Exists(path)) return [];
        try
        {
            WarcRecord? record;
            using (var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16))
            {
                input.Position = offset;
                if (GzipMembers.LooksGzipped(input))
                {
                    var member = GzipMembers.ReadMember(input, path, 64L << 20);
                    record = member is null ? null : WarcReader.Read(new MemoryStream(member.Data, writable: false), Path.GetFileName(path)).FirstOrDefault();
                }
                else
                {
                    record = WarcReader.Read(input, Path.GetFileName(path), new WarcReadOptions { Arc = WarcReader.IsArcFileName(path) }).FirstOrDefault();
                }
            }
            if (record?.Http is not { } http || !(http.Headers["Content-Type"] ?? "").Contains("html", StringComparison.OrdinalIgnoreCase)
                || http.Headers["Content-Encoding"] is { Length: > 0 } encoding && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase)) return [];
            var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(System.Text.Encoding.UTF8.GetString(http.Payload.Span));
            var found = new List<string>();
            var pageUri = new Uri(capture.Url);
            void Add(string? reference)
            {
                if (string.IsNullOrWhiteSpace(reference) || found.Count >= MaxResources) return;
                if (Uri.TryCreate(pageUri, reference.Trim(), out var resolved) && resolved.Scheme is "http" or "https") found.Add(resolved.AbsoluteUri);
            }
            foreach (var e in document.QuerySelectorAll("img[src], source[src], video[src], audio[src], script[src]")) Add(e.GetAttribute("src"));
            foreach (var e in document.QuerySelectorAll("video[poster]")) Add(e.GetAttribute("poster"));
            foreach (var e in document.QuerySelectorAll("link[rel~=stylesheet][href], link[rel~=icon][href]")) Add(e.GetAttribute("href"));
            foreach (var e in document.QuerySelectorAll("[style]"))
                foreach (System.Text.RegularExpressions.Match m in CssUrl().Matches(e.GetAttribute("style") ?? "")) Add(m.Groups[1].Value);
            return found.Distinct(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or WarcFormatException or UriFormatException)
        {
            return []; // the page replays without them
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"url\(\s*['""]?([^'"")]+)['""]?\s*\)")]
    private static partial System.Text.RegularExpressions.Regex CssUrl();

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(_cache)) Directory.Delete(_cache, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary folder of copies, nothing else refers to it.
        }
    }
}
