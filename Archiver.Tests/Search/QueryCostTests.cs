using System.Diagnostics;
using Archiver.Storage;
using Archiver.Tests.Indexing;
using Archiver.Tests.Support;

namespace Archiver.Tests.Search;

/// <summary>
/// Hostile queries through <c>archiver search</c> as a separate process: a regular expression costs bounded work
/// (automaton size, a time budget) and a malformed one is a usage error, never an internal error.
/// </summary>
public sealed class QueryCostTests : IDisposable
{
    private readonly TempArchive _archive = new();

    public QueryCostTests()
    {
        using var store = ArchiveStore.Open(_archive.Path);
        store.Write(StorePosts.Batch([.. Enumerable.Range(0, 575).Select(i => StorePosts.Make(i.ToString(System.Globalization.CultureInfo.InvariantCulture), $"post {i} {(i % 5 == 0 ? "harbour" : "meadow")} aaaa"))]));
    }

    public void Dispose() => _archive.Dispose();

    [Theory]
    [InlineData("/a{99999}/", "repeats")]
    [InlineData("/(a|b)*a(a|b){30}/", "too costly")]
    [InlineData("/((((a{200}){200}){200}){200})/", "too costly")]
    public async Task A_costly_regular_expression_exits_2_quickly_with_a_message(string query, string message)
    {
        var (code, stderr, elapsed) = await SearchAsync(query);
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", stderr);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("internal error", stderr);
        // The budget is 2 s of building; the rest is starting the program on a busy machine.
        Assert.True(elapsed < TimeSpan.FromSeconds(20), $"took {elapsed}");
    }

    [Theory]
    [InlineData("/[/")]
    [InlineData("/a{2,1}/")]
    [InlineData("/(ab/")]
    [InlineData("date:/2021.*/")]
    public async Task A_malformed_regular_expression_exits_2_with_a_message_not_an_internal_error(string query)
    {
        var (code, stderr, _) = await SearchAsync(query);
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", stderr);
        Assert.DoesNotContain("internal error", stderr);
        Assert.DoesNotContain("Exception", stderr);
    }

    [Fact]
    public async Task A_reasonable_regular_expression_still_matches()
    {
        var result = await Support.Cli.RunAsync("search", "--data", _archive.Path, "--limit", "0", "/harb[aeiou]ur/");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.StartsWith("115 matches", result.Out);
        var repeated = await Support.Cli.RunAsync("search", "--data", _archive.Path, "--limit", "0", "/a{4}/");
        Assert.True(repeated.ExitCode == 0, repeated.Error);
        Assert.StartsWith("575 matches", repeated.Out);
    }

    private async Task<(int Code, string Error, TimeSpan Elapsed)> SearchAsync(string query)
    {
        var ct = TestContext.Current.CancellationToken;
        var watch = Stopwatch.StartNew();
        using var process = ArchiverProcess.Start("search", "--data", _archive.Path, query);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            ArchiverProcess.KillHard(process);
            Assert.Fail($"'{query}' ran for over 2 minutes");
        }
        await stdout;
        return (process.ExitCode, await stderr, watch.Elapsed);
    }
}
