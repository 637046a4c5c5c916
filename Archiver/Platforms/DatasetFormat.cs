using System.Text.Json;
using Archiver.Model;

namespace Archiver.Platforms;

/// <summary>What one line of a dataset gave: records, or the reason it gave none.</summary>
public sealed record LineParse(IReadOnlyList<Post> Posts, IReadOnlyList<Author> Authors, string? Error = null)
{
    public static LineParse Fail(string reason) => new([], [], reason);

    public static LineParse Of(Post post, Author? author = null) => new([post], author is null ? [] : [author]);
}

/// <summary>
/// One dataset format: recognises its lines and turns one JSON line into records. Pure. A network's formats live
/// in its folder and are registered in <see cref="KnownPlatforms.DatasetFormats"/>; <c>archiver import --format</c>
/// accepts their names and lists them in its help.
/// </summary>
public interface IDatasetFormat
{
    /// <summary>The <c>--format</c> name: lower-case, one word ("parler").</summary>
    string Name { get; }

    /// <summary>What the format is, for the command's help ("the Parler 2021 dataset").</summary>
    string Title { get; }

    /// <summary>Whether a parsed line looks like this format (used by --format auto on the first lines).</summary>
    bool Recognises(JsonElement line);

    LineParse Parse(JsonElement line);
}

/// <summary>Small helpers for reading loosely typed JSON fields.</summary>
internal static class Json
{
    public static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number => v.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            }
            : null;

    public static long? Long(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n)) return n;
        if (v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out n)) return n;
        return null;
    }

    public static IReadOnlyList<string> Strings(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Array) return [];
        var list = new List<string>(v.GetArrayLength());
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } s && !list.Contains(s)) list.Add(s);
        }
        return list;
    }

    public static bool Has(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out _);

    public static DateTime? Date(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        return DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var d) ? d.UtcDateTime : null;
    }
}
