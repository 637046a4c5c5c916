using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Archiver.Capturing;

/// <summary>
/// The header line of one ARC record, the Internet Archive's format before WARC (still what old Heritrix
/// and Wayback collections hold). Version 1 lists <c>URL IP-address Archive-date Content-type Length</c>;
/// version 2 adds result code, checksum, location, offset and file name before the length. The first
/// record of a file (<c>filedesc://…</c>) describes the file. A record is read as the WARC record that says
/// the same thing, so everything downstream of the reader sees one kind of record.
/// </summary>
internal sealed record ArcHeaderLine(string Url, string? IpAddress, string Date, string ContentType, long Length)
{
    public const string FileHeaderScheme = "filedesc://";

    public bool IsFileHeader => Url.StartsWith(FileHeaderScheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when the line is not an ARC header of either version.</summary>
    public static ArcHeaderLine? Parse(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 5 || !long.TryParse(fields[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var length)) return null;
        // Version 1 read from the right, since the URL of old crawls may itself contain spaces.
        if (IsArcDate(fields[^3])) return new(string.Join(' ', fields[..^4]), Address(fields[^4]), fields[^3], fields[^2], length);
        if (fields.Length >= 10 && IsArcDate(fields[2])) return new(fields[0], Address(fields[1]), fields[2], fields[3], length);
        return null;
    }

    /// <summary>WARC header fields for this record with its block: a response when the block is an HTTP message.</summary>
    public WarcHeaders ToWarcHeaders(ReadOnlySpan<byte> block)
    {
        var http = !IsFileHeader && block.StartsWith("HTTP/"u8);
        return new WarcHeaders()
            .Add("WARC-Type", IsFileHeader ? "warcinfo" : http ? "response" : "resource")
            .Add("WARC-Record-ID", RecordId(block))
            .Add("WARC-Date", WarcDate())
            .Add("WARC-Target-URI", IsFileHeader ? null : Url)
            .Add("WARC-IP-Address", IpAddress)
            .Add("WARC-Filename", IsFileHeader ? Url[FileHeaderScheme.Length..] : null)
            // ARC has no digests; this one makes the converted record checkable from here on.
            .Add("WARC-Block-Digest", WarcDigest.Sha256(block))
            .Add("Content-Type", http ? "application/http; msgtype=response" : ContentType)
            .Add("Content-Length", Length.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>ARC dates are 14 digits (yyyyMMddHHmmss); the oldest files have fewer.</summary>
    private static bool IsArcDate(string field) => field.Length is >= 8 and <= 14 && field.All(char.IsAsciiDigit);

    private static readonly string[] DateFormats = ["yyyyMMddHHmmss", "yyyyMMddHHmm", "yyyyMMddHH", "yyyyMMdd"];

    private string? WarcDate() =>
        DateTime.TryParseExact(Date, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date)
            ? WarcWriter.FormatDate(date)
            : null;

    /// <summary>ARC records have no ids: derive one from the record, so importing the file again gives the same ids.</summary>
    private string RecordId(ReadOnlySpan<byte> block)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{Url} {Date} {Length}\n"));
        hash.AppendData(block);
        var digest = hash.GetHashAndReset();
        return $"<urn:uuid:{new Guid(digest.AsSpan(0, 16)):D}>";
    }

    private static string? Address(string field) => field is "-" or "0.0.0.0" ? null : field;
}
