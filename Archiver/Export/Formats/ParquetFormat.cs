using Parquet;
using Parquet.Schema;

namespace Archiver.Export.Formats;

/// <summary>
/// Apache Parquet with real types: UTC timestamps (milliseconds), int64/int32 numbers, booleans, and
/// lists of strings. Rows are buffered column by column and written one row group at a time, so memory
/// is bounded by the row group size, not the export size.
/// </summary>
public sealed class ParquetFormat : ITableFormat
{
    public string Name => "parquet";
    public string Extension => "parquet";
    public string MediaType => "application/vnd.apache.parquet";

    public ITableWriter<T> Create<T>(string path, Table<T> table, TableFormatOptions options) => new Writer<T>(path, table, options.RowGroupSize);

    /// <summary>
    /// Snappy (fast, read by every Parquet reader). Parquet.Net's stream pool keeps every buffer it ever
    /// allocated unless told otherwise, which alone would add hundreds of megabytes over a large export.
    /// </summary>
    private static ParquetOptions Options => new()
    {
        CompressionMethod = CompressionMethod.Snappy,
        CompressionLevel = System.IO.Compression.CompressionLevel.Fastest,
        MaximumSmallPoolFreeBytes = 16 << 20,
        MaximumLargePoolFreeBytes = 32 << 20,
    };

    private sealed class Writer<T> : ITableWriter<T>
    {
        /// <summary>
        /// A row group is also cut when its text reaches this many characters: Parquet.Net needs a few times a
        /// row group's text in memory while encoding it, and posts vary from a few words to pages.
        /// </summary>
        private const long MaxRowGroupChars = 12L << 20;

        private readonly HashingFileStream _file;
        private readonly ParquetSchema _schema;
        private readonly ParquetColumn<T>[] _columns;
        private readonly int _rowGroupSize;
        private ParquetWriter? _writer;
        private int _pending;
        private long _pendingChars;

        public Writer(string path, Table<T> table, int rowGroupSize)
        {
            _rowGroupSize = Math.Max(1, rowGroupSize);
            var fields = table.Columns.Select(c => ParquetColumn<T>.ToField(c.Field)).ToArray();
            _schema = new ParquetSchema(fields);
            var leaves = new Queue<DataField>(_schema.GetDataFields());
            _columns = table.Columns.Select((c, i) => ParquetColumn<T>.For(c, fields[i], leaves)).ToArray();
            _file = new HashingFileStream(path);
        }

        public long Rows { get; private set; }
        public string? Sha256 => _file.Sha256;

        public async ValueTask WriteAsync(T row, CancellationToken ct)
        {
            var columns = _columns;
            for (var i = 0; i < columns.Length; i++) _pendingChars += columns[i].Add(row);
            _pending++;
            Rows++;
            if (_pending >= _rowGroupSize || _pendingChars >= MaxRowGroupChars) await FlushRowGroupAsync(ct);
        }

        private async Task FlushRowGroupAsync(CancellationToken ct)
        {
            _writer ??= await ParquetWriter.CreateAsync(_schema, _file, Options, cancellationToken: ct);
            if (_pending == 0 && Rows > 0) return;
            using (var group = _writer.CreateRowGroup())
            {
                foreach (var column in _columns) await column.FlushAsync(group, ct);
                group.CompleteValidate();
            }
            _pending = 0;
            _pendingChars = 0;
        }

        public async ValueTask CompleteAsync(CancellationToken ct)
        {
            if (_pending > 0 || _writer is null) await FlushRowGroupAsync(ct);
            await _writer!.DisposeAsync();
            _writer = null;
            _file.Finish();
            await _file.DisposeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (_writer is not null) await _writer.DisposeAsync();
            await _file.DisposeAsync();
        }
    }
}
