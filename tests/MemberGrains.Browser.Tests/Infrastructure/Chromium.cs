using Microsoft.Playwright;

namespace MemberGrains.Browser.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium, driven by Playwright. Playwright's own browser builds are never downloaded:
/// the tests need <c>apt-get install chromium</c> (.ci/run installs it).
/// </summary>
public static class Chromium
{
    /// <summary>Where Debian's package puts the browser.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Headless, no sandbox (containers, root), and nothing that reaches the internet by itself.</summary>
    public static readonly IReadOnlyList<string> Arguments =
    [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];

    /// <summary>Fails with what to install when the browser is missing.</summary>
    public static void EnsureInstalled()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"The browser tests need Debian's Chromium at {ExecutablePath}: run `apt-get install chromium` " +
                "(--no-install-recommends is enough for headless use). Playwright's own browser downloads are not used.");
        }
    }

    /// <summary>
    /// Starts the browser on a fresh profile in <paramref name="profileDirectory"/> (its
    /// --user-data-dir; Playwright takes it as the persistent context's folder).
    /// </summary>
    public static Task<IBrowserContext> LaunchAsync(IPlaywright playwright, string profileDirectory)
    {
        EnsureInstalled();
        return playwright.Chromium.LaunchPersistentContextAsync(profileDirectory, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = [.. Arguments],
            ViewportSize = new ViewportSize { Width = 1920, Height = 1080 },
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
        });
    }
}
