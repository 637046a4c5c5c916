using Archiver.Capturing;
using Archiver.Model;

namespace Archiver.Export;

/// <summary>
/// Copies the original captures of exported posts out of the archive's WARC files, record by record and
/// byte for byte (each gzip member as stored; a record from an imported ARC file is written as the WARC
/// record it was read as): the response a post was parsed from and the request
/// written right after it. Each capture is copied once however many posts came from it.
/// </summary>
internal sealed class CaptureCopier(string warcDirectory)
{
    private const long MaxRecordBytes = 512L * 1024 * 1024;
    private readonly HashSet<(string File, long Offset)> _wanted = [];
    private readonly List<string> _warnings = [];

    public IReadOnlyList<string> Warnings => _warnings;

    public void Want(Capture? capture)
    {
        if (capture?.WarcFile is { } file && capture.WarcOffset is { } offset) _wanted.Add((file, offset));
    }

    public int Wanted => _wanted.Count;

    /// <summary>Writes the records to <paramref name="output"/>; returns index entries for the copied responses.</summary>
    public List<CdxjEntry> CopyTo(Stream output, string outputName, CancellationToken ct)
    {
        var entries = new List<CdxjEntry>();
        foreach (var group in _wanted.GroupBy(w => w.File).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var path = Resolve(group.Key);
            if (path is null)
            {
                _warnings.Add($"capture file {group.Key} is not in the archive's warc/ folder; {group.Count()} capture(s) not copied");
                continue;
            }
            using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
            foreach (var offset in group.Select(g => g.Offset).Order())
            {
                ct.ThrowIfCancellationRequested();
                var response = CopyMember(input, offset, output, outputName, path, entries);
                if (response is null) continue;
                // Our writer puts the request right after its response; copy it when it is there.
                CopyMember(input, response.Value, output, outputName, path, entries, onlyType: "request");
            }
        }
        return entries;
    }

    private long? CopyMember(Stream input, long offset, Stream output, string outputName, string path, List<CdxjEntry> entries, string? onlyType = null)
    {
        if (offset >= input.Length) return null;
        input.Position = offset;
        GzipMembers.Member? member;
        try
        {
            member = GzipMembers.ReadMember(input, path, MaxRecordBytes);
        }
        catch (WarcFormatException e)
        {
            if (onlyType is null) _warnings.Add($"{Path.GetFileName(path)}@{offset}: {e.Message}");
            return null;
        }
        if (member is null) return null;
        var arc = WarcReader.IsArcFileName(path);
        var record = WarcReader.Read(new MemoryStream(member.Data, writable: false), Path.GetFileName(path), new WarcReadOptions { Arc = arc }).FirstOrDefault();
        if (record is null && onlyType is null) _warnings.Add($"{Path.GetFileName(path)}@{offset}: no readable record there; capture not copied");
        if (record is null || (onlyType is not null && record.Type != onlyType)) return null;
        var newOffset = output.Position;
        long written;
        if (arc)
        {
            // An ARC record cannot go into a WARC as it is: write the WARC record the reader made of it.
            written = WriteGzipMember(output, WarcWriter.Serialize(record.Version, record.Headers, record.Block.Span));
        }
        else
        {
            input.Position = member.Offset;
            CopyBytes(input, output, member.Length);
            written = member.Length;
        }
        if (record.Type == "response" && record.TargetUri is { } url)
        {
            var date = DateTimeOffset.TryParse(record.Date, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var d) ? d : DateTimeOffset.UnixEpoch;
            entries.Add(new CdxjEntry(url, date, "response", record.Http?.Headers["Content-Type"], record.Http?.Status,
                record.Headers["WARC-Payload-Digest"] ?? record.Headers["WARC-Block-Digest"] ?? "", written, newOffset, outputName));
        }
        return member.Offset + member.Length;
    }

    private static long WriteGzipMember(Stream output, byte[] record)
    {
        var start = output.Position;
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(record);
        return output.Position - start;
    }

    private static void CopyBytes(Stream input, Stream output, long count)
    {
        var buffer = new byte[81920];
        while (count > 0)
        {
            var n = input.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (n <= 0) throw new IOException("WARC file ended inside a record while copying it.");
            output.Write(buffer, 0, n);
            count -= n;
        }
    }

    private string? Resolve(string file)
    {
        if (file.Contains('!', StringComparison.Ordinal)) return null; // inside a WACZ that was imported
        var candidate = Path.IsPathRooted(file) ? file : Path.Combine(warcDirectory, file);
        return File.Exists(candidate) ? candidate : null;
    }
}
