using System.Text;

namespace Archiver.Capturing;

/// <summary>
/// Named header fields in the order they were written or read (WARC and HTTP headers alike). Lookups are
/// case-insensitive; the order and spelling are kept so a record read back is written back byte-identically.
/// </summary>
public sealed class WarcHeaders
{
    private readonly List<KeyValuePair<string, string>> _fields = [];

    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;

    public string? this[string name]
    {
        get
        {
            foreach (var (k, v) in _fields)
            {
                if (string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) return v;
            }
            return null;
        }
    }

    public WarcHeaders Add(string name, string? value)
    {
        if (value is not null) _fields.Add(new(name, value));
        return this;
    }

    /// <summary>Replaces the first field of that name (or appends it).</summary>
    public WarcHeaders Set(string name, string value)
    {
        var i = _fields.FindIndex(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase));
        if (i >= 0) _fields[i] = new(_fields[i].Key, value);
        else _fields.Add(new(name, value));
        return this;
    }

    public bool Remove(string name) =>
        _fields.RemoveAll(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)) > 0;

    /// <summary>Writes "Name: value\r\n" lines (no terminating blank line).</summary>
    public void WriteTo(StringBuilder text)
    {
        foreach (var (k, v) in _fields) text.Append(k).Append(": ").Append(v).Append("\r\n");
    }

    /// <summary>
    /// Parses header lines (without the first line) from UTF-8 text. Continuation lines (starting with a
    /// space or tab) are folded into the previous field; a line without a colon is kept as a nameless field so
    /// nothing is lost.
    /// </summary>
    public static WarcHeaders Parse(IEnumerable<string> lines)
    {
        var headers = new WarcHeaders();
        foreach (var line in lines)
        {
            if (line.Length == 0) continue;
            if ((line[0] == ' ' || line[0] == '\t') && headers._fields.Count > 0)
            {
                var last = headers._fields[^1];
                headers._fields[^1] = new(last.Key, last.Value + " " + line.Trim());
                continue;
            }
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                headers._fields.Add(new("", line.Trim()));
                continue;
            }
            headers._fields.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }
        return headers;
    }
}
