using System.Diagnostics;

namespace Archiver.Tests.Support;

/// <summary>
/// LibreOffice Calc run headless (Debian's libreoffice-calc-nogui, which .ci/run installs), as an independent
/// spreadsheet reader of our CSV exports. Each conversion uses its own profile directory, so tests running at
/// the same time do not share (and lock) one.
/// </summary>
internal static class LibreOffice
{
    public static string Executable =>
        Environment.GetEnvironmentVariable("ARCHIVER_SOFFICE") is { Length: > 0 } configured ? configured
        : File.Exists("/usr/bin/soffice") ? "/usr/bin/soffice"
        : throw new InvalidOperationException("LibreOffice not found: install Debian's libreoffice-calc-nogui (.ci/run does) or set ARCHIVER_SOFFICE.");

    /// <summary>Converts <paramref name="file"/> with <c>--convert-to</c>; returns the one file written into <paramref name="outDir"/>.</summary>
    public static async Task<string> ConvertAsync(string file, string convertTo, string? inFilter, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var profile = Path.Combine(outDir, ".profile");
        var info = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-env:UserInstallation=" + new Uri(profile).AbsoluteUri);
        info.ArgumentList.Add("--headless");
        if (inFilter is not null) info.ArgumentList.Add("--infilter=" + inFilter);
        info.ArgumentList.Add("--convert-to");
        info.ArgumentList.Add(convertTo);
        info.ArgumentList.Add("--outdir");
        info.ArgumentList.Add(outDir);
        info.ArgumentList.Add(file);
        using var soffice = Process.Start(info)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        var output = soffice.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = soffice.StandardError.ReadToEndAsync(timeout.Token);
        await soffice.WaitForExitAsync(timeout.Token);
        var written = Directory.GetFiles(outDir);
        Assert.True(soffice.ExitCode == 0 && written.Length == 1, $"soffice exit {soffice.ExitCode}: {await output} {await error}");
        return written[0];
    }

    /// <summary>The cell as Calc keeps it: Calc stores a line break inside a cell as LF, whichever break the file had.</summary>
    public static string Cell(string csvCell) => csvCell.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
}
