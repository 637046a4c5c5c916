using Archiver.Benchmarks;

namespace Archiver.Tests.Support;

/// <summary>Runs the benchmark program (Archiver.Benchmarks) in-process and captures what it prints.</summary>
public static class Bench
{
    public static async Task<Cli.Result> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await BenchApp.RunAsync(args, stdout, stderr, TestContext.Current.CancellationToken);
        return new Cli.Result(code, stdout.ToString(), stderr.ToString());
    }
}
