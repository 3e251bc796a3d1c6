using Microsoft.Playwright;

namespace MemberGrains.Browser.Tests.Infrastructure;

/// <summary>Screenshots kept as test artifacts in artifacts/screenshots/ at the repository root.</summary>
public static class Screenshots
{
    /// <summary>The folder, created on first use.</summary>
    public static string Directory { get; } = Create();

    /// <summary>Saves what <paramref name="page"/> shows as <c>&lt;name&gt;.png</c>; returns the file's path.</summary>
    public static async Task<string> SaveAsync(IPage page, string name)
    {
        var path = Path.Combine(Directory, name + ".png");
        // Finished entry animations, so the picture shows the settled screen.
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, Animations = ScreenshotAnimations.Disabled });
        return path;
    }

    private static string Create()
    {
        // The test binaries run from tests/<project>/bin/<configuration>/<framework>/.
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "MemberGrains.sln")))
        {
            folder = folder.Parent;
        }

        var root = folder?.FullName ?? AppContext.BaseDirectory;
        return System.IO.Directory.CreateDirectory(Path.Combine(root, "artifacts", "screenshots")).FullName;
    }
}
