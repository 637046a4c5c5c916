using System.Threading.Channels;
using Archiver.Capturing;
using Archiver.Model;

namespace Archiver.Crawling;

/// <summary>
/// The one WARC writer of a crawl: each answer as fetched (a browser page with the requests it made and its
/// rendered DOM), then pages on to the parsers and media files into the content-addressed media store.
/// </summary>
internal sealed class CaptureStage(CrawlRun run, WarcWriter warc, MediaStore files, MediaDownloads media)
{
    private CrawlCounters Counters => run.Counters;

    public async Task RunAsync(ChannelReader<Fetched> input, ChannelWriter<Captured> output)
    {
        await foreach (var fetched in input.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (fetched.Item.Kind == RequestKind.Media)
            {
                CaptureMedia(fetched);
                continue;
            }
            if (run.Fatal is not null) continue;
            Captured captured;
            try
            {
                using var timer = Counters.Time(CrawlStage.Capture);
                captured = Capture(fetched);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                run.Abort(new ArchiverException($"Cannot write WARC files in {run.Options.DataDir}: {e.Message}", e));
                continue;
            }
            await output.WriteAsync(captured, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private Captured Capture(Fetched fetched)
    {
        var response = fetched.Response;
        var request = fetched.Item.Request;
        var hints = CaptureHints.Fields(request.Platform, request.Context.GetValueOrDefault(Platforms.Sites.SiteParser.ProfileKey));
        var written = response.Url.IsFile
            ? LocalFileFetch.Capture(warc, response, hints)
            : warc.WriteExchange(response.ToExchange() with { ResponseRecordFields = hints }).Response;
        var capture = new Capture
        {
            Url = response.Url.AbsoluteUri,
            FetchedAt = response.Date.UtcDateTime,
            Status = response.Status,
            PayloadSha256 = written.PayloadSha256Hex,
            WarcFile = written.File,
            WarcOffset = written.Offset,
            WarcRecordId = written.RecordId,
        };
        if (fetched.Browser is { } page)
        {
            foreach (var resource in page.Network) warc.WriteExchange(resource.ToExchange());
            warc.WriteRecord(new WarcRecordDraft
            {
                Type = "conversion",
                TargetUri = response.Url.AbsoluteUri,
                ContentType = "text/html; charset=utf-8",
                RefersTo = written.RecordId,
                Block = System.Text.Encoding.UTF8.GetBytes(page.RenderedHtml),
                ExtraHeaders = [new("WARC-Archiver-Note", "DOM rendered by Chromium after scripts ran")],
            });
        }
        return new Captured(fetched.Item, response, capture, fetched.Browser?.RenderedHtml);
    }

    /// <summary>A media answer: into the WARC as fetched, then (a 2xx within the size limit) into the media store.</summary>
    private void CaptureMedia(Fetched fetched)
    {
        var request = fetched.Item.Request;
        var response = fetched.Response;
        var url = request.Url.AbsoluteUri;
        try
        {
            if (run.Fatal is not null)
            {
                media.Settle(request, null);
                return;
            }
            using (Counters.Time(CrawlStage.Capture)) warc.WriteExchange(response.ToExchange());
            if (response.Status is < 200 or >= 300)
            {
                run.Fail(url, $"media answered HTTP {response.Status}");
                media.Settle(request, null);
                return;
            }
            var stored = files.Store(response.Body, response.ContentType, url);
            if (stored is null)
            {
                run.Fail(url, $"media over the {run.Options.MaxMediaBytes:N0}-byte limit");
                media.Settle(request, null);
                return;
            }
            if (stored.IsNew) Counters.AddMedia(stored.Size);
            media.Settle(request, stored);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // As when the media were stored on the parser's thread: the pages that need this file fail, not the crawl.
            media.Fault(request, e);
        }
    }
}
