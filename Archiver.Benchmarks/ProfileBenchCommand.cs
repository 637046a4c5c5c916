using System.CommandLine;
using Archiver.Cli;
using Archiver.Platforms.Sites;

namespace Archiver.Benchmarks;

/// <summary><c>Archiver.Benchmarks profile</c>: the site profile benchmark (it was <c>archiver bench profile</c>).</summary>
public static class ProfileBenchCommand
{
    /// <summary><c>profile --site DIR</c>: the profile parser alone, one thread, pages already in memory.</summary>
    public static Command Build(CommandRunner run)
    {
        var site = new Option<string>("--site") { Description = "Directory of generated bench pages (python3 shared/bench/gen_site.py 2000 DIR)", Required = true };
        var profileOption = new Option<string>("--profile") { Description = "Profile name or path", DefaultValueFactory = _ => "bench-site" };
        var rounds = new Option<int>("--rounds") { Description = "Passes over the pages", DefaultValueFactory = _ => 1 };
        var command = new Command("profile", "Declarative site profile parser: pages/s, posts/s, MB/s on one thread") { site, profileOption, rounds };
        run.Attach(command, (context, parse, _) =>
        {
            var directory = parse.GetValue(site)!;
            if (!Directory.Exists(directory)) throw new UsageException($"--site {directory} does not exist.");
            if (parse.GetValue(rounds) <= 0) throw new UsageException("--rounds must be positive.");
            var profile = SiteProfileCatalog.CreateDefault().Resolve(parse.GetValue(profileOption)!);
            var report = SiteProfileBenchmark.Run(profile, directory, new Uri("http://127.0.0.1:8089/"), parse.GetValue(rounds));
            context.Out.WriteLine($"bench profile: {profile.Name} on {report.Pages:N0} pages ({Format.Bytes(report.Bytes)}), 1 thread");
            context.Out.WriteLine($"  wall clock: {Format.Rate(report.PagesPerSecond)} pages/s, {Format.Rate(report.PostsPerSecond)} posts/s, {report.MegabytesPerSecond:0.0} MB/s ({report.Seconds:0.00} s)");
            context.Out.WriteLine($"  per CPU second: {Format.Rate(report.PagesPerCpuSecond)} pages/s, {Format.Rate(report.PostsPerCpuSecond)} posts/s, {report.MegabytesPerCpuSecond:0.0} MB/s ({report.CpuSeconds:0.00} s CPU)");
            context.Out.WriteLine($"  {report.Posts:N0} posts, {report.Problems} problems; load average {LoadAverage()}");
            if (context.Json) context.WriteJson(report);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
