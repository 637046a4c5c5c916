using System.CommandLine;
using System.Diagnostics;
using Archiver.Cli;
using Archiver.Platforms;
using Archiver.Platforms.Mastodon;
using Archiver.Platforms.Telegram;

namespace Archiver.Benchmarks;

/// <summary>
/// <c>Archiver.Benchmarks parse</c>: single-threaded parse speed of the Telegram page parser on 20-post channel pages
/// and of the Mastodon parser on 40-status timeline pages, both built from the real fixtures.
/// </summary>
public sealed class ParseBenchmark(string fixtures, TimeSpan duration, TextWriter output)
{
    /// <summary>
    /// Rates per CPU second of this process (the honest "per core" figure on a shared machine, GC included) and per
    /// wall-clock second.
    /// </summary>
    public sealed record Figure(string Parser, long Pages, long Posts, long Bytes, double CpuSeconds, double WallSeconds)
    {
        public double PagesPerSecond => Pages / CpuSeconds;
        public double PostsPerSecond => Posts / CpuSeconds;
        public double MegabytesPerSecond => Bytes / CpuSeconds / 1_000_000;
        public double WallPagesPerSecond => Pages / WallSeconds;
    }

    public static Command Command(CommandRunner run)
    {
        var seconds = new Option<double>("--seconds") { Description = "Measured seconds per parser (after a warm-up)", DefaultValueFactory = _ => 5 };
        var fixtures = new Option<string?>("--fixtures") { Description = "The shared fixtures folder (default: ARCHIVER_SHARED or a shared/fixtures above the working directory)" };
        var command = new Command("parse", "Telegram and Mastodon parsers: pages/s, posts/s and MB/s on one thread") { seconds, fixtures };
        run.Attach(command, (context, parse, _) =>
        {
            var duration = parse.GetValue(seconds);
            if (duration is <= 0 or > 600) throw new UsageException("--seconds must be between 0 and 600.");
            var root = parse.GetValue(fixtures) ?? ParseWorkloads.FindFixtures()
                       ?? throw new UsageException("the shared fixtures were not found; pass --fixtures DIR or set ARCHIVER_SHARED.");
            if (!Directory.Exists(Path.Combine(root, "telegram")) || !Directory.Exists(Path.Combine(root, "mastodon")))
                throw new UsageException($"{root} has no telegram/ and mastodon/ fixtures.");
            context.Out.WriteLine($"bench parse: {duration:0.#} s per parser, one thread, fixtures {root}");
            var figures = new ParseBenchmark(root, TimeSpan.FromSeconds(duration), context.Out).Run();
            context.Out.WriteLine(ProcessStats.Collections());
            if (context.Json) context.WriteJson(figures);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    public IReadOnlyList<Figure> Run() => [Telegram(), Mastodon()];

    private Figure Telegram()
    {
        var templates = ParseWorkloads.TelegramTemplates(fixtures);
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        // 32 distinct 20-post pages, each a different mix of real message kinds, newest ids first.
        var pages = Enumerable.Range(0, 32).Select(p =>
        {
            var mix = templates.Skip(p % templates.Count).Concat(templates).Take(20).ToList();
            var posts = Enumerable.Range(0, 20).Select(i => (Id: 100_000L - p * 20 - i, At: start.AddMinutes(-(p * 20 + i)))).ToList();
            var html = ParseWorkloads.TelegramPage(mix, "benchchannel", posts);
            var url = new Uri($"https://t.me/s/benchchannel?before={100_001 - p * 20}");
            return new FetchedPage { Url = url, Status = 200, Body = System.Text.Encoding.UTF8.GetBytes(html) };
        }).ToList();
        var platform = new TelegramPlatform();
        return Measure("telegram t.me/s, 20-post pages", pages, page => Check(platform.Parse(page), 20));
    }

    private Figure Mastodon()
    {
        var statuses = ParseWorkloads.MastodonStatuses(fixtures);
        var pages = Enumerable.Range(0, 32).Select(p =>
        {
            var ordered = statuses.Skip(p % statuses.Count).Concat(statuses).ToList();
            var body = ParseWorkloads.MastodonTimeline(ordered, 40, 117_100_000_000_000_000L - p * 40);
            return new FetchedPage
            {
                Url = new Uri("https://mastodon.example/api/v1/accounts/1/statuses?limit=40"),
                Status = 200,
                Body = body,
                Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
                {
                    ["Link"] = "<https://mastodon.example/api/v1/accounts/1/statuses?limit=40&max_id=1>; rel=\"next\"",
                    ["X-RateLimit-Remaining"] = "299",
                },
            };
        }).ToList();
        var platform = MastodonPlatform.Mastodon;
        return Measure("mastodon API, 40-status timelines", pages, page => Check(platform.Parse(page), 40));
    }

    /// <summary>A page that did not parse fully would make the figure meaningless: stop the benchmark instead.</summary>
    private static int Check(Archiver.Platforms.ParseResult result, int atLeast)
    {
        if (result.Problems.Count > 0 || result.Posts.Count < atLeast)
            throw new ArchiverException($"benchmark page parsed to {result.Posts.Count} posts with {result.Problems.Count} problems ({result.Problems.FirstOrDefault()?.Reason}).");
        return atLeast;
    }

    private Figure Measure(string name, List<FetchedPage> pages, Func<FetchedPage, int> parse)
    {
        // Warm up by count as well as time, so the tiered JIT has promoted the hot code before measuring on a slow machine.
        var warmUp = Stopwatch.StartNew();
        for (var i = 0; (i < 1000 && warmUp.Elapsed < duration) || warmUp.Elapsed < duration / 4; i++) parse(pages[i % pages.Count]);
        long count = 0, posts = 0, bytes = 0;
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            var page = pages[(int)(count % pages.Count)];
            posts += parse(page);
            bytes += page.Body.Length;
            count++;
        }
        var wall = watch.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var figure = new Figure(name, count, posts, bytes, cpu, wall);
        output.WriteLine($"  {name,-34} {figure.PagesPerSecond,9:N0} pages/s {figure.PostsPerSecond,10:N0} posts/s {figure.MegabytesPerSecond,7:N1} MB/s per CPU-second" +
                         $"   (wall clock: {figure.WallPagesPerSecond:N0} pages/s; {count:N0} pages of avg {bytes / Math.Max(count, 1) / 1024.0:N1} KiB in {cpu:0.00} CPU-s / {wall:0.00} s)");
        return figure;
    }
}
