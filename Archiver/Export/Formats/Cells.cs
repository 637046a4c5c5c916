using System.Globalization;
using System.Text;

namespace Archiver.Export.Formats;

/// <summary>How values become text in the text formats (JSONL and CSV), identically.</summary>
internal static class Cells
{
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string Timestamp(DateTime value) => ToUtc(value).ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static int Timestamp(DateTime value, Span<byte> utf8)
    {
        ToUtc(value).TryFormat(utf8, out var written, TimestampFormat, CultureInfo.InvariantCulture);
        return written;
    }

    public static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    /// <summary>Compact JSON of a string map, keys sorted, so the same post always gives the same text.</summary>
    public static string JsonObject(IReadOnlyDictionary<string, string> map)
    {
        if (map.Count == 0) return "{}";
        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, JsonlFormat.WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var (k, v) in map.OrderBy(p => p.Key, StringComparer.Ordinal)) writer.WriteString(k, v);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>
    /// A post's media as a JSON array of objects with every member of <see cref="ExportSchema.MediaFields"/>
    /// (null when unknown), in that order: the JSONL value and, as compact text, the CSV cell.
    /// </summary>
    public static void WriteMedia(System.Text.Json.Utf8JsonWriter json, IReadOnlyList<Model.MediaRef> media)
    {
        json.WriteStartArray();
        for (var i = 0; i < media.Count; i++)
        {
            var m = media[i];
            json.WriteStartObject();
            json.WriteString(MediaNames.Kind, m.Kind);
            WriteOrNull(json, MediaNames.Url, m.Url);
            WriteOrNull(json, MediaNames.Sha256, m.Sha256);
            WriteOrNull(json, MediaNames.Mime, m.Mime);
            if (m.Width is { } w) json.WriteNumber(MediaNames.Width, w);
            else json.WriteNull(MediaNames.Width);
            if (m.Height is { } h) json.WriteNumber(MediaNames.Height, h);
            else json.WriteNull(MediaNames.Height);
            if (m.DurationSeconds is { } d && double.IsFinite(d)) json.WriteNumber(MediaNames.Duration, d);
            else json.WriteNull(MediaNames.Duration);
            WriteOrNull(json, MediaNames.Title, m.Title);
            WriteOrNull(json, MediaNames.Description, m.Description);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>The compact JSON text of <see cref="WriteMedia"/> (<c>[]</c> when there is none).</summary>
    public static string MediaJson(IReadOnlyList<Model.MediaRef> media)
    {
        if (media.Count == 0) return "[]";
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, JsonlFormat.WriterOptions)) WriteMedia(writer, media);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteOrNull(System.Text.Json.Utf8JsonWriter json, System.Text.Json.JsonEncodedText name, string? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteString(name, value);
    }

    /// <summary>Pre-encoded member names of a media item (written for every attached item).</summary>
    private static class MediaNames
    {
        public static readonly System.Text.Json.JsonEncodedText Kind = Name(0), Url = Name(1), Sha256 = Name(2), Mime = Name(3),
            Width = Name(4), Height = Name(5), Duration = Name(6), Title = Name(7), Description = Name(8);

        private static System.Text.Json.JsonEncodedText Name(int i) => System.Text.Json.JsonEncodedText.Encode(ExportSchema.MediaFields[i].Name);
    }

    /// <summary>CSV list cell: items joined with '|', a '|' or '\' inside an item escaped with '\'.</summary>
    public static string JoinList(IReadOnlyList<string> items)
    {
        if (items.Count == 0) return "";
        if (items.Count == 1 && items[0].AsSpan().IndexOfAny('|', '\\') < 0) return items[0];
        var sb = new StringBuilder();
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0) sb.Append(ExportSchema.CsvListSeparator);
            foreach (var c in items[i])
            {
                if (c is '|' or '\\') sb.Append('\\');
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    /// <summary>The inverse of <see cref="JoinList"/>, for readers of our CSV (and the tests).</summary>
    public static IReadOnlyList<string> SplitList(string cell)
    {
        if (cell.Length == 0) return [];
        var items = new List<string>();
        var sb = new StringBuilder();
        for (var i = 0; i < cell.Length; i++)
        {
            var c = cell[i];
            if (c == '\\' && i + 1 < cell.Length) sb.Append(cell[++i]);
            else if (c == ExportSchema.CsvListSeparator)
            {
                items.Add(sb.ToString());
                sb.Clear();
            }
            else sb.Append(c);
        }
        items.Add(sb.ToString());
        return items;
    }

    /// <summary>
    /// Spreadsheet formula injection (CWE-1236): a cell starting with = + - @ tab or CR may run as a formula.
    /// Prefixing an apostrophe makes spreadsheet software show it as text.
    /// </summary>
    public static string GuardFormula(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
}
