using Archiver.Capturing;
using Archiver.Model;

namespace Archiver.Export;

/// <summary>
/// Copies the original captures of exported posts out of the archive's WARC files into one WARC that is
/// gzip per record: the response a post was parsed from and the request written right after it. Each
/// capture is copied once however many posts came from it. A gzip member holding exactly that record (our
/// own WARCs, most crawlers') is copied byte for byte; any other framing — an uncompressed WARC or ARC
/// file, a WARC gzipped as a whole, a member holding several records, an ARC record — is re-framed: the
/// record as read (the WARC record an ARC record corresponds to) is written as its own gzip member, its
/// headers and block unchanged, so its digests still hold.
/// </summary>
internal sealed class CaptureCopier(string warcDirectory)
{
    private const long MaxRecordBytes = 512L * 1024 * 1024;
    // Where each capture is: its file and offset, and the record id (several records share an offset when
    // they share a gzip member, as in a whole-file gzip WARC).
    private readonly Dictionary<(string File, long Offset), HashSet<string>> _wanted = [];
    private readonly List<string> _warnings = [];

    public IReadOnlyList<string> Warnings => _warnings;

    public void Want(Capture? capture)
    {
        if (capture?.WarcFile is not { } file || capture.WarcOffset is not { } offset) return;
        if (!_wanted.TryGetValue((file, offset), out var ids)) _wanted[(file, offset)] = ids = new HashSet<string>(StringComparer.Ordinal);
        ids.Add(capture.WarcRecordId ?? "");
    }

    public int Wanted => _wanted.Count;

    /// <summary>Writes the records to <paramref name="output"/>; returns index entries for the copied responses.</summary>
    public List<CdxjEntry> CopyTo(Stream output, string outputName, CancellationToken ct)
    {
        var entries = new List<CdxjEntry>();
        foreach (var group in _wanted.GroupBy(w => w.Key.File).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var path = Resolve(group.Key);
            if (path is null)
            {
                _warnings.Add($"capture file {group.Key} is not in the archive's warc/ folder; {group.Count()} capture(s) not copied");
                continue;
            }
            var wanted = group.ToDictionary(g => g.Key.Offset, g => g.Value);
            using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
            var gzipped = GzipMembers.LooksGzipped(input);
            if (!gzipped || !CopyMembers(input, wanted, output, outputName, path, entries, ct))
                CopyByReading(input, wanted, byOffset: !gzipped, output, outputName, path, entries, ct);
        }
        return entries;
    }

    /// <summary>
    /// Gzip per record: seeks to each capture's member and copies it. False (nothing written) as soon as a
    /// member turns out to hold more than one record: the file is then read through instead.
    /// </summary>
    private bool CopyMembers(Stream input, Dictionary<long, HashSet<string>> wanted, Stream output, string outputName, string path, List<CdxjEntry> entries, CancellationToken ct)
    {
        var start = output.Position;
        var startEntries = entries.Count;
        var startWarnings = _warnings.Count;
        foreach (var offset in wanted.Keys.Order())
        {
            ct.ThrowIfCancellationRequested();
            var response = CopyMember(input, offset, output, outputName, path, entries, out var single);
            if (!single)
            {
                output.SetLength(start);
                output.Position = start;
                entries.RemoveRange(startEntries, entries.Count - startEntries);
                _warnings.RemoveRange(startWarnings, _warnings.Count - startWarnings);
                return false;
            }
            if (response is null) continue;
            // Our writer puts the request right after its response; copy it when it is there.
            CopyMember(input, response.Value, output, outputName, path, entries, out _, onlyType: "request");
        }
        return true;
    }

    private long? CopyMember(Stream input, long offset, Stream output, string outputName, string path, List<CdxjEntry> entries, out bool single, string? onlyType = null)
    {
        single = true;
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
        var records = WarcReader.Read(new MemoryStream(member.Data, writable: false), Path.GetFileName(path), new WarcReadOptions { Arc = arc }).Take(2).ToList();
        if (records.Count > 1)
        {
            single = onlyType is not null; // a following member with several records is simply not our request
            return null;
        }
        var record = records.FirstOrDefault();
        if (record is null && onlyType is null) _warnings.Add($"{Path.GetFileName(path)}@{offset}: no readable record there; capture not copied");
        if (record is null || (onlyType is not null && record.Type != onlyType)) return null;
        if (arc)
        {
            // An ARC record cannot go into a WARC as it is: write the WARC record the reader made of it.
            Emit(record, output, outputName, entries);
        }
        else
        {
            var newOffset = output.Position;
            input.Position = member.Offset;
            CopyBytes(input, output, member.Length);
            Index(record, newOffset, member.Length, outputName, entries);
        }
        return member.Offset + member.Length;
    }

    /// <summary>
    /// Any other framing: reads the file's records in order and re-frames each wanted one (and the request
    /// right after it) as a gzip member of its own. In an uncompressed file every record has its own offset
    /// (<paramref name="byOffset"/>); inside a shared gzip member the record id tells them apart.
    /// </summary>
    private void CopyByReading(Stream input, Dictionary<long, HashSet<string>> wanted, bool byOffset, Stream output, string outputName, string path, List<CdxjEntry> entries, CancellationToken ct)
    {
        input.Position = 0;
        var name = Path.GetFileName(path);
        var found = new HashSet<(long, string)>();
        var written = new HashSet<string>(StringComparer.Ordinal);
        var requestMayFollow = false;
        var options = new WarcReadOptions { Arc = WarcReader.IsArcFileName(path), MaxRecordBytes = MaxRecordBytes, OnProblem = p => Warn($"{name}@{p.Offset}: {p.Reason}") };
        foreach (var record in WarcReader.Read(input, name, options))
        {
            ct.ThrowIfCancellationRequested();
            var id = record.RecordId ?? "";
            if (wanted.TryGetValue(record.Offset, out var ids) && (byOffset || ids.Contains(id)))
            {
                foreach (var wantedId in byOffset ? ids : [id]) found.Add((record.Offset, wantedId));
                if (id.Length == 0 || written.Add(id)) Emit(record, output, outputName, entries);
                requestMayFollow = true;
                continue;
            }
            if (requestMayFollow && record.Type == "request" && (id.Length == 0 || written.Add(id))) Emit(record, output, outputName, entries);
            requestMayFollow = false;
        }
        foreach (var (offset, ids) in wanted)
        {
            foreach (var id in ids)
            {
                if (!found.Contains((offset, id))) Warn($"{name}@{offset}: record {(id.Length > 0 ? id : "")} not found there; capture not copied");
            }
        }
    }

    /// <summary>Writes <paramref name="record"/> as one gzip member (headers and block as read).</summary>
    private static void Emit(WarcRecord record, Stream output, string outputName, List<CdxjEntry> entries)
    {
        var offset = output.Position;
        var length = WriteGzipMember(output, WarcWriter.Serialize(record.Version, record.Headers, record.Block.Span));
        Index(record, offset, length, outputName, entries);
    }

    private static void Index(WarcRecord record, long offset, long length, string outputName, List<CdxjEntry> entries)
    {
        if (record.Type != "response" || record.TargetUri is not { } url) return;
        var date = DateTimeOffset.TryParse(record.Date, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var d) ? d : DateTimeOffset.UnixEpoch;
        entries.Add(new CdxjEntry(url, date, "response", record.Http?.Headers["Content-Type"], record.Http?.Status,
            record.Headers["WARC-Payload-Digest"] ?? record.Headers["WARC-Block-Digest"] ?? "", length, offset, outputName));
    }

    public void Warn(string message)
    {
        if (_warnings.Count < 1000) _warnings.Add(message);
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
