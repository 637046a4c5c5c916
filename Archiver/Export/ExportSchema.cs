using Archiver.Model;

namespace Archiver.Export;

/// <summary>The value types of the export schema, and how each format writes them (see docs/export-schema.md).</summary>
public enum FieldType
{
    String,
    /// <summary>UTC instant, millisecond precision: ISO-8601 text (<c>2024-05-01T12:00:00.000Z</c>) or a Parquet UTC timestamp.</summary>
    Timestamp,
    Int64,
    Int32,
    /// <summary>A double-precision number (only inside media objects: duration_seconds).</summary>
    Double,
    Boolean,
    /// <summary>A list of strings: a JSON array, a Parquet list, or items joined with <c>|</c> in CSV.</summary>
    StringList,
    /// <summary>A string→string map: a JSON object in JSONL, its compact JSON text in CSV and Parquet.</summary>
    Json,
    /// <summary>
    /// A list of media objects (<see cref="ExportSchema.MediaFields"/>): a JSON array of objects in JSONL, the same
    /// compact JSON array as text in CSV, a <c>LIST&lt;STRUCT&lt;...&gt;&gt;</c> in Parquet.
    /// </summary>
    MediaList,
}

public sealed record SchemaField(string Name, FieldType Type, string Description);

/// <summary>
/// One column of an export table: its schema field and a typed accessor (no boxing on the hot path).
/// Exactly one accessor is set, matching <see cref="SchemaField.Type"/>.
/// </summary>
public sealed class Column<T>
{
    private Column(SchemaField field) => Field = field;

    public SchemaField Field { get; }
    public string Name => Field.Name;
    public FieldType Type => Field.Type;
    public Func<T, string?>? Text { get; private init; }
    public Func<T, DateTime?>? Time { get; private init; }
    public Func<T, long?>? Number { get; private init; }
    public Func<T, bool>? Flag { get; private init; }
    public Func<T, IReadOnlyList<string>>? List { get; private init; }
    public Func<T, IReadOnlyDictionary<string, string>>? Map { get; private init; }
    public Func<T, IReadOnlyList<MediaRef>>? Media { get; private init; }

    public static Column<T> Str(string name, string description, Func<T, string?> get) => new(new(name, FieldType.String, description)) { Text = get };
    public static Column<T> Ts(string name, string description, Func<T, DateTime?> get) => new(new(name, FieldType.Timestamp, description)) { Time = get };
    public static Column<T> I64(string name, string description, Func<T, long?> get) => new(new(name, FieldType.Int64, description)) { Number = get };
    public static Column<T> I32(string name, string description, Func<T, long?> get) => new(new(name, FieldType.Int32, description)) { Number = get };
    public static Column<T> Bool(string name, string description, Func<T, bool> get) => new(new(name, FieldType.Boolean, description)) { Flag = get };
    public static Column<T> Strings(string name, string description, Func<T, IReadOnlyList<string>> get) => new(new(name, FieldType.StringList, description)) { List = get };
    public static Column<T> Json(string name, string description, Func<T, IReadOnlyDictionary<string, string>> get) => new(new(name, FieldType.Json, description)) { Map = get };
    public static Column<T> MediaItems(string name, string description, Func<T, IReadOnlyList<MediaRef>> get) => new(new(name, FieldType.MediaList, description)) { Media = get };
}

/// <summary>A table of the export (posts, authors, media): its file name stem and its columns, in order.</summary>
public sealed class Table<T>(string name, string description, IReadOnlyList<Column<T>> columns)
{
    public string Name { get; } = name;
    public string Description { get; } = description;
    public IReadOnlyList<Column<T>> Columns { get; } = columns;
    public IReadOnlyList<SchemaField> Fields => Columns.Select(c => c.Field).ToList();

    /// <summary>
    /// The table restricted to <paramref name="names"/> (in that order), always led by record_type and
    /// schema_version so every row says what it is. Unknown names are a usage error.
    /// </summary>
    public Table<T> Select(IReadOnlyList<string>? names)
    {
        if (names is null || names.Count == 0) return this;
        var byName = Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var unknown = names.Where(n => !byName.ContainsKey(n)).ToList();
        if (unknown.Count > 0)
            throw new UsageException($"Unknown field(s) for {Name}: {string.Join(", ", unknown)}. Known fields: {string.Join(", ", Columns.Select(c => c.Name))}.");
        var chosen = new List<Column<T>> { byName[ExportSchema.RecordTypeField], byName[ExportSchema.SchemaVersionField] };
        foreach (var n in names.Distinct(StringComparer.Ordinal))
        {
            if (n is not ExportSchema.RecordTypeField and not ExportSchema.SchemaVersionField) chosen.Add(byName[n]);
        }
        return new Table<T>(Name, Description, chosen);
    }
}

public static class ExportSchema
{
    /// <summary>Bumped on any change a reader could notice (a renamed, removed or retyped field).</summary>
    public const string Version = "2";
    public const string RecordTypeField = "record_type";
    public const string SchemaVersionField = "schema_version";
    /// <summary>The CSV separator of list items; a literal <c>|</c> or <c>\</c> in an item is escaped with <c>\</c>.</summary>
    public const char CsvListSeparator = '|';

    /// <summary>The members of one item of a <see cref="FieldType.MediaList"/>, in order (JSON keys, Parquet struct fields).</summary>
    public static readonly IReadOnlyList<SchemaField> MediaFields =
    [
        new("kind", FieldType.String, "photo, video, round_video, voice, audio, document, sticker, gif, link_preview, ..."),
        new("url", FieldType.String, "URL of the media item"),
        new("sha256", FieldType.String, "SHA-256 of the downloaded file (null when not downloaded)"),
        new("mime", FieldType.String, "media type"),
        new("width", FieldType.Int32, "width in pixels"),
        new("height", FieldType.Int32, "height in pixels"),
        new("duration_seconds", FieldType.Double, "duration of audio or video in seconds"),
        new("title", FieldType.String, "title (documents, link previews)"),
        new("description", FieldType.String, "description or alt text"),
    ];
}
