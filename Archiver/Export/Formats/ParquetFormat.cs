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

    /// <summary>
    /// Rows are gathered into one set of column buffers while the previous row group is encoded and written
    /// from the other set on a second thread: encoding (UTF-8, dictionaries, statistics, Snappy) is most of the
    /// work, and overlapping it with reading and gathering posts is what makes the export fast on few cores.
    /// </summary>
    private sealed class Writer<T> : ITableWriter<T>
    {
        /// <summary>
        /// A row group is also cut when its text reaches this many characters: Parquet.Net needs a few times a
        /// row group's text in memory while encoding it, two row groups are in memory at once (one gathered, one
        /// encoded), and posts vary from a few words to pages. 4 Mi characters kept the 1M-post corpus export at
        /// 241 MiB peak and slightly faster than 8 Mi (254-317 MiB).
        /// </summary>
        private const long MaxRowGroupChars = 4L << 20;

        private readonly HashingFileStream _file;
        private readonly ParquetSchema _schema;
        private readonly ParquetColumn<T>[][] _sets;
        private readonly int _rowGroupSize;
        private ParquetColumn<T>[] _columns;
        private ParquetWriter? _writer;
        private Task _encoding = Task.CompletedTask;
        private int _pending;
        private long _pendingChars;

        public Writer(string path, Table<T> table, int rowGroupSize)
        {
            _rowGroupSize = Math.Max(1, rowGroupSize);
            var fields = table.Columns.Select(c => ParquetColumn<T>.ToField(c.Field)).ToArray();
            _schema = new ParquetSchema(fields);
            _sets = new ParquetColumn<T>[2][];
            for (var s = 0; s < _sets.Length; s++)
            {
                var leaves = new Queue<DataField>(_schema.GetDataFields());
                _sets[s] = table.Columns.Select((c, i) => ParquetColumn<T>.For(c, fields[i], leaves)).ToArray();
            }
            _columns = _sets[0];
            _file = new HashingFileStream(path);
        }

        public long Rows { get; private set; }
        public string? Sha256 => _file.Sha256;

        /// <summary>Not async: the state machine would cost every row what only every row group's end needs.</summary>
        public ValueTask WriteAsync(T row, CancellationToken ct)
        {
            var columns = _columns;
            for (var i = 0; i < columns.Length; i++) _pendingChars += columns[i].Add(row);
            _pending++;
            Rows++;
            return _pending >= _rowGroupSize || _pendingChars >= MaxRowGroupChars ? new ValueTask(StartRowGroupAsync(ct)) : ValueTask.CompletedTask;
        }

        /// <summary>Waits for the previous row group to be written, then hands this one to the encoder and gathers into the other set.</summary>
        private async Task StartRowGroupAsync(CancellationToken ct)
        {
            await _encoding;
            _writer ??= await ParquetWriter.CreateAsync(_schema, _file, Options, cancellationToken: ct);
            var columns = _columns;
            var writer = _writer;
            _encoding = Task.Run(() => WriteRowGroupAsync(writer, columns, ct), ct);
            _columns = ReferenceEquals(_columns, _sets[0]) ? _sets[1] : _sets[0];
            _pending = 0;
            _pendingChars = 0;
        }

        private static async Task WriteRowGroupAsync(ParquetWriter writer, ParquetColumn<T>[] columns, CancellationToken ct)
        {
            using var group = writer.CreateRowGroup();
            foreach (var column in columns) await column.FlushAsync(group, ct);
            group.CompleteValidate();
        }

        public async ValueTask CompleteAsync(CancellationToken ct)
        {
            // A table with no rows still gets one (empty) row group, so every reader sees its schema and types.
            if (_pending > 0 || _writer is null) await StartRowGroupAsync(ct);
            await _encoding;
            await _writer!.DisposeAsync();
            _writer = null;
            _file.Finish();
            await _file.DisposeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await _encoding;
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // The export is being abandoned; what the encoder hit is reported by the caller's own failure.
            }
            if (_writer is not null) await _writer.DisposeAsync();
            await _file.DisposeAsync();
        }
    }
}
