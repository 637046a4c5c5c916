using System.Security.Cryptography;
using Archiver.Capturing;
using Archiver.Storage;

namespace Archiver.Export.Verification;

/// <summary>
/// Re-hashes every record of the archive's WARC files against its WARC-Block-Digest, and checks that each
/// post's provenance points at a response whose payload has the SHA-256 the store recorded.
/// </summary>
public sealed class WarcCheck : IArchiveCheck
{
    public string Name => "warc";

    public long Run(ArchiveStore store, List<VerifyProblem> problems, CancellationToken ct)
    {
        if (!Directory.Exists(store.Paths.Warc)) return 0;
        var payloads = new Dictionary<(string File, long Offset), string>();
        long files = 0;
        foreach (var path in Directory.GetFiles(store.Paths.Warc, "*.warc*").Order(StringComparer.Ordinal))
        {
            ct.ThrowIfCancellationRequested();
            files++;
            var name = Path.GetFileName(path);
            var options = new WarcReadOptions { OnProblem = p => problems.Add(new($"warc/{name}", $"offset {p.Offset}: {p.Reason}")) };
            foreach (var record in WarcReader.Read(path, options))
            {
                if (record.Headers["WARC-Block-Digest"] is not null && !record.BlockDigestMatches())
                    problems.Add(new($"warc/{name}", $"offset {record.Offset}: {record.Type} record {record.RecordId} does not match its WARC-Block-Digest"));
                if (record.Type == "response" && record.Http is { } http)
                    payloads[(name, record.Offset)] = Convert.ToHexStringLower(SHA256.HashData(http.Payload.Span));
            }
        }
        foreach (var post in store.ScanPosts())
        {
            ct.ThrowIfCancellationRequested();
            if (post.Capture is not { WarcFile: { } file, WarcOffset: { } offset, PayloadSha256: { } expected }) continue;
            if (Path.IsPathRooted(file) || file.Contains('!', StringComparison.Ordinal)) continue; // imported from outside warc/
            if (!payloads.TryGetValue((file, offset), out var actual))
                problems.Add(new($"warc/{file}", $"post {post.Key}: no response record at offset {offset}"));
            else if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                problems.Add(new($"warc/{file}", $"post {post.Key}: payload at offset {offset} hashes to {actual}, the store recorded {expected}"));
        }
        return files;
    }
}
