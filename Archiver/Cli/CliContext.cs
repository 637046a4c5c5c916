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
        var terminal = ReferenceEquals(stdout, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        // Spectre.Console sizes a console that is not a terminal to 80 columns and hard-wraps every line
        // there; output going to a file or another program is not wrapped at all (a terminal keeps its width).
        if (!terminal) console.Profile.Width = UnwrappedWidth;
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

    private static readonly JsonSerializerOptions OneLineJson = new(JsonOptions) { WriteIndented = false };

    /// <summary>The width given to output that is not a terminal: wide enough that no line is ever wrapped.</summary>
    public const int UnwrappedWidth = 1 << 16;

    /// <summary>Whether <paramref name="console"/> is a terminal (its width is the window's), not a file or pipe.</summary>
    public static bool IsTerminal(IAnsiConsole console) => console.Profile.Width < UnwrappedWidth;

    /// <summary>
    /// An error as the user sees it: one line on stderr, or under <c>--json</c> one JSON object on stderr
    /// (<c>{"error": MESSAGE, "exit_code": N}</c>) so scripts reading JSON never have to parse prose.
    /// </summary>
    public static void WriteError(TextWriter stderr, bool json, string message, int exitCode, string? detail = null)
    {
        if (json)
        {
            var error = new Dictionary<string, object?> { ["error"] = message, ["exit_code"] = exitCode };
            if (detail is not null) error["detail"] = detail;
            stderr.WriteLine(JsonSerializer.Serialize(error, OneLineJson));
            return;
        }
        stderr.WriteLine(exitCode == ExitCodes.Interrupted || message.StartsWith("internal error:", StringComparison.Ordinal) ? message : $"error: {message}");
        if (detail is not null) stderr.WriteLine(detail);
    }

    /// <summary>A remark on stderr that is not an error (one JSON object under --json, like errors).</summary>
    public void WriteNote(string note)
    {
        if (Json) Error.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string> { ["note"] = note }, OneLineJson));
        else Error.WriteLine($"note: {note}");
    }

    public void WriteJson<T>(T value) => Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>Whether to show live progress (a terminal, not --json, not -q).</summary>
    public bool ShowProgress => !Json && !Quiet;
}
