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
}
