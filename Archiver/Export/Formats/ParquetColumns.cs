using Archiver.Model;
using Parquet;
using Parquet.Schema;

namespace Archiver.Export.Formats;

/// <summary>
/// Column buffers of the Parquet writer. Each keeps one row group's values in reusable arrays exactly as
/// Parquet stores them (the non-null values, plus definition and repetition levels) and hands them to
/// Parquet.Net's low-level <see cref="ParquetRowGroupWriter.WriteAllPartsAsync{T}"/>: no boxing, no per-row
/// allocation, no copy into Parquet.Net's own nullable arrays. Strings are passed as views of the posts'
/// own strings.
/// </summary>
internal abstract class ParquetColumn<T>
{
    /// <summary>Buffers the row's value; returns the characters of text it added (0 for numbers).</summary>
    public abstract long Add(T row);

    /// <summary>Writes the buffered values as the next column(s) of the row group and empties the buffer.</summary>
    public abstract Task FlushAsync(ParquetRowGroupWriter group, CancellationToken ct);

    /// <summary>The Parquet schema field of a column (a list of media items is a list of structs).</summary>
    public static Field ToField(SchemaField field) => field.Type switch
    {
        FieldType.String or FieldType.Json => new DataField<string>(field.Name, nullable: true),
        FieldType.Timestamp => new DateTimeDataField(field.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: true),
        FieldType.Int64 => new DataField<long?>(field.Name),
        FieldType.Int32 => new DataField<int?>(field.Name),
        FieldType.Double => new DataField<double?>(field.Name),
        FieldType.Boolean => new DataField<bool>(field.Name),
        FieldType.StringList => new ListField(field.Name, new DataField<string>("element", nullable: false)),
        FieldType.MediaList => new ListField(field.Name, new StructField("element", ExportSchema.MediaFields.Select(ToField).ToArray())),
        _ => throw new InvalidOperationException($"Unhandled field type {field.Type}."),
    };

    /// <summary>The buffer of <paramref name="column"/>, taking its leaf fields (in schema order) from <paramref name="leaves"/>.</summary>
    public static ParquetColumn<T> For(Column<T> column, Field field, Queue<DataField> leaves) => column.Type switch
    {
        FieldType.String => new StringColumn<T>(leaves.Dequeue(), column.Text!),
        FieldType.Json => new StringColumn<T>(leaves.Dequeue(), r => Cells.JsonObject(column.Map!(r))),
        FieldType.Timestamp => new ValueColumn<T, DateTime>(leaves.Dequeue(), r => column.Time!(r) is { } t ? Cells.ToUtc(t) : null),
        FieldType.Int64 => new ValueColumn<T, long>(leaves.Dequeue(), column.Number!),
        FieldType.Int32 => new ValueColumn<T, int>(leaves.Dequeue(), r => (int?)column.Number!(r)),
        FieldType.Boolean => new BoolColumn<T>(leaves.Dequeue(), column.Flag!),
        FieldType.StringList => new StringListColumn<T>(leaves.Dequeue(), ((ListField)field).MaxDefinitionLevel - 1, column.List!),
        FieldType.MediaList => new MediaColumn<T>(leaves, ((ListField)field).MaxDefinitionLevel - 1, column.Media!),
        _ => throw new InvalidOperationException($"Unhandled field type {column.Type}."),
    };
}

/// <summary>A growable array reused from one row group to the next.</summary>
internal struct Buffer<TValue>()
{
    private TValue[] _items = new TValue[1024];
    public int Count { get; private set; }

    public void Add(TValue value)
    {
        if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        _items[Count++] = value;
    }

    public readonly ReadOnlyMemory<TValue> Memory => _items.AsMemory(0, Count);

    /// <summary>Empties the buffer; clears references so the row group's strings can be collected.</summary>
    public void Clear()
    {
        if (System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<TValue>()) Array.Clear(_items, 0, Count);
        Count = 0;
    }
}

/// <summary>One nullable leaf column: the non-null values and a definition level per slot.</summary>
internal sealed class Leaf<TValue>(DataField field) where TValue : struct
{
    private Buffer<TValue> _values = new();
    private Buffer<int> _definitions = new();
    private Buffer<int> _repetitions = new();
    private readonly int _present = field.MaxDefinitionLevel;

    public void Add(TValue? value, int repetition)
    {
        if (value is { } v)
        {
            _values.Add(v);
            _definitions.Add(_present);
        }
        else _definitions.Add(_present - 1);
        if (field.MaxRepetitionLevel > 0) _repetitions.Add(repetition);
    }

    /// <summary>A slot with no value above the leaf (an empty list): definition level <paramref name="level"/>.</summary>
    public void AddAbsent(int level)
    {
        _definitions.Add(level);
        _repetitions.Add(0);
    }

    public async Task FlushAsync(ParquetRowGroupWriter group, CancellationToken ct)
    {
        await group.WriteAllPartsAsync(field, _values.Memory, _definitions.Memory, field.MaxRepetitionLevel > 0 ? _repetitions.Memory : null, ct);
        _values.Clear();
        _definitions.Clear();
        _repetitions.Clear();
    }
}

internal sealed class StringColumn<T>(DataField field, Func<T, string?> get) : ParquetColumn<T>
{
    private readonly Leaf<ReadOnlyMemory<char>> _leaf = new(field);

