using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Archiver.Tests.Support;

/// <summary><c>archiver serve</c> as a child process: started on an archive, its URL and the lines it printed read from its output.</summary>
public static partial class ServeProcess
{
    /// <summary>Starts serve and waits (up to a minute) for its "serves ... at URL" line; <paramref name="extraLines"/> more lines are read after it.</summary>
    public static Task<(Process Process, Uri Url, List<string> Lines)> StartAsync(string data, string listen, int extraLines, IEnumerable<string> args, CancellationToken ct) =>
        StartAsync(data, listen, extraLines, ct, [.. args]);

    /// <summary>As above, with more options of serve (<paramref name="options"/>: --read-only, --allow-private, ...).</summary>
    public static async Task<(Process Process, Uri Url, List<string> Lines)> StartAsync(string data, string listen, int extraLines, CancellationToken ct, params string[] options)
    {
        var process = ArchiverProcess.Start(["--data", data, "serve", "--listen", listen, .. options]);
        var lines = new List<string>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            lines.Add(line);
            if (Serving().Match(line) is not { Success: true } m) continue;
            for (var i = 0; i < extraLines; i++) lines.Add(await process.StandardOutput.ReadLineAsync(timeout.Token) ?? "");
            return (process, new Uri(m.Groups[1].Value), lines);
        }
        var error = await process.StandardError.ReadToEndAsync(ct);
        process.Dispose();
        throw new InvalidOperationException("serve exited: " + error);
    }

    [GeneratedRegex(@" at (http://\S+/) ")]
    private static partial Regex Serving();
}
