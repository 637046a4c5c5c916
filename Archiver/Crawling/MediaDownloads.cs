using System.Collections.Concurrent;
using Archiver.Capturing;
using Archiver.Platforms;

namespace Archiver.Crawling;

/// <summary>
/// The media files parsed pages are waiting for, by URL, in one run. The parse stage asks here; a URL not
/// stored in an earlier run becomes a media request in the frontier (once, however many pages name it); the
/// capture stage stores what the fetch stage brought and completes the wait. A page's records are stored
/// when all its media are settled (stored, or failed and reported).
/// </summary>
internal sealed class MediaDownloads(CrawlRun run, MediaStore files, DispatchStage dispatch)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StoredMediaFile?>> _byUrl = new(StringComparer.Ordinal);

    /// <summary>The media file at <paramref name="url"/> (named <paramref name="key"/> by the post), once settled; null when it could not be had.</summary>
    public Task<StoredMediaFile?> Request(string key, Uri url, CrawlRequest page)
    {
        var added = false;
        var wait = _byUrl.GetOrAdd(key, _ =>
        {
            added = true;
            return new TaskCompletionSource<StoredMediaFile?>(TaskCreationOptions.RunContinuationsAsynchronously);
        });
        if (!added) return wait.Task;
        // Downloaded in an earlier run: the bytes are content-addressed, so the same URL is not fetched again.
        if (run.Frontier.MediaSha(url.AbsoluteUri) is { } knownSha && run.Store.GetMedia(knownSha) is { } known
            && File.Exists(files.FullPath(known.LocalPath)))
        {
            wait.TrySetResult(new StoredMediaFile(known.Sha256, known.Size, known.Mime, known.LocalPath, IsNew: false));
            return wait.Task;
        }
        run.Frontier.AddMedia(new CrawlRequest
        {
            Url = url,
            Platform = page.Platform,
            Purpose = "media",
            Priority = page.Priority,
            Depth = page.Depth,
            SeedOriginal = page.SeedOriginal,
            Context = new Dictionary<string, string>(StringComparer.Ordinal) { [MediaKey] = key },
        });
        dispatch.Wake();
        return wait.Task;
    }

    /// <summary>Context key of a media request: the URL as the post named it (the key its wait is found by).</summary>
    private const string MediaKey = "media-key";

    /// <summary>The capture stage stored the file (or it could not be had: null).</summary>
    public void Settle(CrawlRequest media, StoredMediaFile? stored)
    {
        if (stored is not null) run.Frontier.RememberMedia(media.Url.AbsoluteUri, stored.Sha256);
        if (_byUrl.TryGetValue(KeyOf(media), out var wait)) wait.TrySetResult(stored);
    }

    /// <summary>Storing the file failed unexpectedly (the disk): the pages waiting for it fail with the reason.</summary>
    public void Fault(CrawlRequest media, Exception error)
    {
        if (_byUrl.TryGetValue(KeyOf(media), out var wait)) wait.TrySetException(error);
    }

    /// <summary>The crawl stopped before these media were fetched: the pages waiting for them stay pending.</summary>
    public void AbandonAll()
    {
        foreach (var wait in _byUrl.Values) wait.TrySetCanceled();
    }

    private static string KeyOf(CrawlRequest media) => media.Context.GetValueOrDefault(MediaKey) ?? media.Url.AbsoluteUri;
}
