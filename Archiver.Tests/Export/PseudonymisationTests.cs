using System.Text.Json;
using Archiver.Export;
using Archiver.Tests.Support;

namespace Archiver.Tests.Export;

public sealed class PseudonymisationTests : IDisposable
{
    private static readonly string[] Identifying = ["alice_news", "Alice Newsroom", "bob_the_builder", "Bob B.", "carol_w"];
    private readonly ExportFixture _fixture = new();
    private readonly string _key;

    public PseudonymisationTests()
    {
        _key = _fixture.Archive.File("secret.key");
        File.WriteAllBytes(_key, Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 1)).ToArray());
    }

    public void Dispose() => _fixture.Dispose();

    private async Task<string> ExportAsync(string format, string name)
    {
        var dir = _fixture.Out(name);
        var result = await Support.Cli.RunAsync(["--data", _fixture.Data, "-q", "export", "--format", format, "--out", dir, "--pseudonymise", "--key-file", _key, "--with-history"]);
        Assert.True(result.ExitCode == 0, result.Error);
        return dir;
    }

    [Theory]
    [InlineData("jsonl")]
    [InlineData("csv")]
    [InlineData("parquet")]
    [InlineData("ids")]
    public async Task Pseudonymised_export_contains_none_of_the_original_handles_or_names(string format)
    {
        var dir = await ExportAsync(format, "p-" + format);
        var key = await File.ReadAllBytesAsync(_key, TestContext.Current.CancellationToken);
        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            var bytes = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            foreach (var secret in Identifying) Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
            Assert.True(bytes.AsSpan().IndexOf(key) < 0, $"the key leaked into {file}");
        }
    }

    [Fact]
    public async Task Same_key_gives_the_same_pseudonyms_so_exports_can_be_joined()
    {
        var first = await ExportAsync("jsonl", "p1");
        var second = await ExportAsync("jsonl", "p2");
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(first, "posts.jsonl"), TestContext.Current.CancellationToken),
            await File.ReadAllTextAsync(Path.Combine(second, "posts.jsonl"), TestContext.Current.CancellationToken));

        var pseudonymizer = Pseudonymizer.FromKeyFile(_key);
        var rows = File.ReadLines(Path.Combine(first, "posts.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        // Rows come in storage order; pick them by content, not position.
        var alice = rows.Single(r => r.GetProperty("text").GetString()!.Contains("SUM", StringComparison.Ordinal));
        var bob = rows.Single(r => r.GetProperty("platform").GetString() == "mastodon" && r.GetProperty("record_type").GetString() == "post");
        var bobPseudonym = pseudonymizer.User("bob_the_builder");
        Assert.Matches("^user_[0-9a-f]{16}$", bobPseudonym);
        Assert.Equal(bobPseudonym, bob.GetProperty("author_handle").GetString());
        Assert.Contains(bobPseudonym, alice.GetProperty("mentions").EnumerateArray().Select(m => m.GetString()));
        Assert.Contains("@" + bobPseudonym, alice.GetProperty("text").GetString());
        Assert.Contains("@" + pseudonymizer.User("alice_news"), bob.GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, alice.GetProperty("url").ValueKind);
        var authors = File.ReadLines(Path.Combine(first, "authors.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(authors, a => a.GetProperty("handle").GetString() == bobPseudonym);
        using var package = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(first, "datapackage.json"), TestContext.Current.CancellationToken));
        Assert.True(package.RootElement.GetProperty("archiver").GetProperty("pseudonymisation").GetProperty("applied").GetBoolean());
    }

    [Fact]
    public async Task A_different_key_gives_different_pseudonyms()
    {
        var other = _fixture.Archive.File("other.key");
        await File.WriteAllBytesAsync(other, Enumerable.Repeat((byte)9, 40).ToArray(), TestContext.Current.CancellationToken);
        Assert.NotEqual(Pseudonymizer.FromKeyFile(_key).User("bob_the_builder"), Pseudonymizer.FromKeyFile(other).User("bob_the_builder"));
        Assert.Equal(Pseudonymizer.FromKeyFile(_key).User("@Bob_The_Builder"), Pseudonymizer.FromKeyFile(_key).User("bob_the_builder"));
    }

    [Fact]
    public async Task Missing_or_short_key_file_is_a_usage_error_saying_how_to_create_one()
    {
        var missing = await Support.Cli.RunAsync(["--data", _fixture.Data, "export", "--format", "jsonl", "--out", _fixture.Out("m"), "--pseudonymise", "--key-file", _fixture.Archive.File("nope.key")]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("head -c 32 /dev/urandom", missing.Error);

        var shortKey = _fixture.Archive.File("short.key");
        await File.WriteAllTextAsync(shortKey, "password\n", TestContext.Current.CancellationToken);
        var tooShort = await Support.Cli.RunAsync(["--data", _fixture.Data, "export", "--format", "jsonl", "--out", _fixture.Out("s"), "--pseudonymise", "--key-file", shortKey]);
        Assert.Equal(2, tooShort.ExitCode);
        Assert.Contains("at least 32 bytes", tooShort.Error);

        var noKey = await Support.Cli.RunAsync(["--data", _fixture.Data, "export", "--format", "jsonl", "--out", _fixture.Out("n"), "--pseudonymise"]);
        Assert.Equal(2, noKey.ExitCode);
        Assert.False(Directory.Exists(_fixture.Out("m")) || Directory.Exists(_fixture.Out("s")) || Directory.Exists(_fixture.Out("n")));
    }

    [Fact]
    public void Mentions_in_text_are_replaced_but_email_addresses_are_kept()
    {
        var p = new Pseudonymizer(new byte[32]);
        var text = p.Text("hi @dave and @erin@mastodon.example, mail me at x@y.org", null);
        Assert.Equal($"hi @{p.User("dave")} and @{p.User("erin@mastodon.example")}, mail me at x@y.org", text);
    }
}
