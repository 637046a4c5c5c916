using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Archiver.Replica;
using Archiver.Tests.Support;

namespace Archiver.Tests.EndToEnd;

/// <summary>
/// <c>watch run --notify-url --notify-secret-file</c>: every event a pass records reaches the webhook once, signed,
/// and the Atom feed in the archive; the baseline pass sends nothing.
/// </summary>
public sealed class WatchNotifyTests
{
    private static Task<Support.Cli.Result> Watch(string data, params string[] args) => Support.Cli.RunAsync(["watch", .. args, "--data", data]);

    [Fact]
    public async Task A_watch_pass_posts_each_event_it_recorded_once_signed_and_writes_them_to_the_atom_feed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempArchive();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 16, Size = ReplicaSize.Small, LogRequests = false }, ct);
        var seeds = replica.Seeds.Where(s => s.StartsWith("telegram:", StringComparison.Ordinal)).Take(4).ToArray();
        var secretFile = dir.File("secret");
        await File.WriteAllTextAsync(secretFile, "s3cret-for-the-test\n", ct);
        Assert.Equal(0, (await Watch(dir.Path, ["add", .. seeds, "--every", "1h"])).ExitCode);
        string[] run = ["run", "--once", "--all", "--allow-private", "--rate", "0", "--no-media", "--notify-url", receiver.Url.AbsoluteUri, "--notify-secret-file", secretFile];

        var baseline = await Watch(dir.Path, run);
        Assert.True(baseline.ExitCode == 0, baseline.Error + baseline.Out);
        Assert.Empty(receiver.Requests);

        replica.SetVersion(2);
        var later = await Watch(dir.Path, run);

        Assert.True(later.ExitCode == 0, later.Error + later.Out);
        var listed = await Support.Cli.RunAsync("events", "--json", "--data", dir.Path);
        Assert.True(listed.ExitCode == 0, listed.Error);
        using var doc = JsonDocument.Parse(listed.Out);
        var ids = doc.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
        Assert.NotEmpty(ids);
        // Each recorded event was posted once (no retries were needed), and its signature is the body's HMAC under the secret.
        Assert.Equal(ids.Order(StringComparer.Ordinal), receiver.Accepted.Order(StringComparer.Ordinal));
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes("s3cret-for-the-test"));
        foreach (var request in receiver.Requests)
            Assert.Equal("sha256=" + Convert.ToHexStringLower(hmac.ComputeHash(request.Body)), request.Signature);
        // Each event is also a line of the pass's output, and an entry of the feed in the archive.
        Assert.All(ids, id => Assert.Contains(id, later.Out, StringComparison.Ordinal));
        var feed = XDocument.Load(Path.Combine(dir.Path, "events.atom"));
        XNamespace atom = "http://www.w3.org/2005/Atom";
        var entryIds = feed.Root!.Elements(atom + "entry").Select(e => e.Element(atom + "id")!.Value).ToList();
        Assert.Equal(ids.TakeLast(100).Select(id => "urn:archiver:event:" + id).Order(StringComparer.Ordinal), entryIds.Order(StringComparer.Ordinal));
    }
}
