using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Archiver.Tests.Support;

/// <summary>
/// The original capture as the browser tests read it: serve's replay origin, ReplayWeb.page's service worker in its
/// frame, the archived page the worker serves (under <c>mp_/</c>) showing a text, and the check that a session asked
/// nothing of any other host.
/// </summary>
public static partial class ReplayFrames
{
    public static readonly TimeSpan ReplayTimeout = TimeSpan.FromSeconds(90);

    /// <summary>The replay origin from serve's output: its last line names the port ("... on port N.").</summary>
    public static string Origin(IReadOnlyList<string> serveLines) =>
        "http://127.0.0.1:" + int.Parse(PortLine().Match(serveLines[^1]).Groups[1].Value, CultureInfo.InvariantCulture);

    /// <summary>Waits (up to 60 s) until ReplayWeb.page's service worker is active in the replay origin's frame.</summary>
    public static async Task<bool> WaitForServiceWorkerAsync(IPage page, string replayOrigin, CancellationToken ct)
    {
        for (var i = 0; i < 600; i++)
        {
            if (page.Frames.FirstOrDefault(f => f.Url.StartsWith(replayOrigin + "/view/", StringComparison.Ordinal)) is { } view)
            {
                try
                {
                    if (await view.EvaluateAsync<bool>("async () => (await navigator.serviceWorker.getRegistrations()).some(r => r.active)")) return true;
                }
                catch (PlaywrightException)
                {
                    // Still loading.
                }
            }
            await Task.Delay(100, ct);
        }
        return false;
    }

    /// <summary>Polls the replay frames (the archived page, served by the service worker under mp_/) for the text, whitespace normalised.</summary>
    public static async Task<IFrame?> WaitForTextAsync(IPage page, string replayOrigin, string pageUrl, string text, CancellationToken ct)
    {
        var path = new Uri(pageUrl).AbsolutePath;
        var deadline = DateTime.UtcNow + ReplayTimeout;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var frame in page.Frames.Where(f => f.Url.StartsWith(replayOrigin, StringComparison.Ordinal) && f.Url.Contains("mp_/", StringComparison.Ordinal) && f.Url.Contains(path, StringComparison.Ordinal)))
            {
                try
                {
                    if (Normalize(await frame.InnerTextAsync("body", new FrameInnerTextOptions { Timeout = 2000 })).Contains(text, StringComparison.Ordinal))
                        return frame;
                }
                catch (PlaywrightException)
                {
                    // The frame navigated or is still loading: look again.
                }
            }
            await Task.Delay(250, ct);
        }
        return null;
    }

    /// <summary>What to print when a replay does not show: the page's frames and its last requests.</summary>
    public static string Diagnostics(IPage page, List<string> requests)
    {
        lock (requests) return $"frames: {string.Join(" | ", page.Frames.Select(f => f.Url))}\nrequests:\n{string.Join('\n', requests.TakeLast(30))}";
    }

    /// <summary>Both origins were asked for something (so the check is about real traffic), and no other host was.</summary>
    public static void AssertOnlyAppAndReplay(List<string> requests, string appOrigin, string replayOrigin)
    {
        lock (requests)
        {
            Assert.Contains(requests, url => url.StartsWith(appOrigin + "/media/", StringComparison.Ordinal));
            Assert.Contains(requests, url => url.StartsWith(replayOrigin + "/", StringComparison.Ordinal));
            Assert.All(requests, url => Assert.True(
                url.StartsWith(appOrigin + "/", StringComparison.Ordinal) || url.StartsWith(replayOrigin + "/", StringComparison.Ordinal)
                || url.StartsWith("data:", StringComparison.Ordinal) || url.StartsWith("blob:", StringComparison.Ordinal),
                $"a page requested {url}"));
        }
    }

    public static string Normalize(string text) => Spaces().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"on port (\d+)")]
    private static partial Regex PortLine();
}
