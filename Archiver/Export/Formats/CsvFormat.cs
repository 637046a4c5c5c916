using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace Archiver.Export.Formats;

/// <summary>
/// RFC 4180 CSV through CsvHelper: a header row, CRLF line ends, fields quoted when they contain a comma,
/// quote, CR or LF (or start or end with a space). Nulls are empty cells; lists are joined with '|' (see
/// <see cref="Cells.JoinList"/>); text cells are guarded against formula injection unless switched off.
/// UTF-8 with a byte order mark unless asked not to: Excel reads a CSV without one in the legacy code page.
/// </summary>
public sealed class CsvFormat : ITableFormat, IStreamTableFormat
{
    public string Name => "csv";
    public string Extension => "csv";
    public string MediaType => "text/csv";

    public ITableWriter<T> Create<T>(string path, Table<T> table, TableFormatOptions options) => new Writer<T>(new HashingFileStream(path), table, options);

    public ITableWriter<T> Create<T>(Stream output, Table<T> table, TableFormatOptions options) => new Writer<T>(new HashingFileStream("-", output), table, options);

    private sealed class Writer<T> : ITableWriter<T>
    {
        private readonly HashingFileStream _file;
        private readonly StreamWriter _text;
        private readonly CsvWriter _csv;
        private readonly Column<T>[] _columns;
        private readonly bool _guard;

        public Writer(HashingFileStream file, Table<T> table, TableFormatOptions options)
        {
            _file = file;
            _text = new StreamWriter(_file, new UTF8Encoding(encoderShouldEmitUTF8Identifier: options.Bom), 1 << 16);
            _csv = new CsvWriter(_text, new CsvConfiguration(CultureInfo.InvariantCulture)
            {
                NewLine = "\r\n",
                // CsvHelper's own test looks only for the configured NewLine ("\r\n") once NewLine is set, so a
                // text with a bare "\n" or "\r" went out unquoted and split into extra rows in every reader.
                ShouldQuote = args => NeedsQuotes(args.Field),
                // Our own guard (text columns only): CsvHelper's would also rewrite negative numbers.
                InjectionOptions = InjectionOptions.None,
            });
            _columns = table.Columns.ToArray();
            _guard = options.CsvInjectionGuard;
            foreach (var column in _columns) _csv.WriteField(column.Name);
            _csv.NextRecord();
        }

        public long Rows { get; private set; }
        public string? Sha256 => _file.Sha256;

        public ValueTask WriteAsync(T row, CancellationToken ct)
        {
            foreach (var column in _columns) _csv.WriteField(Cell(column, row));
            _csv.NextRecord();
            Rows++;
            return ValueTask.CompletedTask;
        }

        private string Cell(Column<T> column, T row)
        {
            switch (column.Type)
            {
                case FieldType.String:
                    return Guard(column.Text!(row) ?? "");
                case FieldType.Timestamp:
                    return column.Time!(row) is { } time ? Cells.Timestamp(time) : "";
                case FieldType.Int64:
                case FieldType.Int32:
                    return column.Number!(row) is { } n ? n.ToString(CultureInfo.InvariantCulture) : "";
                case FieldType.Boolean:
                    return column.Flag!(row) ? "true" : "false";
                case FieldType.StringList:
                    return Guard(Cells.JoinList(column.List!(row)));
                case FieldType.Json:
                    return Cells.JsonObject(column.Map!(row));
                case FieldType.MediaList:
                    return Cells.MediaJson(column.Media!(row));
                default:
                    throw new InvalidOperationException($"Unhandled field type {column.Type}.");
            }
        }

        private static bool NeedsQuotes(string? field) =>
            !string.IsNullOrEmpty(field)
            && (field.AsSpan().IndexOfAny(Special) >= 0 || field[0] == ' ' || field[^1] == ' ');

        private static readonly System.Buffers.SearchValues<char> Special = System.Buffers.SearchValues.Create(",\"\r\n");

        private string Guard(string value) => _guard ? Cells.GuardFormula(value) : value;

        public async ValueTask CompleteAsync(CancellationToken ct)
        {
            await _csv.FlushAsync();
            await _text.FlushAsync(ct);
            _file.Finish();
            await DisposeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await _csv.DisposeAsync();
            await _text.DisposeAsync();
        }
    }
}