    public override long Add(T row)
    {
        var value = get(row);
        _leaf.Add(value?.AsMemory(), 0);
        return value?.Length ?? 0;
    }

    public override Task FlushAsync(ParquetRowGroupWriter group, CancellationToken ct) => _leaf.FlushAsync(group, ct);
}

internal sealed class ValueColumn<T, TValue>(DataField field, Func<T, TValue?> get) : ParquetColumn<T> where TValue : struct
{
    private readonly Leaf<TValue> _leaf = new(field);

    public override long Add(T row)
    {
        _leaf.Add(get(row), 0);
        return 0;
    }

    public override Task FlushAsync(ParquetRowGroupWriter group, CancellationToken ct) => _leaf.FlushAsync(group, ct);
}

/// <summary>A required boolean: values only, no levels.</summary>
internal sealed class BoolColumn<T>(DataField field, Func<T, bool> get) : ParquetColumn<T>
{
    private Buffer<bool> _values = new();

    public override long Add(T row)
    {
        _values.Add(get(row));
        return 0;
    }

    public override async Task FlushAsync(ParquetRowGroupWriter group, CancellationToken ct)
    {
        await group.WriteAllPartsAsync(field, _values.Memory, null, null, ct);
        _values.Clear();
    }
}

/// <summary>
/// A list of strings: the items of all rows in one sequence with repetition levels (0 starts a row, 1
/// continues it); an empty list is one slot at the definition level of the list itself.
/// </summary>
internal sealed class StringListColumn<T>(DataField element, int emptyLevel, Func<T, IReadOnlyList<string>> get) : ParquetColumn<T>
{
    private readonly Leaf<ReadOnlyMemory<char>> _leaf = new(element);

    public override long Add(T row)
    {
        var list = get(row);
        if (list.Count == 0)
        {
            _leaf.AddAbsent(emptyLevel);
            return 0;
        }
        long chars = 0;
        for (var i = 0; i < list.Count; i++)
        {
            _leaf.Add(list[i].AsMemory(), i == 0 ? 0 : 1);
            chars += list[i].Length;
        }
        return chars;
    }

    public override Task FlushAsync(ParquetRowGroupWriter group, CancellationToken ct) => _leaf.FlushAsync(group, ct);
}

/// <summary>A list of media structs: one leaf column per member, sharing the list's repetition levels.</summary>
internal sealed class MediaColumn<T> : ParquetColumn<T>
{
    private readonly Leaf<ReadOnlyMemory<char>> _kind, _url, _sha256, _mime, _title, _description;
    private readonly Leaf<int> _width, _height;
    private readonly Leaf<double> _duration;
    private readonly int _emptyLevel;
    private readonly Func<T, IReadOnlyList<MediaRef>> _get;

    public MediaColumn(Queue<DataField> leaves, int emptyLevel, Func<T, IReadOnlyList<MediaRef>> get)
    {
        // Schema order: kind, url, sha256, mime, width, height, duration_seconds, title, description.
        _kind = new(leaves.Dequeue());
        _url = new(leaves.Dequeue());
        _sha256 = new(leaves.Dequeue());
        _mime = new(leaves.Dequeue());
        _width = new(leaves.Dequeue());
        _height = new(leaves.Dequeue());
        _duration = new(leaves.Dequeue());
        _title = new(leaves.Dequeue());
        _description = new(leaves.Dequeue());
        _emptyLevel = emptyLevel;
        _get = get;
    }

    public override long Add(T row)
    {
        var media = _get(row);
        if (media.Count == 0)
        {
            _kind.AddAbsent(_emptyLevel);
            _url.AddAbsent(_emptyLevel);
            _sha256.AddAbsent(_emptyLevel);
            _mime.AddAbsent(_emptyLevel);
            _width.AddAbsent(_emptyLevel);
            _height.AddAbsent(_emptyLevel);
            _duration.AddAbsent(_emptyLevel);
            _title.AddAbsent(_emptyLevel);
            _description.AddAbsent(_emptyLevel);
            return 0;
        }
        long chars = 0;
        for (var i = 0; i < media.Count; i++)
        {
            var m = media[i];
            var r = i == 0 ? 0 : 1;
            _kind.Add(m.Kind.AsMemory(), r);
            _url.Add(m.Url?.AsMemory(), r);
            _sha256.Add(m.Sha256?.AsMemory(), r);
            _mime.Add(m.Mime?.AsMemory(), r);
            _width.Add(m.Width, r);
            _height.Add(m.Height, r);
            _duration.Add(m.DurationSeconds is { } d && double.IsFinite(d) ? d : null, r);
            _title.Add(m.Title?.AsMemory(), r);
            _description.Add(m.Description?.AsMemory(), r);
            chars += m.Kind.Length + (m.Url?.Length ?? 0) + (m.Title?.Length ?? 0) + (m.Description?.Length ?? 0) + 64;
        }
        return chars;
    }

    public override async Task FlushAsync(ParquetRowGroupWriter group, CancellationToken ct)
    {
        await _kind.FlushAsync(group, ct);
        await _url.FlushAsync(group, ct);
        await _sha256.FlushAsync(group, ct);
        await _mime.FlushAsync(group, ct);
        await _width.FlushAsync(group, ct);
        await _height.FlushAsync(group, ct);
        await _duration.FlushAsync(group, ct);
        await _title.FlushAsync(group, ct);
        await _description.FlushAsync(group, ct);
    }
}
