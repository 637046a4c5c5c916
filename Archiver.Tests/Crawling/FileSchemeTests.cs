using Archiver.Capturing;
using Archiver.Tests.Crawling.Support;
using Archiver.Tests.Support;
using CliRunner = Archiver.Tests.Support.Cli;

namespace Archiver.Tests.Crawling;

/// <summary>
/// Local files are read only when the user names one as a seed (<c>parler:FILE</c>): a server that redirects
/// to a <c>file:</c> URL must not make the crawler read, archive and later export a file of this machine.
/// </summary>
public sealed class FileSchemeTests
{
    private static readonly string Plugin = Path.Combine(AppContext.BaseDirectory, "Archiver.Tests.dll");

    [Theory]
    [InlineData("file://{0}")]
    [InlineData("file:///{0}")]
    public async Task A_redirect_to_a_file_url_is_refused_and_the_file_is_never_read(string template)
    {
        await using var site = await TestSite.StartAsync(pages: 1, postsPerPage: 1);
        using var archive = new TempArchive();
        var secret = Path.Combine(Path.GetTempPath(), $"archiver-secret-{Guid.NewGuid():N}.html");
        var marker = $"SECRET-{Guid.NewGuid():N}";
        await File.WriteAllTextAsync(secret, $"<html><body>{marker}</body></html>", TestContext.Current.CancellationToken);
        try
        {
            site.RedirectTarget = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, secret.TrimStart('/'));

            var result = await CliRunner.RunAsync("--data", archive.Path, "crawl", "testsite:" + site.Url("redirect.html"),
                "--allow-private", "--rate", "0", "--no-index", "--no-media", "--platform-plugin", Plugin);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("redirect to a non-HTTP URL refused", result.Out + result.Error, StringComparison.Ordinal);
            var records = Directory.EnumerateFiles(Path.Combine(archive.Path, "warc"), "*.warc.gz")
                .SelectMany(file => WarcReader.Read(file)).ToList();
            Assert.NotEmpty(records);
            Assert.DoesNotContain(records, r => r.TargetUri?.StartsWith("file:", StringComparison.OrdinalIgnoreCase) == true);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public async Task A_fifo_named_as_a_saved_page_is_refused_instead_of_blocking_the_crawl()
    {
        using var archive = new TempArchive();
        var fifo = Path.Combine(Path.GetTempPath(), $"archiver-fifo-{Guid.NewGuid():N}.html");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo])) await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
        try
        {
            var crawl = CliRunner.RunAsync("--data", archive.Path, "crawl", "parler:" + fifo, "--no-index");
            var finished = await Task.WhenAny(crawl, Task.Delay(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));

            Assert.Same(crawl, finished);
            var result = await crawl;
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("not a regular file", result.Out + result.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(fifo);
        }
    }
}
