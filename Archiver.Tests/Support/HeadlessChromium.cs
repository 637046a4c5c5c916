using Archiver.Tests.Export;
using Microsoft.Playwright;

namespace Archiver.Tests.Support;

/// <summary>The browser of every browser test: the system Chromium (never a downloaded one), headless, without its sandbox (it runs in containers), and making no requests of its own.</summary>
public static class HeadlessChromium
{
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = ReplayWebPageTests.Chromium(),
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });

    /// <summary>A screenshot into <c>$ARCHIVER_SCREENSHOTS</c> when it is set (the README's pictures come from there); nothing otherwise.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("ARCHIVER_SCREENSHOTS") is not { Length: > 0 } folder) return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = false });
    }
}
