using Archiver.Capturing;
using Archiver.Inputs;

namespace Archiver.Crawling;

/// <summary>
/// Seeds that name a saved page on disk (<c>parler:FILE</c>) give <c>file:</c> URLs. They are read here, not sent
/// to the HTTP client (which has no <c>file:</c> scheme), with the same size cap as a body; no robots.txt, no host
/// schedule. The crawl captures the bytes as a WARC <c>resource</c> record (no HTTP exchange is made up).
/// </summary>
internal static class LocalFileFetch
{
    public static async Task<FetchResponse> ReadAsync(Uri url, CrawlOptions options, CancellationToken ct)
    {
        var path = url.LocalPath;
        byte[] body;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new FetchFailedException(url, $"file not found: {path}") { Retryable = false };
            // A FIFO would block the fetch stage until some writer appeared; .NET shows it as an empty file.
            if ((info.Attributes & (FileAttributes.Device | FileAttributes.Directory)) != 0 || !InputFiles.IsRegular(path))
                throw new FetchFailedException(url, $"not a regular file: {path}") { Retryable = false };
            if (info.Length > options.MaxBodyBytes)
                throw new FetchFailedException(url, $"file of {info.Length:N0} bytes is over the {options.MaxBodyBytes:N0}-byte limit") { Retryable = false };
            body = await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FetchFailedException(url, $"cannot read {path}: {e.Message}", e) { Retryable = false };
        }
        var contentType = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".json" => "application/json",
            ".xml" or ".rss" or ".atom" => "application/xml",
            ".txt" => "text/plain",
            _ => "text/html",
        };
        return new FetchResponse
        {
            Url = url,
            Status = 200,
            Reason = "OK",
            RequestHeaders = new WarcHeaders(),
            ResponseHeaders = new WarcHeaders().Add("Content-Type", contentType),
            RawBody = body,
            Body = body,
            ContentType = contentType,
            Date = options.Time.GetUtcNow(),
        };
    }

    /// <summary>The file as a WARC resource record: its URL, the time it was read, its bytes as the block.</summary>
    public static WarcWritten Capture(WarcWriter warc, FetchResponse response, IReadOnlyList<KeyValuePair<string, string>> fields) =>
        warc.WriteRecord(new WarcRecordDraft
        {
            Type = "resource",
            TargetUri = response.Url.AbsoluteUri,
            Date = response.Date,
            ContentType = response.ContentType,
            Block = response.RawBody,
            PayloadStart = 0,
            ExtraHeaders = [.. fields, new("WARC-Archiver-Note", "read from a local file, not fetched over HTTP")],
        });
}
