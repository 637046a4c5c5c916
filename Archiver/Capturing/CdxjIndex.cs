using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Archiver.Capturing;

/// <summary>One CDXJ line: <c>surt timestamp {json}</c>.</summary>
public sealed record CdxjEntry(string Url, DateTimeOffset Date, string Type, string? Mime, int? Status, string Digest, long Length, long Offset, string Filename)
{
    // pywb writes URLs unescaped ('&' stays '&'); JSON only needs quotes, backslashes and controls escaped.
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string ToLine()
    {
        var json = new StringBuilder("{");
        Field(json, "url", Url);
        if (Mime is not null) Field(json, "mime", Mime.Split(';')[0].Trim());
        if (Status is { } s) Field(json, "status", s.ToString(CultureInfo.InvariantCulture));
        Field(json, "digest", Digest);
        Field(json, "length", Length.ToString(CultureInfo.InvariantCulture));
        Field(json, "offset", Offset.ToString(CultureInfo.InvariantCulture));
        Field(json, "filename", Filename);
        if (Type != "response") Field(json, "type", Type);
        json.Append('}');
        return $"{Surt.Of(Url)} {Date.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)} {json}";
    }

    private static void Field(StringBuilder json, string name, string value)
    {
        if (json.Length > 1) json.Append(", ");
        json.Append('"').Append(name).Append("\": ").Append(JsonSerializer.Serialize(value, JsonOptions));
    }

    public static CdxjEntry? Parse(string line)
    {
        var first = line.IndexOf(' ');
        var second = first < 0 ? -1 : line.IndexOf(' ', first + 1);
        if (second < 0) return null;
        try
        {
            using var doc = JsonDocument.Parse(line[(second + 1)..]);
            var root = doc.RootElement;
            string? Get(string name) => root.TryGetProperty(name, out var v) ? v.GetString() : null;
            var date = DateTime.ParseExact(line[(first + 1)..second], "yyyyMMddHHmmss", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            return new CdxjEntry(Get("url") ?? "", date, Get("type") ?? "response", Get("mime"),
                int.TryParse(Get("status"), CultureInfo.InvariantCulture, out var s) ? s : null, Get("digest") ?? "",
                long.Parse(Get("length") ?? "0", CultureInfo.InvariantCulture), long.Parse(Get("offset") ?? "0", CultureInfo.InvariantCulture),
                Get("filename") ?? "");
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }
}

/// <summary>
/// The capture index, <c>warc/index.cdxj</c>, appended as records are written (so it is in write order,
/// not sorted: sort it, e.g. with <c>sort</c>, before handing it to a replay tool that binary-searches).
/// </summary>
public sealed class CdxjIndex : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly Lock _lock = new();

    public CdxjIndex(string path)
    {
        Path = path;
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false)) { NewLine = "\n" };
    }

    public string Path { get; }

    public void Add(CdxjEntry entry)
    {
        lock (_lock)
        {
            _writer.WriteLine(entry.ToLine());
            _writer.Flush();
        }
    }

    public static IEnumerable<CdxjEntry> Read(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length > 0 && CdxjEntry.Parse(line) is { } entry) yield return entry;
        }
    }

    public void Dispose()
    {
        lock (_lock) _writer.Dispose();
    }
}
