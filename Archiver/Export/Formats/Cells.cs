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
