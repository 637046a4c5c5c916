using Archiver.Export;
using Archiver.Export.Formats;
using Archiver.Storage;

namespace Archiver.Cli;

/// <summary>
/// The options of <c>archiver export</c> as plain values, whichever front end took them (the command line, or the
/// web app's form and <c>/api/exports</c>): one place checks them and turns them into an <see cref="ExportRequest"/>,
/// so both front ends refuse the same things with the same messages and export the same files.
/// </summary>
public sealed record ExportOptions
{
    /// <summary>jsonl, csv, parquet, ids, warc or wacz (checked by the export itself).</summary>
    public required string Format { get; init; }
    /// <summary>The export directory to create, or "-" for stdout (the CLI only).</summary>
    public required string Out { get; init; }
    public string? Query { get; init; }
    public string? Since { get; init; }
    public string? Until { get; init; }
    /// <summary>Platform names, each possibly comma-separated.</summary>
    public IReadOnlyList<string> Platforms { get; init; } = [];
    /// <summary>Channel names, each possibly comma-separated.</summary>
    public IReadOnlyList<string> Channels { get; init; } = [];
    /// <summary>Post fields, comma-separated.</summary>
    public string? Fields { get; init; }
    public bool WithHistory { get; init; }
    public bool WithMedia { get; init; }
    public bool Pseudonymise { get; init; }
    public string? KeyFile { get; init; }
    public bool Force { get; init; }
    public bool Bom { get; init; }
    public bool NoBom { get; init; }
    public bool NoCsvInjectionGuard { get; init; }
    public bool RawCaptures { get; init; }
    public int RowGroupSize { get; init; } = 100_000;

    public bool ToStdout => Out == "-";

    /// <summary>The request these options ask for, or a <see cref="UsageException"/> with the CLI's message; <paramref name="stdout"/> receives the posts for <c>--out -</c>.</summary>
    public ExportRequest ToRequest(Stream? stdout = null)
    {
        if (Bom && NoBom) throw new UsageException("--bom and --no-bom contradict each other.");
        // stdout usually feeds a program: no BOM there unless asked for.
        var withBom = ToStdout ? Bom : !NoBom;
        var request = new ExportRequest
        {
            Format = Format,
            OutPath = Out,
            Query = Query,
            Filter = StoreFieldFilter.Parse(Since, Until, Platforms, Channels),
            Fields = Fields?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            WithHistory = WithHistory,
            WithMedia = WithMedia,
            Pseudonymizer = Pseudonymise ? Pseudonymizer.FromKeyFile(KeyFile) : null,
            Force = Force,
            Stdout = stdout,
            RawCaptures = RawCaptures,
            FormatOptions = new TableFormatOptions
            {
                Bom = withBom,
                CsvInjectionGuard = !NoCsvInjectionGuard,
                RowGroupSize = RowGroupSize,
            },
        };
        if (!Pseudonymise && KeyFile is not null) throw new UsageException("--key-file is only used with --pseudonymise.");
        if (RowGroupSize <= 0) throw new UsageException("--row-group-size must be positive.");
        return request;
    }

    /// <summary>The export service every front end runs a request with (the same tool version in every manifest).</summary>
    public static ExportService Service(ArchiveStore store, IPostKeySource? keySource, TimeProvider time) =>
        new(store, keySource, time, ExportCommand.ToolVersion);
}
