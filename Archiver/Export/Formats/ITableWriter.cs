namespace Archiver.Export.Formats;

/// <summary>Writes the rows of one table to one file. Rows go in one by one; nothing is final before <see cref="CompleteAsync"/>.</summary>
public interface ITableWriter<in T> : IAsyncDisposable
{
    long Rows { get; }
    /// <summary>Hex SHA-256 of the file when the writer hashed it while writing; null when it must be hashed from disk.</summary>
    string? Sha256 { get; }
    ValueTask WriteAsync(T row, CancellationToken ct);
    /// <summary>Flushes everything and closes the file; the file is complete when this returns.</summary>
    ValueTask CompleteAsync(CancellationToken ct);
}

/// <summary>Options that change how a table format writes (not what).</summary>
public sealed record TableFormatOptions
{
    /// <summary>
    /// CSV: start the file with a UTF-8 byte order mark. On by default: Excel reads a CSV without one in the
    /// legacy code page (mojibake for anything beyond ASCII); LibreOffice, Python (utf-8-sig), pandas, R and
    /// DuckDB all recognise and skip it.
    /// </summary>
    public bool Bom { get; init; } = true;
    /// <summary>CSV: prefix text cells starting with = + - @ tab or CR with an apostrophe.</summary>
    public bool CsvInjectionGuard { get; init; } = true;
    /// <summary>Parquet: rows per row group.</summary>
    public int RowGroupSize { get; init; } = 100_000;
}

/// <summary>A format that can also write one table to an open stream (stdout, for <c>--out -</c>): JSONL and CSV.</summary>
public interface IStreamTableFormat
{
    ITableWriter<T> Create<T>(Stream output, Table<T> table, TableFormatOptions options);
}

/// <summary>A tabular file format: JSONL, CSV or Parquet.</summary>
public interface ITableFormat
{
    string Name { get; }
    string Extension { get; }
    string MediaType { get; }
    ITableWriter<T> Create<T>(string path, Table<T> table, TableFormatOptions options);
}

public static class TableFormats
{
    public static ITableFormat? Find(string name) => name switch
    {
        "jsonl" => new JsonlFormat(),
        "csv" => new CsvFormat(),
        "parquet" => new ParquetFormat(),
        _ => null,
    };

    /// <summary>Creates a new file for writing; never replaces one (the export directory is new).</summary>
    internal static FileStream CreateFile(string path) =>
        new(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
}
