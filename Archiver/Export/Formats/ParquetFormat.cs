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

    internal static Field ToField(SchemaField field) => field.Type switch
    {
        FieldType.String or FieldType.Json => new DataField<string>(field.Name, nullable: true),
        FieldType.Timestamp => new DateTimeDataField(field.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: true),
        FieldType.Int64 => new DataField<long?>(field.Name),
        FieldType.Int32 => new DataField<int?>(field.Name),
        FieldType.Boolean => new DataField<bool>(field.Name),
        FieldType.StringList => new ListField(field.Name, new DataField<string>("element", nullable: false)),
        _ => throw new InvalidOperationException($"Unhandled field type {field.Type}."),
    };

    private sealed class Writer<T> : ITableWriter<T>
    {
        /// <summary>
        /// A row group is also cut when its text reaches this many characters: Parquet.Net needs about four
        /// times a row group's text in memory while encoding it, and posts vary from a few words to pages.
        /// </summary>
        private const long MaxRowGroupChars = 12L << 20;

        private readonly FileStream _file;
        private readonly Column<T>[] _columns;
        private readonly Field[] _fields;
        private readonly ParquetSchema _schema;
        private readonly IColumnBuffer[] _buffers;
        private readonly int _rowGroupSize;
        private ParquetWriter? _writer;
        private int _pending;
        private long _pendingChars;

        public Writer(string path, Table<T> table, int rowGroupSize)
        {
            _rowGroupSize = Math.Max(1, rowGroupSize);
            _columns = table.Columns.ToArray();
            _fields = _columns.Select(c => ToField(c.Field)).ToArray();
            _schema = new ParquetSchema(_fields);
            _buffers = _columns.Select(c => NewBuffer(c, Math.Min(_rowGroupSize, 4096))).ToArray();
            _file = TableFormats.CreateFile(path);
        }

        public long Rows { get; private set; }
        public string? Sha256 => null;

        public async ValueTask WriteAsync(T row, CancellationToken ct)
        {
            for (var i = 0; i < _buffers.Length; i++) _pendingChars += _buffers[i].Add(row);
            _pending++;
            Rows++;
            if (_pending >= _rowGroupSize || _pendingChars >= MaxRowGroupChars) await FlushRowGroupAsync(ct);
        }

        private async Task FlushRowGroupAsync(CancellationToken ct)
        {
            _writer ??= await ParquetWriter.CreateAsync(_schema, _file, Options, cancellationToken: ct);
            if (_pending == 0 && Rows > 0) return;
            // The previous row group's strings died in generation 2, where the GC would let them pile up for
            // several row groups; collecting here keeps the peak near one row group (~10 collections per 1M posts).
            if (_pending >= 10_000) GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
            using (var group = _writer.CreateRowGroup())
            {
                for (var i = 0; i < _buffers.Length; i++)
                {
                    var leaf = _fields[i] is ListField list ? (DataField)list.Item : (DataField)_fields[i];
                    await _buffers[i].WriteAsync(group, leaf, ct);
                    _buffers[i].Clear();
                }
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
            _file.Flush(flushToDisk: true);
            await _file.DisposeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (_writer is not null) await _writer.DisposeAsync();
            await _file.DisposeAsync();
        }

        private static IColumnBuffer NewBuffer(Column<T> column, int capacity) => column.Type switch
        {
            FieldType.String => new StringBuffer(capacity, column.Text!),
            FieldType.Json => new StringBuffer(capacity, r => Cells.JsonObject(column.Map!(r))),
            FieldType.Timestamp => new ValueBuffer<DateTime>(capacity, r => column.Time!(r) is { } t ? Cells.ToUtc(t) : null),
            FieldType.Int64 => new ValueBuffer<long>(capacity, column.Number!),
            FieldType.Int32 => new ValueBuffer<int>(capacity, r => (int?)column.Number!(r)),
            FieldType.Boolean => new BoolBuffer(capacity, column.Flag!),
            FieldType.StringList => new ListBuffer(capacity, column.List!),
            _ => throw new InvalidOperationException($"Unhandled field type {column.Type}."),
        };

        private interface IColumnBuffer
        {
            /// <summary>Buffers the row's value; returns the characters of text it added (0 for numbers).</summary>
            long Add(T row);
            Task WriteAsync(ParquetRowGroupWriter group, DataField field, CancellationToken ct);
            void Clear();
        }

        private sealed class StringBuffer(int capacity, Func<T, string?> get) : IColumnBuffer
        {
            private readonly List<string?> _values = new(capacity);
            public long Add(T row)
            {
                var value = get(row);
                _values.Add(value);
                return value?.Length ?? 0;
            }

            public Task WriteAsync(ParquetRowGroupWriter group, DataField field, CancellationToken ct) => group.WriteAsync(field, _values, null);
            public void Clear() => _values.Clear();
        }

        private sealed class ValueBuffer<TValue>(int capacity, Func<T, TValue?> get) : IColumnBuffer where TValue : struct
        {
            private readonly List<TValue?> _values = new(capacity);
            public long Add(T row)
            {
                _values.Add(get(row));
                return 0;
            }

            public Task WriteAsync(ParquetRowGroupWriter group, DataField field, CancellationToken ct) =>
                group.WriteAsync<TValue>(field, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_values).ToArray(), null, null, ct);
            public void Clear() => _values.Clear();
        }

        private sealed class BoolBuffer(int capacity, Func<T, bool> get) : IColumnBuffer
        {
            private readonly List<bool> _values = new(capacity);
            public long Add(T row)
            {
                _values.Add(get(row));
                return 0;
            }

            public Task WriteAsync(ParquetRowGroupWriter group, DataField field, CancellationToken ct) =>
                group.WriteAsync<bool>(field, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_values).ToArray(), null, null, ct);
            public void Clear() => _values.Clear();
        }

        /// <summary>
        /// A list column as Parquet stores it: the items of all rows in one sequence with repetition levels
        /// (0 starts a row, 1 continues it); an empty list is one null item at level 0.
        /// </summary>
        private sealed class ListBuffer(int capacity, Func<T, IReadOnlyList<string>> get) : IColumnBuffer
        {
            private readonly List<string?> _items = new(capacity);
            private readonly List<int> _levels = new(capacity);

            public long Add(T row)
            {
                var list = get(row);
                if (list.Count == 0)
                {
                    _items.Add(null);
                    _levels.Add(0);
                    return 0;
                }
                long chars = 0;
                for (var i = 0; i < list.Count; i++)
                {
                    _items.Add(list[i]);
                    _levels.Add(i == 0 ? 0 : 1);
                    chars += list[i].Length;
                }
                return chars;
            }

            public Task WriteAsync(ParquetRowGroupWriter group, DataField field, CancellationToken ct) =>
                group.WriteAsync(field, _items, _levels.ToArray());

            public void Clear()
            {
                _items.Clear();
                _levels.Clear();
            }
        }
    }
}
