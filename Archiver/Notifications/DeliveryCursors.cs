using System.Text.Json;
using Archiver.Model;

namespace Archiver.Notifications;

/// <summary>The last event a sink took, in the store's event order (commit sequence, observation time, id).</summary>
public sealed record DeliveryCursor(long Sequence, DateTime ObservedAt, string Id)
{
    public static DeliveryCursor Of(ArchiveEvent e) => new(e.Sequence, DateTime.SpecifyKind(e.ObservedAt, DateTimeKind.Utc), e.Id);

    /// <summary>Whether <paramref name="e"/> comes after this cursor (not yet delivered).</summary>
    public bool IsBefore(ArchiveEvent e)
    {
        var c = Sequence.CompareTo(e.Sequence);
        if (c != 0) return c < 0;
        c = ObservedAt.ToUniversalTime().CompareTo(DateTime.SpecifyKind(e.ObservedAt, DateTimeKind.Utc));
        return c != 0 ? c < 0 : string.CompareOrdinal(Id, e.Id) < 0;
    }
}

/// <summary>
/// Every sink's cursor in one small JSON file, replaced atomically (written aside, flushed to disk, renamed over)
/// on each change, so a kill -9 leaves either the old cursors or the new ones.
/// </summary>
internal sealed class DeliveryCursors
{
    private readonly string _path;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DeliveryCursor> _cursors;

    public DeliveryCursors(string path)
    {
        _path = path;
        _cursors = Load(path);
    }

    public DeliveryCursor? Get(string sink)
    {
        lock (_lock) return _cursors.GetValueOrDefault(sink);
    }

    public void Set(string sink, DeliveryCursor cursor)
    {
        lock (_lock)
        {
            _cursors[sink] = cursor;
            var temp = _path + ".tmp";
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(file, _cursors, EventText.Json);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, _path, overwrite: true);
        }
    }

    private static Dictionary<string, DeliveryCursor> Load(string path)
    {
        if (!File.Exists(path)) return new Dictionary<string, DeliveryCursor>(StringComparer.Ordinal);
        try
        {
            using var file = File.OpenRead(path);
            return new Dictionary<string, DeliveryCursor>(
                JsonSerializer.Deserialize<Dictionary<string, DeliveryCursor>>(file, EventText.Json) ?? [], StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            throw new ArchiverException($"{path} is not a notification state file ({e.Message}); move it away to deliver every event again.", e);
        }
    }
}
