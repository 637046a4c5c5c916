using Archiver.Platforms;

namespace Archiver.Import;

/// <summary>
/// What <c>archiver import --format</c> asked for: <see cref="Auto"/>, <see cref="Jsonl"/> (Archiver's own
/// export), or the name of a dataset format (<see cref="ImportService.Formats"/>: the benchmark corpus and the
/// networks' formats registered in <see cref="KnownPlatforms.DatasetFormats"/>).
/// </summary>
public readonly record struct ImportFormat(string Name)
{
    /// <summary>WARC/WACZ/ARC by extension, datasets by their first lines.</summary>
    public static readonly ImportFormat Auto = new("auto");

    /// <summary>Archiver's own JSONL export (<c>posts.jsonl</c>; the <c>authors.jsonl</c> and <c>media.jsonl</c> beside it come along).</summary>
    public static readonly ImportFormat Jsonl = new("jsonl");

    public override string ToString() => Name;
}

/// <summary>The accepted <c>--format</c> names, built from the registered formats, and their parsing.</summary>
public static class ImportFormats
{
    /// <summary>The names in the order the help lists them: auto, the captures, Archiver's export, then each dataset format.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["auto", "warc", "wacz", ImportFormat.Jsonl.Name, .. ImportService.Formats.Select(f => f.Name)];

    /// <summary>The <c>--format</c> help: the names, then what each stands for.</summary>
    public static string Help =>
        $"{string.Join('|', Names)} (auto: WARC/WACZ/ARC by extension, datasets by their first lines; jsonl: Archiver's own export; "
        + $"{string.Join("; ", ImportService.Formats.Select(f => $"{f.Name}: {f.Title}"))})";

    /// <summary>What the command imports, for its description.</summary>
    public static string Titles => string.Join(", ", ImportService.Formats.Select(f => f.Title));

    /// <summary>A <c>--format</c> value other than warc/wacz (which the command handles before this).</summary>
    public static ImportFormat Parse(string value)
    {
        var name = value.ToLowerInvariant();
        if (name == ImportFormat.Auto.Name || name == ImportFormat.Jsonl.Name || ImportService.Formats.Any(f => f.Name == name)) return new ImportFormat(name);
        throw new UsageException($"Unknown import format '{value}'. Use one of: {string.Join(", ", Names)}.");
    }
}
