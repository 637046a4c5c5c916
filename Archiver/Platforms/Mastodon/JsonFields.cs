using System.Globalization;
using System.Text.Json;

namespace Archiver.Platforms.Mastodon;

/// <summary>
/// Tolerant reads from API JSON: forks send ids as numbers or strings, leave fields out, send null, or rename
/// them (Gab: <c>revised_at</c>, <c>quote_of_id</c>; camelCase in some proxies). Each read takes the names to
/// try, in order; a wrong type reads as absent instead of throwing.
/// </summary>
public static class JsonFields
{
    public static JsonElement? Get(JsonElement obj, params ReadOnlySpan<string> names)
    {
        if (obj.ValueKind != JsonValueKind.Object) return null;
        try
        {
            foreach (var name in names)
            {
                if (obj.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)) return value;
            }
        }
        catch (InvalidOperationException)
        {
            // A property name with a broken escape (a lone surrogate) cannot be compared: the field reads as absent.
        }
        return null;
    }

    /// <summary>A string, or the raw text of a number or boolean (ids as numbers become their digits).</summary>
    public static string? Str(JsonElement obj, params ReadOnlySpan<string> names) => Get(obj, names) is { } v ? AsString(v) : null;

    public static string? AsString(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => TryGetString(value),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static string? TryGetString(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            // "\ud800" alone is valid JSON but no string: keep its raw text rather than lose the field.
            return value.GetRawText().Trim('"');
        }
    }

    public static long? Long(JsonElement obj, params ReadOnlySpan<string> names)
    {
        if (Get(obj, names) is not { } value) return null;
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetInt64(out var n)) return n;
            return value.TryGetDouble(out var d) && d is >= long.MinValue and <= long.MaxValue ? (long)d : null;
        }
        return value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
    }

    public static double? Double(JsonElement obj, params ReadOnlySpan<string> names)
    {
        if (Get(obj, names) is not { } value) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d)) return d;
        return value.ValueKind == JsonValueKind.String && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
    }

    public static bool? Bool(JsonElement obj, params ReadOnlySpan<string> names) => Get(obj, names) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.String } s when bool.TryParse(s.GetString(), out var b) => b,
        _ => null,
    };

    /// <summary>An ISO 8601 time as UTC (offsets applied); Unix seconds are accepted too.</summary>
    public static DateTime? Date(JsonElement obj, params ReadOnlySpan<string> names)
    {
        if (Get(obj, names) is not { } value) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds) && seconds is > 0 and < 100_000_000_000)
            return DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;
        if (value.ValueKind != JsonValueKind.String) return null;
        return DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.UtcDateTime : null;
    }

    public static JsonElement? Obj(JsonElement obj, params ReadOnlySpan<string> names) =>
        Get(obj, names) is { ValueKind: JsonValueKind.Object } value ? value : null;

    public static IEnumerable<JsonElement> Arr(JsonElement obj, params ReadOnlySpan<string> names) =>
        Get(obj, names) is { ValueKind: JsonValueKind.Array } value ? value.EnumerateArray() : [];
}
