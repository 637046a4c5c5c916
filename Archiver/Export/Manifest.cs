using System.Security.Cryptography;
using System.Text.Json;

namespace Archiver.Export;

/// <summary>A file the export wrote, as the manifest describes it.</summary>
public sealed record ExportedFile
{
    public required string Path { get; init; }
    public required string Name { get; init; }
    public required string Format { get; init; }
    public required string MediaType { get; init; }
    public required string Description { get; init; }
    public long? Rows { get; init; }
    public IReadOnlyList<SchemaField>? Fields { get; init; }
    /// <summary>Hex SHA-256 when the writer computed it while writing; else the manifest hashes the file.</summary>
    public string? Sha256 { get; init; }
}

/// <summary>What was asked and what came out: the manifest's account of an export.</summary>
public sealed record ExportDescription
{
    public required string Format { get; init; }
    public required DateTime CreatedAt { get; init; }
    public required string ToolVersion { get; init; }
    public string? Query { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> Filters { get; init; } = [];
    public IReadOnlyList<string>? Fields { get; init; }
    public bool WithHistory { get; init; }
    public bool WithMedia { get; init; }
    public bool Pseudonymised { get; init; }
    public long Posts { get; init; }
    public long EarlierVersions { get; init; }
    public long Authors { get; init; }
    public long MediaFiles { get; init; }
    public long MediaRows { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>
/// Writes <c>datapackage.json</c> (Frictionless Data Package: resources with schema, row counts, bytes and
/// SHA-256, plus what was asked) and <c>manifest-sha256.txt</c> (BagIt-style <c>sha256  path</c> lines for
/// every other file of the export, datapackage.json included). <c>archiver verify</c> checks the latter.
/// </summary>
public static class Manifest
{
    public const string PackageFile = "datapackage.json";
    public const string ChecksumFile = "manifest-sha256.txt";

    public static void Write(ExportDirectory directory, ExportDescription description, IReadOnlyList<ExportedFile> files)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files) hashes[file.Path] = file.Sha256 ?? Sha256(directory.PathOf(file.Path));
        WritePackage(directory, description, files, hashes);
        var lines = new List<string>();
        foreach (var path in ListFiles(directory.Staging))
        {
            if (path == ChecksumFile) continue;
            var hash = hashes.TryGetValue(path, out var known) ? known : Sha256(directory.PathOf(path));
            lines.Add($"{hash}  {path}");
        }
        var manifest = directory.PathOf(ChecksumFile);
        using var stream = new FileStream(manifest, FileMode.CreateNew, FileAccess.Write);
        using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false)) { NewLine = "\n" })
        {
            foreach (var line in lines) writer.WriteLine(line);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>Every file under <paramref name="root"/>, as relative paths with '/' separators, sorted ordinally.</summary>
    public static IReadOnlyList<string> ListFiles(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static void WritePackage(ExportDirectory directory, ExportDescription d, IReadOnlyList<ExportedFile> files, Dictionary<string, string> hashes)
    {
        using var stream = new FileStream(directory.PathOf(PackageFile), FileMode.CreateNew, FileAccess.Write);
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = Formats.JsonlFormat.WriterOptions.Encoder }))
        {
            json.WriteStartObject();
            json.WriteString("profile", "data-package");
            json.WriteString("name", "archiver-export");
            json.WriteString("title", "Archiver research export");
            json.WriteString("created", Formats.Cells.Timestamp(d.CreatedAt));
            json.WriteStartArray("contributors");
            json.WriteStartObject();
            json.WriteString("title", $"archiver {d.ToolVersion}");
            json.WriteString("role", "author");
            json.WriteEndObject();
            json.WriteEndArray();
            WriteExportSection(json, d);
            json.WriteStartArray("resources");
            foreach (var file in files) WriteResource(json, file, new FileInfo(directory.PathOf(file.Path)).Length, hashes[file.Path]);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        stream.Flush(flushToDisk: true);
    }

    private static void WriteExportSection(Utf8JsonWriter json, ExportDescription d)
    {
        json.WriteStartObject("archiver");
        json.WriteString("tool", "archiver");
        json.WriteString("tool_version", d.ToolVersion);
        json.WriteString("schema_version", ExportSchema.Version);
        json.WriteString("format", d.Format);
        if (d.Query is null) json.WriteNull("query");
        else json.WriteString("query", d.Query);
        json.WriteStartObject("filters");
        foreach (var (k, v) in d.Filters.Where(f => f.Key != "query")) json.WriteString(k, v);
        json.WriteEndObject();
        if (d.Fields is null) json.WriteNull("fields");
        else
        {
            json.WriteStartArray("fields");
            foreach (var f in d.Fields) json.WriteStringValue(f);
            json.WriteEndArray();
        }
        json.WriteBoolean("with_history", d.WithHistory);
        json.WriteBoolean("with_media", d.WithMedia);
        json.WriteStartObject("pseudonymisation");
        json.WriteBoolean("applied", d.Pseudonymised);
        if (d.Pseudonymised)
        {
            // Deliberately no key fingerprint: it would let anyone holding candidate keys test them.
            json.WriteString("method", "HMAC-SHA256 with a secret key; user_/name_/post_ + first 16 hex digits");
            json.WriteString("fields", "key, native_id, channel, author_id, author_handle, author_name, mentions, reply_to, forwarded_from; @mentions and every handle and name the archive knows in texts, links and extra; extra person fields pseudonymised, extra URLs removed; url, html, forwarded_url, capture_url, media url and source_url removed");
        }
        json.WriteEndObject();
        json.WriteStartObject("counts");
        json.WriteNumber("posts", d.Posts);
        json.WriteNumber("earlier_versions", d.EarlierVersions);
        json.WriteNumber("authors", d.Authors);
        // media: rows of the media table; media_files: files copied into media/ (only with --with-media).
        json.WriteNumber("media", d.MediaRows);
        json.WriteNumber("media_files", d.MediaFiles);
        json.WriteEndObject();
        json.WriteStartArray("warnings");
        foreach (var w in d.Warnings) json.WriteStringValue(w);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteResource(Utf8JsonWriter json, ExportedFile file, long bytes, string sha256)
    {
        json.WriteStartObject();
        json.WriteString("name", file.Name);
        json.WriteString("path", file.Path);
        json.WriteString("format", file.Format);
        json.WriteString("mediatype", file.MediaType);
        json.WriteString("encoding", "utf-8");
        json.WriteString("description", file.Description);
        json.WriteNumber("bytes", bytes);
        json.WriteString("hash", "sha256:" + sha256);
        if (file.Rows is { } rows) json.WriteNumber("rows", rows);
        if (file.Format == "csv")
        {
            json.WriteStartObject("dialect");
            json.WriteString("delimiter", ",");
            json.WriteString("lineTerminator", "\r\n");
            json.WriteString("quoteChar", "\"");
            json.WriteBoolean("header", true);
            json.WriteEndObject();
        }
        if (file.Fields is { } fields)
        {
            json.WriteStartObject("schema");
            json.WriteStartArray("fields");
            foreach (var f in fields)
            {
                json.WriteStartObject();
                json.WriteString("name", f.Name);
                json.WriteString("type", FrictionlessType(f.Type));
                if (f.Type == FieldType.Timestamp) json.WriteString("format", "%Y-%m-%dT%H:%M:%S.%fZ");
                if (f.Type == FieldType.StringList && file.Format == "csv")
                    json.WriteString("archiver:listSeparator", ExportSchema.CsvListSeparator.ToString());
                if (f.Type == FieldType.MediaList) WriteMediaItemFields(json);
                json.WriteString("description", f.Description);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static string FrictionlessType(FieldType type) => type switch
    {
        FieldType.String => "string",
        FieldType.Timestamp => "datetime",
        FieldType.Int64 or FieldType.Int32 => "integer",
        FieldType.Boolean => "boolean",
        FieldType.StringList => "array",
        FieldType.Json => "object",
        FieldType.MediaList => "array",
        FieldType.Double => "number",
        _ => "any",
    };

    /// <summary>Frictionless has no nested schemas: the members of a media item are listed under an archiver key.</summary>
    private static void WriteMediaItemFields(Utf8JsonWriter json)
    {
        json.WriteStartArray("archiver:itemFields");
        foreach (var m in ExportSchema.MediaFields)
        {
            json.WriteStartObject();
            json.WriteString("name", m.Name);
            json.WriteString("type", FrictionlessType(m.Type));
            json.WriteString("description", m.Description);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
