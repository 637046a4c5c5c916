using System.Diagnostics;
using Archiver.Capturing;
using Archiver.Storage;
using Archiver.Tests.Crawling.Support;
using Archiver.Tests.Support;

namespace Archiver.Tests.Crawling;

public sealed class ResumeAfterKillTests
{
    private static Process StartCrawler(string data, string seed)
    {
        var dir = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            Path.Combine(dir, "archiver.dll"), "--data", data, "-q", "crawl", seed, "--allow-private", "--rate", "0", "--per-host", "3",
            "--concurrency", "3", "--platform-plugin", Path.Combine(dir, "Archiver.Tests.dll"),
        })
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start)!;
    }

    [Fact]
    public async Task Killing_the_crawler_at_random_moments_and_resuming_loses_and_duplicates_nothing()
    {
        const int pages = 150, perPage = 4;
        await using var site = await TestSite.StartAsync(pages, perPage, pageDelay: TimeSpan.FromMilliseconds(25));
        using var archive = new TempArchive();
        var seed = "testsite:" + site.Url("pages/0.html");
        var random = new Random(20261125);
        var ct = TestContext.Current.CancellationToken;

        var kills = 0;
        for (var round = 0; round < 10; round++)
        {
            var before = site.Requests.Count;
            using var crawler = StartCrawler(archive.Path, seed);
            // Kill at a random moment after the crawl got going (start-up time varies on a busy machine).
            while (site.Requests.Count == before && !crawler.HasExited) await Task.Delay(10, ct);
            var exited = crawler.WaitForExit(random.Next(0, 400));
            if (exited) break;
            crawler.Kill(entireProcessTree: true);
            await crawler.WaitForExitAsync(ct);
            kills++;
        }
        using (var final = StartCrawler(archive.Path, seed))
        {
            var stderr = final.StandardError.ReadToEndAsync(ct);
            await final.WaitForExitAsync(ct);
            Assert.True(final.ExitCode == 0, $"final run exited {final.ExitCode}: {await stderr}");
        }

        Assert.True(kills >= 6, $"only {kills} kills landed during the crawl");
        using var store = ArchiveStore.Open(archive.Path, readOnly: true);
        var keys = store.ScanPosts().Select(p => p.Post.NativeId).ToList();
        var expected = Enumerable.Range(0, pages).SelectMany(n => TestSite.PostIds(n, perPage)).Order().ToList();
        Assert.Equal(expected, keys.Order().ToList());
        Assert.Equal(expected.Count, store.Counters.Posts);
        Assert.Equal(0, store.Counters.Versions);
        // Every page fetched at most once per interrupted run plus once: nothing is fetched twice in one run.
        Assert.All(Enumerable.Range(0, pages), n => Assert.InRange(site.Count($"/pages/{n}.html"), 1, kills + 1));
        // Every capture a post points to is a readable response record, even in files cut short by a kill.
        foreach (var post in store.ScanPosts().Where(p => p.Post.NativeId.EndsWith("-0", StringComparison.Ordinal)))
        {
            var record = WarcReader.Read(Path.Combine(archive.Path, "warc", post.Capture!.WarcFile!)).Single(r => r.Offset == post.Capture.WarcOffset);
            Assert.Equal(post.Capture.Url, record.TargetUri);
        }
    }

    [Fact]
    public async Task Ctrl_c_stops_gracefully_and_says_how_to_resume()
    {
        await using var site = await TestSite.StartAsync(400, 2, pageDelay: TimeSpan.FromMilliseconds(50));
        using var archive = new TempArchive();
        var ct = TestContext.Current.CancellationToken;
        using var crawler = StartCrawler(archive.Path, "testsite:" + site.Url("pages/0.html"));
        var stderr = crawler.StandardError.ReadToEndAsync(ct);
        // Interrupt once the crawl is under way (the process takes a while to start on a busy machine).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (site.Requests.Count(r => r.Path.StartsWith("/pages/", StringComparison.Ordinal)) < 3 && DateTime.UtcNow < deadline) await Task.Delay(50, ct);
        Assert.False(crawler.HasExited, "the crawl ended before it could be interrupted");
        using (var interrupt = Process.Start("kill", ["-INT", crawler.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await interrupt.WaitForExitAsync(ct);
        await crawler.WaitForExitAsync(ct);

        Assert.Equal(130, crawler.ExitCode);
        var message = await stderr;
        Assert.Contains("Resume with the same command: archiver --data", message);
        Assert.Contains(" crawl testsite:", message);
        using var store = ArchiveStore.Open(archive.Path, readOnly: true);
        Assert.Equal(Archiver.Model.CrawlJobState.Interrupted, store.LastJob()!.State);
    }
}
