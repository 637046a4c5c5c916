using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace Archiver.Cli;

/// <summary>What a command needs from the command line: the archive location, output mode and writers.</summary>
public sealed class CliContext
{
    public required string DataDir { get; init; }
    public required bool Json { get; init; }
    public required bool Quiet { get; init; }
    public required TextWriter Out { get; init; }
    public required TextWriter Error { get; init; }
    public required IAnsiConsole Console { get; init; }

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static CliContext From(ParseResult parse, TextWriter stdout, TextWriter stderr)
    {
        var data = parse.GetValue(GlobalOptions.Data);
        if (string.IsNullOrWhiteSpace(data)) data = Environment.GetEnvironmentVariable("ARCHIVER_DATA");
        if (string.IsNullOrWhiteSpace(data)) data = "data";
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = ReferenceEquals(stdout, System.Console.Out) && !System.Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
            Interactive = ReferenceEquals(stdout, System.Console.Out) && !System.Console.IsOutputRedirected ? InteractionSupport.Detect : InteractionSupport.No,
        });
        return new CliContext
        {
            DataDir = Path.GetFullPath(data),
            Json = parse.GetValue(GlobalOptions.Json),
            Quiet = parse.GetValue(GlobalOptions.Quiet),
            Out = stdout,
            Error = stderr,
            Console = console,
        };
    }

    public void WriteJson<T>(T value) => Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>Whether to show live progress (a terminal, not --json, not -q).</summary>
    public bool ShowProgress => !Json && !Quiet;
}
