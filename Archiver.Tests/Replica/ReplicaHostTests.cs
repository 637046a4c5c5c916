using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AngleSharp.Html.Parser;
using Archiver.Replica;

namespace Archiver.Tests.Replica;

public sealed class ReplicaHostTests
{
    [Fact]
    public async Task A_busy_port_is_a_clear_error_and_nothing_stays_listening()
    {
        using var blocker = new TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((IPEndPoint)blocker.LocalEndpoint).Port;

        var error = await Assert.ThrowsAsync<ArchiverException>(() =>
            ReplicaHost.StartAsync(new ReplicaOptions { Port = port }, TestContext.Current.CancellationToken));

        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.Contains("Choose another --port", error.Message);
    }

    [Fact]
    public async Task Fixed_ports_are_consecutive_in_origin_order()
    {
        // Below Linux's ephemeral range (32768-60999), where parallel tests' own connections take ports: a run of
        // consecutive free ports there is likely; try another if one is taken meanwhile.
        var random = new Random();
        ReplicaHost? started = null;
        var port = 0;
        for (var attempt = 0; started is null; attempt++)
        {
            port = random.Next(20_000, 30_000);
            try
            {
                started = await ReplicaHost.StartAsync(new ReplicaOptions { Port = port }, TestContext.Current.CancellationToken);
            }
            catch (ArchiverException e) when (attempt < 5 && e.Message.StartsWith("Cannot listen", StringComparison.Ordinal))
            {
            }
        }
        await using var replica = started;

        Assert.Equal(ReplicaEndpoints.FromPort(port), replica.Endpoints);
        Assert.Equal($"127.0.0.1:{port + 3}", replica.Endpoints.Host(OriginKind.Gab));
    }

    [Fact]
    public async Task Chromium_renders_the_javascript_page_into_the_forum_markup()
    {
        const string chromium = "/usr/bin/chromium";
        if (!File.Exists(chromium)) Assert.Skip("Chromium is not installed (apt-get install chromium).");
        await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions(), TestContext.Current.CancellationToken);
        var page = replica.Network.JsPages[0];
        var start = new ProcessStartInfo(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000", "--dump-dom",
            $"{replica.Endpoints.Origin(OriginKind.Js)}/js/{page.Slug}"])
        { RedirectStandardOutput = true, RedirectStandardError = true };

        using var process = Process.Start(start)!;
        var dom = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        _ = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        }
        finally
        {
            // Never leave the browser this test started running.
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        var doc = new HtmlParser().ParseDocument(await dom);
        var truth = replica.Truth().JsPosts().ToList();

        var posts = doc.QuerySelectorAll("#app div.forum-post[data-post-id]");
        Assert.Equal(truth.Select(p => p.NativeId), posts.Select(p => p.GetAttribute("data-post-id")));
        Assert.Equal(truth.Select(p => p.Html), posts.Select(p => p.QuerySelector(".post-body")!.InnerHtml));
        Assert.Equal(truth.Select(p => p.AuthorName), posts.Select(p => p.QuerySelector(".post-author")!.TextContent));
    }
}
