using System.IO.Compression;
using Archiver.Tests.Export;
using Microsoft.Playwright;

namespace Archiver.Tests.Support;

/// <summary>An export's zip as a browser gets it from the export's page: downloaded, unzipped, its CSV read back by Python's csv.</summary>
public static class ExportDownloads
{
    public sealed record Csv(string SuggestedFilename, string Folder, List<Dictionary<string, string>> Rows);

    /// <summary>
    /// Waits until the export's page offers the zip (its script polls the export and reloads the page when it is done),
    /// clicks the link, unzips the download into <paramref name="into"/> and reads the CSV in it.
    /// </summary>
    public static async Task<Csv> DownloadCsvAsync(IPage page, TempArchive into)
    {
        await page.WaitForSelectorAsync("a.download", new PageWaitForSelectorOptions { Timeout = 120_000 });
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("a.download"));
        var zip = into.File(download.SuggestedFilename);
        await download.SaveAsAsync(zip);
        var unzipped = into.File("unzipped");
        ZipFile.ExtractToDirectory(zip, unzipped);
        var folder = Assert.Single(Directory.GetDirectories(unzipped));
        return new Csv(download.SuggestedFilename, folder, await CsvReadBackTests.PythonCsvAsync(Path.Combine(folder, "posts.csv")));
    }
}
