using System.Text;
using Archiver.Replica;
using Archiver.Tests.Support;

namespace Archiver.Tests.Export;

/// <summary>
/// A pseudonymised export of the whole replica (every platform, media included) holds none of the
/// replica's handles or display names, byte for byte, in any file it writes: tables, datapackage.json,
/// manifest, media. The names come from the replica's own truth, not from what the archive stored.
/// </summary>
public sealed class ReplicaPseudonymisationTests : IAsyncLifetime
{
    private readonly TempArchive _dir = new();
    private string _data = "";
    private string _key = "";
    private List<string> _names = [];

    public async ValueTask InitializeAsync()
    {
        _data = _dir.File("data");
        _key = _dir.File("secret.key");
        await File.WriteAllBytesAsync(_key, Enumerable.Range(0, 32).Select(i => (byte)(i * 11 + 3)).ToArray(), TestContext.Current.CancellationToken);
        await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 3, Size = ReplicaSize.Small, LogRequests = false }, TestContext.Current.CancellationToken);
        var crawl = await Support.Cli.RunAsync(["crawl", "--data", _data, "--allow-private", "--rate", "0", "--no-index", "-q", .. replica.Seeds]);
        Assert.True(crawl.ExitCode == 0, crawl.Error);
        var truth = replica.Truth();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in truth.Authors())
        {
            Add(names, a.Handle);
            Add(names, a.DisplayName);
        }
        foreach (var p in truth.Posts().Concat(truth.FeedPosts()))
        {
            Add(names, p.AuthorHandle);
            Add(names, p.AuthorName);
            if (p.Platform == "telegram") Add(names, p.Channel);
        }
        _names = names.Order(StringComparer.Ordinal).ToList();
        Assert.True(_names.Count > 20, $"only {_names.Count} names in the replica's truth");
    }

    private static void Add(HashSet<string> names, string? name)
    {
        // Names of 3 characters or fewer are not replaced inside texts (documented): they are ordinary words.
        if (name is null || name.Trim().Length < 4 || name.All(char.IsAsciiDigit)) return;
        names.Add(name.Trim());
    }

    public ValueTask DisposeAsync()
    {
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    [Theory]
    [InlineData("jsonl")]
    [InlineData("csv")]
    [InlineData("parquet")]
    [InlineData("ids")]
    public async Task A_pseudonymised_export_of_the_replica_holds_none_of_its_handles_or_names(string format)
    {
        var dir = _dir.File("p-" + format);
        var result = await Support.Cli.RunAsync("--data", _data, "-q", "export", "--format", format, "--out", dir,
            "--pseudonymise", "--key-file", _key, "--with-history", "--with-media");
        Assert.True(result.ExitCode == 0, result.Error);
        var files = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith("datapackage.json", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("manifest-sha256.txt", StringComparison.Ordinal));
        var leaks = new List<string>();
        foreach (var file in files)
        {
            var texts = new List<string> { Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken)) };
            // Parquet pages are compressed: read its values back as text as well.
            if (file.EndsWith(".parquet", StringComparison.Ordinal))
            {
                using var duck = new DuckDb();
                var csv = file + ".as.csv";
                duck.Scalar($"COPY (SELECT * FROM read_parquet({DuckDb.Quote(file)})) TO {DuckDb.Quote(csv)} (HEADER, DELIMITER ',')");
                texts.Add(await File.ReadAllTextAsync(csv, TestContext.Current.CancellationToken));
                File.Delete(csv);
            }
            foreach (var name in _names)
            {
                if (texts.Any(t => t.Contains(name, StringComparison.OrdinalIgnoreCase))) leaks.Add($"{Path.GetRelativePath(dir, file)}: {name}");
            }
        }
        Assert.True(leaks.Count == 0, $"{leaks.Count} leaks, e.g. {string.Join("; ", leaks.Take(15))}");
    }

    [Theory]
    [InlineData("warc")]
    [InlineData("wacz")]
    public async Task Warc_and_wacz_refuse_pseudonymise_unless_raw_captures_are_asked_for(string format)
    {
        var dir = _dir.File("raw-" + format);
        var refused = await Support.Cli.RunAsync("--data", _data, "-q", "export", "--format", format, "--out", dir, "--pseudonymise", "--key-file", _key);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("cannot be pseudonymised", refused.Error);
        Assert.Contains("--raw-captures", refused.Error);
        Assert.False(Directory.Exists(dir));

        var forced = await Support.Cli.RunAsync("--data", _data, "-q", "export", "--format", format, "--out", dir, "--pseudonymise", "--key-file", _key, "--raw-captures");
        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.Contains("not pseudonymised", forced.Error);
    }
}
